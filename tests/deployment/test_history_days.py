"""Recruitment-day outcomes and absences come in from a programme's history
workbook with their days: a candidate appointed at the recruitment day and
another put on the reserve list from the day given, who later covers an
absence. Loading again changes nothing; the health category of a sickness
absence is only for those who may read it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deployment.models import (
    Absence,
    Appointment,
    Candidate,
    Interview,
    ReserveEntry,
)
from peerprog.core.dates import add_months
from peerprog.core.import_reading import ImportRefused
from peerprog.core.models import Person, Role
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE
from tests.core.factories import UserFactory
from tests.deployment.history_book import actions, ago, counts, export, fresh_programme, load

pytestmark = pytest.mark.django_db


def _graduates(name: str = "Imported programme"):
    from recruitment.models import Application
    from tests.recruitment.factories import ApplicationFactory
    from tests.training.factories import accept
    from training.models import Enrolment
    from training.services.enrolment import enrolment_move

    fresh = fresh_programme(passed_on=ago(days=400), name=name)
    # A second graduate of the same cohort.
    cohort = Application.objects.get(person=fresh.person).cohort
    person = Person.objects.create(
        programme=fresh.programme, first_name="Alex", last_name="Reid", email="alex@example.org"
    )
    application = ApplicationFactory(cohort=cohort, person=person)
    accept(application)
    enrolment = Enrolment.objects.get(application=application)
    enrolment_move(enrolment=enrolment, to=Enrolment.Status.COMPLETED, passed_on=ago(days=390))
    return fresh


@pytest.fixture
def fresh():
    return _graduates()


def _sheets(fresh):
    day = ago(days=350)
    start = ago(days=320)
    return {
        "Posts": [
            {
                "Position number": "7001",
                "Job title": "Lived Experience Practitioner",
                "Service": "Cedar Ward",
                "Role": "LXP",
                "Band": "3",
                "WTE": 0.8,
                "Status": "Filled",
                "Advert reference": "NHSJOBS-7001",
                "Advert opens on": day - timedelta(days=35),
                "Advert closes on": day - timedelta(days=7),
            }
        ],
        "Recruitment days": [
            {
                "E-mail": "alex@example.org",
                "Position number": "7001",
                "Applied on": day - timedelta(days=20),
                "Candidate status": "Shortlisted",
                "Recruitment day": day,
                "Venue": "Education centre",
                "Panel": "Panel A",
                "Interview time": "09:30",
                "Outcome": "Place on the reserve list",
                "On the reserve list from": day + timedelta(days=2),
                "On the reserve list until": add_months(day + timedelta(days=2), 12),
            },
            {
                "E-mail": "sam.jones@example.org",
                "Position number": "7001",
                "Applied on": day - timedelta(days=21),
                "Candidate status": "Shortlisted",
                "Recruitment day": day,
                "Venue": "Education centre",
                "Panel": "Panel A",
                "Interview time": "10:00",
                "Outcome": "Appoint",
                "Decided on": day + timedelta(days=1),
            },
        ],
        "Appointments": [
            {"E-mail": "sam.jones@example.org", "Position number": "7001", "Start date": start}
        ],
        "Absences": [
            {
                "E-mail": "sam.jones@example.org",
                "Position number": "7001",
                "From": start + timedelta(days=60),
                "To": start + timedelta(days=100),
                "Kind": "Sickness",
                "Health category": "Musculoskeletal",
                "Cover": "A reserve peer worker",
                "Covered by (e-mail)": "alex@example.org",
            }
        ],
    }


def test_recruitment_day_outcomes_and_absences_are_loaded_with_their_days(fresh):
    sheets = _sheets(fresh)
    day = sheets["Recruitment days"][0]["Recruitment day"]

    report = load(sheets, programme=fresh.programme, by=fresh.lead)

    # The appointment was offered by the appoint decision; its row starts it.
    assert actions(report) == [NEW, NEW, NEW, UPDATE, NEW]
    entry = ReserveEntry.objects.get(person__email="alex@example.org")
    assert entry.placed_on == day + timedelta(days=2)
    assert entry.stands_until == add_months(day + timedelta(days=2), 12)
    appointed = Interview.objects.get(candidate__person=fresh.person)
    assert appointed.outcome == Interview.Outcome.APPOINT
    assert appointed.decided_at.date() == day + timedelta(days=1)
    candidate = Candidate.objects.get(person=fresh.person)
    assert candidate.applied_on == day - timedelta(days=21)
    appointment = Appointment.objects.get(person=fresh.person)
    assert appointment.status == Appointment.Status.IN_POST
    assert appointment.interview == appointed
    absence = Absence.objects.get(appointment=appointment)
    assert (absence.cover_reserve, absence.health.category) == (entry, "musculoskeletal")


def test_loading_outcomes_and_absences_again_changes_nothing(fresh):
    sheets = _sheets(fresh)
    load(sheets, programme=fresh.programme, by=fresh.lead)
    before = counts()

    report = load(sheets, programme=fresh.programme, by=fresh.lead)

    assert set(actions(report)) == {UNCHANGED}
    assert counts() == before


def test_only_a_lead_or_hr_may_import_a_health_category(fresh):
    admin = UserFactory(programme=fresh.programme, roles=[Role.ADMIN])
    sheets = _sheets(fresh)

    report = load(sheets, programme=fresh.programme, by=admin, write=False)

    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("Absences", 2, "Health category")


def test_a_converted_post_without_the_post_it_became_is_refused(fresh):
    sheets = {
        "Posts": [
            {
                "Position number": "4101",
                "Job title": "Health Care Assistant",
                "Service": "Cedar Ward",
                "Role": "HCA",
                "Band": "3",
                "WTE": 1,
                "Status": "Converted",
                "Converted on": ago(days=30),
            }
        ]
    }
    before = counts()

    with pytest.raises(ImportRefused, match="4101"):
        load(sheets, programme=fresh.programme, by=fresh.lead)

    assert counts() == before


def test_an_export_loads_into_another_programme_as_new_records(fresh):
    from deployment import history_absences, history_appointments, history_days, history_posts

    load(_sheets(fresh), programme=fresh.programme, by=fresh.lead)
    sheets = (
        history_posts.SHEET,
        history_days.SHEET,
        history_appointments.SHEET,
        history_absences.SHEET,
    )
    exported = export(sheets, programme=fresh.programme, by=fresh.lead)
    other = _graduates(name="Another programme")

    report = load(exported, programme=other.programme, by=other.lead)

    assert actions(report) == [NEW, NEW, NEW, UPDATE, NEW]
    again = load(exported, programme=other.programme, by=other.lead)
    assert set(actions(again)) == {UNCHANGED}
    appointment = Appointment.objects.get(programme=other.programme)
    assert appointment.start_date == _sheets(fresh)["Appointments"][0]["Start date"]


def test_the_programme_export_imports_again_changing_nothing(fresh):
    from peerprog.core.workbook import load_book
    from peerprog.core.workbook_export import book_export, book_template

    load(_sheets(fresh), programme=fresh.programme, by=fresh.lead)
    content = book_export(programme=fresh.programme, by=fresh.lead)
    # The deployment sheets: the fixture's graduate passed without the
    # records of a course, which the trainees' sheet would ask for.
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    for title in list(book.sheetnames):
        if title not in ("Posts", "Recruitment days", "Appointments", "Absences"):
            del book[title]
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    before = counts()

    preview = load_book(
        content=content, file_format="xlsx", programme=fresh.programme, by=fresh.lead, write=False
    )
    assert preview.ok, [str(error) for error in preview.errors]
    report = load_book(
        content=content,
        file_format="xlsx",
        programme=fresh.programme,
        by=fresh.lead,
        write=True,
    )

    deployment_sheets = ("Posts", "Recruitment days", "Appointments", "Absences")
    assert [row.sheet for row in report.rows if row.sheet in deployment_sheets] == [
        "Posts",
        "Recruitment days",
        "Recruitment days",
        "Appointments",
        "Absences",
    ]
    assert set(actions(report)) == {UNCHANGED}
    assert counts() == before
    assert book_template(by=fresh.lead, only="appointments")
