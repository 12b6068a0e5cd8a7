from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import Programme, User
from peerprog.devtools.demo import demo_email, seed_demo
from recruitment.models import Cohort
from tests.core.factories import ProgrammeFactory
from tests.demo_once import seed_demo_once
from tests.training.factories import ApplicationFactory, CohortFactory, accept
from training.demo import seed_study_training
from training.models import Attendance, CourseSession, Enrolment, NonCompletionReason

pytestmark = pytest.mark.django_db


def study_cohorts(programme: Programme) -> None:
    """What recruitment's demo step will leave: cohort 1 starting about 30
    months ago with 12 accepted applications, cohort 2 with 16."""
    today = timezone.localdate()
    for name, months_ago, accepted in (("Cohort 1", 30, 12), ("Cohort 2", 24, 16)):
        start = today - timedelta(days=months_ago * 30)
        cohort = CohortFactory(
            programme=programme,
            name=name,
            training_start=start,
            training_end=start + timedelta(weeks=12),
        )
        for _ in range(accepted):
            accept(ApplicationFactory(cohort=cohort))


def seeded_study() -> Programme:
    """The demo with both steps run. Where recruitment's demo step is not
    present yet, its cohorts are made here the way it will leave them."""
    programme = seed_demo_once().programme
    if not Cohort.objects.filter(programme=programme).exists():
        study_cohorts(programme)
        seed_demo()
    return programme


def test_the_training_step_does_nothing_before_recruitment_has_run():
    ctx = SimpleNamespace(programme=ProgrammeFactory(), users={}, today=None, lines=[])

    seed_study_training(ctx)

    assert not Enrolment.objects.exists()
    assert not CourseSession.objects.exists()
    assert any("skipped" in line for line in ctx.lines)


def test_the_study_cohorts_get_the_studys_outcomes():
    programme = seeded_study()

    enrolments = Enrolment.objects.filter(cohort__programme=programme)
    by_cohort = {
        name: enrolments.filter(cohort__name=name, status=Enrolment.Status.COMPLETED).count()
        for name in ("Cohort 1", "Cohort 2")
    }
    assert by_cohort == {"Cohort 1": 6, "Cohort 2": 4}
    not_completed = enrolments.filter(status=Enrolment.Status.NOT_COMPLETED)
    assert not_completed.count() == 18
    portfolio = not_completed.filter(
        non_completion_reason__category__in=NonCompletionReason.PORTFOLIO_CATEGORIES
    )
    assert portfolio.count() == 10
    left = not_completed.exclude(pk__in=portfolio)
    categories = sorted(left.values_list("non_completion_reason__category", flat=True))
    assert categories == sorted(
        [
            "left_paid_employment",
            "left_paid_employment",
            "left_further_study",
            "left_further_study",
            "left_other_volunteering",
            "left_other_volunteering",
            "left_health",
            "left_personal",
        ]
    )
    study = {"cohort__programme": programme, "cohort__name__in": ["Cohort 1", "Cohort 2"]}
    assert CourseSession.objects.filter(**study).count() == 28
    assert (
        Attendance.objects.filter(enrolment__cohort__name__in=["Cohort 1", "Cohort 2"])
        .filter(enrolment__cohort__programme=programme)
        .count()
        > 300
    )


def test_the_training_step_runs_twice_without_changing_anything():
    seeded_study()
    counts = (Enrolment.objects.count(), Attendance.objects.count(), CourseSession.objects.count())

    seed_demo()

    assert (
        Enrolment.objects.count(),
        Attendance.objects.count(),
        CourseSession.objects.count(),
    ) == counts


def test_the_cohort_pages_show_ten_completions_of_twenty_eight():
    seeded_study()
    client = Client()
    client.force_login(User.objects.get(email=demo_email("lead")))

    response = client.get(reverse("training:cohorts"))

    # The study cohorts, beside the demo's course running now (eight
    # trainees, all still on the course).
    study = {c.name: c for c in response.context["cohorts"] if c.name in ("Cohort 1", "Cohort 2")}
    assert sum(c.completed for c in study.values()) == 10
    assert sum(c.trainees for c in study.values()) == 28
    assert sum(c.not_completed for c in study.values()) == 18
    totals = response.context["totals"]
    assert (totals["completed"], totals["not_completed"], totals["active"]) == (10, 18, 8)
    assert "18 non-completions" in response.content.decode()
