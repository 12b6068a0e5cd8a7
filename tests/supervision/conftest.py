from __future__ import annotations

import pytest

from peerprog.core.models import Programme, Role, User
from recruitment.models import Cohort
from tests.core.factories import UserFactory
from tests.training.factories import CohortFactory


@pytest.fixture
def cohort(programme: Programme) -> Cohort:
    return CohortFactory(programme=programme, name="Cohort 1")


@pytest.fixture
def course_lead(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD], full_name="Priya Lead")
