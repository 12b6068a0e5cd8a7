"""The demo's two study cohorts written as the Trainees sheet and loaded
back into the same programme change nothing, and the sheet carries the
study's figures: 28 trainees, 10 passed (6 + 4), 18 who did not complete
(10 portfolio incomplete or not submitted, 8 who left)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from deployment.selectors import eligible_from
from peerprog.core.models import Person, Role
from peerprog.core.workbook import NEW, UNCHANGED, Book, cell, get_sheet
from recruitment.models import Cohort
from recruitment.services.applications import application_create_with_person
from recruitment.services.moves import application_move
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.demo_once import seed_demo_once
from tests.training.factories import set_assessors
from tests.training.history_helpers import load_trainees, moment, past_cohort, trainees_sheet
from training import selectors as training_selectors
from training.models import Attendance, Enrolment, PortfolioSubmission

pytestmark = pytest.mark.django_db

STUDY_COHORTS = ("Cohort 1", "Cohort 2")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module (and removed after)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo_once()
            yield ctx
            transaction.set_rollback(True)


def _study_rows(seeded) -> list[dict]:
    cohorts = Cohort.objects.filter(programme=seeded.programme, name__in=STUDY_COHORTS)
    book = Book(
        programme=seeded.programme,
        by=seeded.users["lead"],
        cohort_ids=[c.pk for c in cohorts],
        write=False,
    )
    sheet = get_sheet("enrolments")
    return [{k: cell(v) for k, v in row.items()} for row in sheet.dump(book)]


def test_the_study_cohorts_trainees_carry_the_studys_figures(seeded):
    rows = _study_rows(seeded)

    assert Counter(row["cohort"] for row in rows) == {"Cohort 1": 12, "Cohort 2": 16}
    passed = Counter(row["cohort"] for row in rows if row["passed_on"])
    assert passed == {"Cohort 1": 6, "Cohort 2": 4}
    reasons = Counter(row["reason"] for row in rows if row["reason"])
    portfolio = reasons["Portfolio incomplete"] + reasons["Portfolio not submitted"]
    assert (portfolio, sum(reasons.values()) - portfolio) == (10, 8)


def test_the_study_cohorts_trainees_load_back_as_no_change(seeded):
    rows = _study_rows(seeded)
    models = (Enrolment, Attendance, PortfolioSubmission)
    before = [m.objects.count() for m in models] + [m.history.count() for m in models]

    report = load_trainees(
        trainees_sheet(rows), programme=seeded.programme, by=seeded.users["lead"]
    )

    assert not report.errors, [str(e) for e in report.errors]
    assert Counter(row.action for row in report.rows) == {UNCHANGED: 28}
    after = [m.objects.count() for m in models] + [m.history.count() for m in models]
    assert after == before


def _fresh_programme_like_the_demo(seeded, rows):
    """A new programme with the study cohorts and their accepted
    applications, made through recruitment's services, and default
    assessors of its own."""
    programme = ProgrammeFactory(name="A programme bringing in its history")
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    first = UserFactory(programme=programme, roles=[Role.FACILITATOR, Role.ASSESSOR])
    second = UserFactory(programme=programme, roles=[Role.ASSESSOR])
    enrolled = {
        (e.cohort.name, e.person.email): timezone.localdate(e.enrolled_at)
        for e in Enrolment.objects.filter(cohort__programme=seeded.programme).select_related(
            "cohort", "person"
        )
    }
    for old in Cohort.objects.filter(programme=seeded.programme, name__in=STUDY_COHORTS):
        cohort = past_cohort(programme=programme, by=lead, start=old.training_start, name=old.name)
        set_assessors(cohort, first, second)
        for row in rows:
            if row["cohort"] != old.name:
                continue
            accepted_on = enrolled[(old.name, row["email"])]
            person = {
                "first_name": row["first_name"],
                "last_name": row["last_name"],
                "email": row["email"],
            }
            application = application_create_with_person(
                cohort=cohort,
                by=lead,
                person_values=person,
                application_values={"received_on": accepted_on - timedelta(days=20)},
            )
            for stage, days in (("shortlisted", 10), ("offered", 5), ("accepted", 0)):
                application = application_move(
                    application=application,
                    to_stage=stage,
                    by=lead,
                    at=moment(accepted_on - timedelta(days=days)),
                )
    return programme, lead


def test_the_study_cohorts_trainees_load_into_a_new_programme_with_the_same_outcomes(seeded):
    rows = [{**row, "first_assessor": "", "second_assessor": ""} for row in _study_rows(seeded)]
    programme, lead = _fresh_programme_like_the_demo(seeded, rows)

    report = load_trainees(trainees_sheet(rows), programme=programme, by=lead)

    assert not report.errors, [str(e) for e in report.errors]
    assert Counter(row.action for row in report.rows) == {NEW: 28}
    demo_lead = seeded.users["lead"]
    for old in Cohort.objects.filter(programme=seeded.programme, name__in=STUDY_COHORTS):
        new = Cohort.objects.get(programme=programme, name=old.name)
        was = training_selectors.cohort_list(user=demo_lead).get(pk=old.pk)
        now = training_selectors.cohort_list(user=lead).get(pk=new.pk)
        assert (now.trainees, now.completed, now.portfolio_not_completed, now.left) == (
            was.trainees,
            was.completed,
            was.portfolio_not_completed,
            was.left,
        )
        assert training_selectors.non_completion_breakdown(
            user=lead, cohort=new
        ) == training_selectors.non_completion_breakdown(user=demo_lead, cohort=old)
    eligible = {
        p.email: eligible_from(person=p)
        for p in Person.objects.filter(programme=seeded.programme, enrolments__isnull=False)
        .filter(enrolments__cohort__name__in=STUDY_COHORTS)
        .distinct()
    }
    for person in Person.objects.filter(programme=programme):
        assert eligible_from(person=person) == eligible[person.email], person.email
    assert sum(1 for day in eligible.values() if day) == 10
