"""The demo's two study cohorts written as recruitment's sheets load back
into the demo programme changing nothing, and into a new programme as the
study's 38 applications from 36 people and 28 trainees."""

from __future__ import annotations

import pytest
from django.db import transaction

from peerprog.core.imports import NEW, UNCHANGED
from peerprog.core.models import Person
from recruitment.models import Application, ApplicationMove, Cohort
from tests.conftest import build_programme
from tests.demo_once import seed_demo_once
from tests.recruitment.history_books import actions, dumped, lead_of, load, workbook
from training.models import Enrolment

pytestmark = pytest.mark.django_db

STUDY_COHORTS = ("Cohort 1", "Cohort 2")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module (and removed after)."""
    with django_db_blocker.unblock(), transaction.atomic():
        ctx = seed_demo_once()
        yield ctx
        transaction.set_rollback(True)


def _study_book(seeded) -> bytes:
    lead = seeded.users["lead"]
    ids = list(
        Cohort.objects.filter(programme=seeded.programme, name__in=STUDY_COHORTS).values_list(
            "pk", flat=True
        )
    )
    return workbook(
        {
            key: dumped(key, programme=seeded.programme, by=lead, cohort_ids=ids)
            for key in ("cohorts", "applications")
        }
    )


def _counts(programme) -> dict[str, int]:
    return {
        "applications": Application.objects.filter(cohort__programme=programme).count(),
        "moves": ApplicationMove.objects.filter(application__cohort__programme=programme).count(),
        "people": Person.objects.filter(programme=programme).count(),
        "enrolments": Enrolment.objects.filter(cohort__programme=programme).count(),
        "application history": Application.history.count(),
        "person history": Person.history.count(),
        "cohort history": Cohort.history.count(),
    }


def test_the_study_cohorts_load_back_into_the_demo_as_no_change(seeded):
    content = _study_book(seeded)
    before = _counts(seeded.programme)

    report = load(content, programme=seeded.programme, by=seeded.users["lead"])

    assert len(report.rows) == 2 + 38
    assert set(actions(report)) == {UNCHANGED}
    assert _counts(seeded.programme) == before


def test_the_study_cohorts_load_into_a_new_programme_as_the_studys_figures(seeded):
    content = _study_book(seeded)
    programme = build_programme()

    report = load(content, programme=programme, by=lead_of(programme))

    assert set(actions(report)) == {NEW}
    applications = Application.objects.filter(cohort__programme=programme)
    assert applications.filter(cohort__name="Cohort 1").count() == 18
    assert applications.filter(cohort__name="Cohort 2").count() == 20
    assert Person.objects.filter(programme=programme).count() == 36
    enrolments = Enrolment.objects.filter(cohort__programme=programme)
    assert enrolments.filter(cohort__name="Cohort 1").count() == 12
    assert enrolments.filter(cohort__name="Cohort 2").count() == 16
    assert applications.filter(deferred_to__isnull=False).count() == 2
    assert set(Cohort.objects.filter(programme=programme).values_list("status", flat=True)) == {
        Cohort.Status.CLOSED
    }


def test_the_new_programme_gives_the_same_rows_back(seeded):
    content = _study_book(seeded)
    programme = build_programme()
    lead = lead_of(programme)
    load(content, programme=programme, by=lead)

    for key in ("cohorts", "applications"):
        theirs = dumped(key, programme=programme, by=lead)
        ours = dumped(
            key,
            programme=seeded.programme,
            by=seeded.users["lead"],
            cohort_ids=Cohort.objects.filter(
                programme=seeded.programme, name__in=STUDY_COHORTS
            ).values_list("pk", flat=True),
        )
        assert theirs == ours


def test_every_cohort_of_the_demo_loads_back_as_no_change(seeded):
    lead = seeded.users["lead"]
    content = workbook(
        {
            key: dumped(key, programme=seeded.programme, by=lead)
            for key in ("cohorts", "applications")
        }
    )
    before = _counts(seeded.programme)

    report = load(content, programme=seeded.programme, by=lead, write=False)

    assert set(actions(report)) == {UNCHANGED}, [str(error) for error in report.errors]
    assert _counts(seeded.programme) == before
