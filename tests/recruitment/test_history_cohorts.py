"""The Cohorts sheet of a programme's history: each cohort made with its
dates, places and status; loaded again, nothing changes; changed dates
update the cohort; a bad row is named and nothing is written."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from peerprog.core.imports import ERROR, NEW, UNCHANGED, UPDATE, ImportRefused
from peerprog.core.workbook_export import book_export, book_template
from recruitment.models import Application, Cohort, UnsuccessfulReason
from tests.recruitment.history_books import (
    actions,
    dumped,
    errors,
    lead_of,
    load,
    workbook,
)

pytestmark = pytest.mark.django_db

SPRING = {
    "name": "Spring 2024",
    "applications_open": date(2024, 1, 8),
    "applications_close": date(2024, 2, 23),
    "training_start": date(2024, 4, 8),
    "capacity": 12,
    "status": "Closed",
}
AUTUMN = {
    "name": "Autumn 2024",
    "applications_open": date(2024, 6, 3),
    "applications_close": date(2024, 8, 23),
    "training_start": date(2024, 10, 7),
    "training_end": date(2024, 12, 20),
    "capacity": 16,
}


def _cohorts(*rows) -> bytes:
    return workbook({"cohorts": rows})


def test_each_row_makes_a_cohort_with_its_dates(programme):
    report = load(_cohorts(SPRING, AUTUMN), programme=programme, by=lead_of(programme))

    assert actions(report) == [NEW, NEW]
    spring = Cohort.objects.get(programme=programme, name="Spring 2024")
    assert (spring.applications_open, spring.applications_close) == (
        date(2024, 1, 8),
        date(2024, 2, 23),
    )
    assert spring.training_start == date(2024, 4, 8)
    # Twelve weeks of training unless the sheet says otherwise.
    assert spring.training_end == date(2024, 7, 1)
    assert (spring.capacity, spring.status) == (12, Cohort.Status.CLOSED)
    autumn = Cohort.objects.get(programme=programme, name="Autumn 2024")
    assert autumn.training_end == date(2024, 12, 20)
    # No status given: worked out from the dates, which are past.
    assert autumn.status == Cohort.Status.IN_TRAINING
    # The programme has its reason lists, as a cohort planned on its page would.
    assert UnsuccessfulReason.objects.filter(programme=programme).exists()


def test_loading_the_cohorts_again_changes_nothing(programme):
    lead = lead_of(programme)
    load(_cohorts(SPRING, AUTUMN), programme=programme, by=lead)
    history = Cohort.history.count()

    report = load(_cohorts(SPRING, AUTUMN), programme=programme, by=lead)

    assert actions(report) == [UNCHANGED, UNCHANGED]
    assert Cohort.history.count() == history
    assert Cohort.objects.filter(programme=programme).count() == 2


def test_changed_dates_update_the_cohort(programme):
    lead = lead_of(programme)
    load(_cohorts(SPRING), programme=programme, by=lead)

    report = load(
        _cohorts({**SPRING, "applications_close": date(2024, 3, 1), "capacity": 14}),
        programme=programme,
        by=lead,
    )

    assert actions(report) == [UPDATE]
    spring = Cohort.objects.get(programme=programme, name="Spring 2024")
    assert (spring.applications_close, spring.capacity) == (date(2024, 3, 1), 14)


def test_the_cohorts_dump_loads_back_as_no_change(programme):
    lead = lead_of(programme)
    load(_cohorts(SPRING, AUTUMN), programme=programme, by=lead)
    rows = dumped("cohorts", programme=programme, by=lead)
    assert [row["name"] for row in rows] == ["Spring 2024", "Autumn 2024"]
    assert rows[0]["status"] == "Closed"

    report = load(_cohorts(*rows), programme=programme, by=lead)

    assert actions(report) == [UNCHANGED, UNCHANGED]


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"training_start": "next spring"}, "Training starts", "is not a date"),
        ({"capacity": "a dozen"}, "Capacity", "is not a whole number"),
        ({"status": "Finished"}, "Status", "is not one of"),
        ({"applications_open": None}, "Applications open", "This date is required"),
    ],
)
def test_a_bad_cohort_row_is_named_and_nothing_is_written(programme, change, column, words):
    content = _cohorts(AUTUMN, {**SPRING, **change})

    with pytest.raises(ImportRefused):
        load(content, programme=programme, by=lead_of(programme))
    report = load(content, programme=programme, by=lead_of(programme, "lead2"), write=False)

    assert actions(report) == [NEW, ERROR]
    [message] = errors(report)
    assert f"In the Cohorts sheet, row 3, column “{column}”" in message
    assert words in message
    assert not Cohort.objects.filter(programme=programme).exists()


def test_training_ending_before_it_starts_is_refused_in_plain_words(programme):
    bad = {**SPRING, "training_end": date(2024, 4, 1)}

    report = load(_cohorts(bad), programme=programme, by=lead_of(programme), write=False)

    assert "Training must end after it starts." in errors(report)[0]


def test_a_cohort_twice_is_refused(programme):
    report = load(
        _cohorts(SPRING, {**SPRING, "capacity": 3}),
        programme=programme,
        by=lead_of(programme),
        write=False,
    )

    assert "This cohort is also on row 2" in errors(report)[0]


def test_the_preview_writes_nothing(programme):
    report = load(_cohorts(SPRING, AUTUMN), programme=programme, by=lead_of(programme), write=False)

    assert actions(report) == [NEW, NEW]
    assert not Cohort.objects.filter(programme=programme).exists()
    assert not Application.objects.exists()


def test_closing_a_cohort_waits_for_its_applications_outcomes(programme):
    lead = lead_of(programme)
    open_spring = {**SPRING, "status": "In training"}
    amara = {
        "cohort": "Spring 2024",
        "first_name": "Amara",
        "last_name": "Okonkwo",
        "email": "amara@example.org",
        "received_on": date(2024, 1, 15),
    }
    load(
        workbook({"cohorts": [open_spring], "applications": [amara]}), programme=programme, by=lead
    )
    closing = workbook(
        {
            "cohorts": [SPRING],
            "applications": [
                {
                    **amara,
                    "unsuccessful_on": date(2024, 2, 26),
                    "unsuccessful_reason": "Needs more volunteering experience",
                }
            ],
        }
    )

    report = load(closing, programme=programme, by=lead)

    assert actions(report) == [UPDATE, UPDATE]
    spring = Cohort.objects.get(programme=programme, name="Spring 2024")
    assert spring.status == Cohort.Status.CLOSED


def test_closing_a_cohort_with_an_open_application_is_refused(programme):
    lead = lead_of(programme)
    open_spring = {**SPRING, "status": "In training"}
    amara = {
        "cohort": "Spring 2024",
        "first_name": "Amara",
        "last_name": "Okonkwo",
        "email": "amara@example.org",
        "received_on": date(2024, 1, 15),
    }
    load(
        workbook({"cohorts": [open_spring], "applications": [amara]}), programme=programme, by=lead
    )

    with pytest.raises(
        ImportRefused, match="The Cohorts sheet closes Spring 2024, but 1 application is still open"
    ):
        load(_cohorts(SPRING), programme=programme, by=lead)

    spring = Cohort.objects.get(programme=programme, name="Spring 2024")
    assert spring.status == Cohort.Status.IN_TRAINING


def test_the_programme_export_of_its_cohorts_imports_as_no_change(programme):
    lead = lead_of(programme)
    load(_cohorts(SPRING, AUTUMN), programme=programme, by=lead)

    content = book_export(programme=programme, by=lead)
    report = load(content, programme=programme, by=lead)

    assert [row.action for row in report.rows if row.sheet == "Cohorts"] == [
        UNCHANGED,
        UNCHANGED,
    ]


def test_the_template_has_both_recruitment_sheets_with_their_columns(programme):
    content = book_template(by=lead_of(programme))

    workbook_read = load_workbook(io.BytesIO(content), read_only=True)
    cohorts = next(workbook_read["Cohorts"].iter_rows(values_only=True))
    applications = next(workbook_read["Applications"].iter_rows(values_only=True))
    assert cohorts[:4] == ("Cohort", "Applications open", "Applications close", "Training starts")
    assert {"E-mail", "Received on", "Accepted on", "Deferred to", "Statement"} <= set(applications)
