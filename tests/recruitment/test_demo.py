from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerprog.core.models import User
from peerprog.devtools.demo import PROGRAMME_NAME, demo_email, seed_demo
from recruitment.models import Application, Cohort
from recruitment.selectors import cohort_figures
from tests.demo_once import seed_demo_once

TODAY = date(2026, 11, 22)


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    seed_demo_once(today=TODAY)
    cohorts = Cohort.objects.filter(programme__name=PROGRAMME_NAME)
    return {
        "lead": User.objects.get(email=demo_email("lead")),
        "one": cohorts.get(name="Cohort 1"),
        "two": cohorts.get(name="Cohort 2"),
    }


def test_demo_cohorts_have_the_studys_application_figures(demo: dict[str, Any]) -> None:
    one = cohort_figures(cohort=demo["one"], user=demo["lead"])
    two = cohort_figures(cohort=demo["two"], user=demo["lead"])
    assert (one.applications, one.accepted, one.deferred_out, one.unsuccessful) == (18, 12, 2, 4)
    assert (two.applications, two.accepted, two.deferred_in, two.unsuccessful) == (20, 16, 2, 4)


def test_demo_deferred_applicants_are_among_cohort_twos_trainees(demo: dict[str, Any]) -> None:
    deferred = Application.objects.filter(cohort=demo["one"], stage=Application.Stage.DEFERRED)
    assert {a.deferred_to.stage for a in deferred} == {Application.Stage.ACCEPTED}
    assert {a.deferred_to.cohort for a in deferred} == {demo["two"]}


def test_demo_has_36_people_for_38_applications(demo: dict[str, Any]) -> None:
    applications = Application.objects.filter(cohort__in=[demo["one"], demo["two"]])
    assert applications.count() == 38
    assert applications.values("person").distinct().count() == 36


def test_demo_unsuccessful_reasons_are_the_studys(demo: dict[str, Any]) -> None:
    one = cohort_figures(cohort=demo["one"], user=demo["lead"])
    assert dict(one.unsuccessful_by_reason) == {
        "Not yet able to complete a training programme": 2,
        "Needs more volunteering experience": 2,
    }


def test_demo_cohorts_start_early_enough_for_24_months_in_post(demo: dict[str, Any]) -> None:
    assert demo["one"].training_start == date(2023, 11, 6)
    assert demo["two"].training_start == date(2024, 5, 6)
    assert demo["one"].status == Cohort.Status.CLOSED


def test_seeding_twice_changes_nothing(demo: dict[str, Any]) -> None:
    seed_demo(today=TODAY)
    # The two study cohorts, the course running now (the demo's trainee and
    # seven classmates) and the next intake taking applications (nine).
    assert Application.objects.filter(cohort__programme__name=PROGRAMME_NAME).count() == 38 + 8 + 9
    assert Cohort.objects.filter(programme__name=PROGRAMME_NAME).count() == 4
    study = Application.objects.filter(
        cohort__programme__name=PROGRAMME_NAME, cohort__name__in=["Cohort 1", "Cohort 2"]
    )
    assert study.count() == 38


def test_the_cohort_page_shows_the_demo_figures(demo: dict[str, Any]) -> None:
    client = Client()
    client.force_login(demo["lead"])
    html = client.get(reverse("recruitment:cohort-detail", args=[demo["two"].pk])).content
    assert b'data-figure="applications">20<' in html
    assert b'data-figure="accepted">16<' in html
    assert b'data-figure="deferred-in">2<' in html
