from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peerprog.devtools.management.commands.seed_scale import SIZES, seed_scale
from recruitment.models import Application, Cohort


def test_small_scale_has_the_planned_cohorts_and_applications(db: Any) -> None:
    ctx = seed_scale(size="small")
    total, cohorts, biggest = SIZES["small"]
    assert Cohort.objects.filter(programme=ctx.programme).count() == cohorts
    applications = Application.objects.filter(cohort__programme=ctx.programme)
    assert applications.count() == total
    assert applications.filter(cohort=ctx.biggest_cohort).count() == biggest


def test_each_size_is_ten_times_the_last() -> None:
    assert SIZES["medium"][0] == 10 * SIZES["small"][0]
    assert SIZES["large"][0] == 10 * SIZES["medium"][0]
    assert SIZES["large"] == (10_000, 50, 2_000)


def test_seeding_a_size_twice_is_refused(db: Any) -> None:
    seed_scale(size="small")
    with pytest.raises(CommandError, match="already exists"):
        seed_scale(size="small")


def test_the_command_refuses_without_debug(db: Any, settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_scale", "--size", "small")
