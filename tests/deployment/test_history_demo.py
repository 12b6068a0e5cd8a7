"""The demo's two study cohorts, exported on deployment's sheets of the
history workbook, hold the study's employment (7 appointed: 1 Lead LXP and
6 LXP in converted HCA posts, all in post), and load back into the demo as
"No change", writing nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from deployment import history_absences, history_appointments, history_days, history_posts
from peerprog.core.workbook import UNCHANGED, Book, cell, load_book
from recruitment.models import Cohort
from tests.demo_once import seed_demo_once
from tests.deployment.history_book import counts

pytestmark = pytest.mark.django_db

SHEETS = (
    history_posts.SHEET,
    history_days.SHEET,
    history_appointments.SHEET,
    history_absences.SHEET,
)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module (and removed after)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo_once()
            yield ctx
            transaction.set_rollback(True)


def _export(seeded) -> tuple[bytes, dict[str, list[dict]]]:
    study = Cohort.objects.filter(programme=seeded.programme, name__in=("Cohort 1", "Cohort 2"))
    book = Book(
        programme=seeded.programme,
        by=seeded.users["lead"],
        cohort_ids=[cohort.pk for cohort in study],
        write=False,
    )
    workbook = Workbook()
    workbook.remove(workbook.active)
    dumped: dict[str, list[dict]] = {}
    for sheet in SHEETS:
        rows = dumped[sheet.title] = list(sheet.dump(book))
        worksheet = workbook.create_sheet(sheet.title)
        worksheet.append([field.header for field in sheet.fields])
        for values in rows:
            worksheet.append([cell(values.get(field.key)) for field in sheet.fields])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), dumped


def test_the_study_cohorts_export_the_seven_appointed(seeded):
    _, dumped = _export(seeded)

    started = [row for row in dumped["Appointments"] if row["start_date"] <= seeded.today]
    assert len(started) == 7
    assert sum(1 for row in started if row["lead"]) == 1
    assert not any(row.get("left_on") for row in started)
    converted = [row for row in dumped["Posts"] if row["status"] == "Converted"]
    assert {row["role"] for row in converted} == {"Health Care Assistant"}
    held = {row["position_number"] for row in started}
    assert held <= {row["converted_to"] for row in converted}
    outcomes = [row.get("outcome") for row in dumped["Recruitment days"]]
    assert outcomes.count("Appoint") == 7
    assert outcomes.count("Place on the reserve list") == 2
    reserves = [row for row in dumped["Recruitment days"] if row.get("reserve_from")]
    assert len(reserves) == 2


def test_the_study_cohorts_load_back_into_the_demo_as_no_change(seeded):
    content, dumped = _export(seeded)
    before = counts()

    report = load_book(
        content=content,
        file_format="xlsx",
        programme=seeded.programme,
        by=seeded.users["lead"],
        write=True,
    )

    assert [str(error) for error in report.errors] == []
    assert report.total == sum(len(rows) for rows in dumped.values())
    assert {row.action for row in report.rows} == {UNCHANGED}
    assert counts() == before
