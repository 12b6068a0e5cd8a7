"""The deployment step of the demo data set."""

from __future__ import annotations

import pytest

from deployment.models import Appointment, Post
from peerprog.dashboard.demo import seed_demo

pytestmark = pytest.mark.django_db


def test_the_deployment_step_waits_for_trainings_graduates() -> None:
    ctx = seed_demo()

    assert not Post.objects.filter(programme=ctx.programme).exists()
    assert not Appointment.objects.exists()
