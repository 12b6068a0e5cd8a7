"""The demo's two study cohorts written as the Trainees sheet and loaded
back into the same programme change nothing, and the sheet carries the
study's figures: 28 trainees, 10 passed (6 + 4), 18 who did not complete
(10 portfolio incomplete or not submitted, 8 who left)."""

from __future__ import annotations

from collections import Counter

import pytest

from peerprog.core.workbook import UNCHANGED, Book, cell, get_sheet
from peerprog.devtools.demo import seed_demo
from recruitment.models import Cohort
from tests.training.history_helpers import load_trainees, trainees_sheet
from training.models import Attendance, Enrolment, PortfolioSubmission

pytestmark = pytest.mark.django_db

STUDY_COHORTS = ("Cohort 1", "Cohort 2")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module (and removed after)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo()
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
