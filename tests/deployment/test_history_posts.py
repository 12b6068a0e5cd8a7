"""Posts and appointments come in from a programme's history workbook as
HR would have recorded them on the day: a vacant HCA post converted into a
peer worker post on its day, a person appointed two years ago after their
portfolio passed, in post at 6, 12 and 24 months on the retention page.
Loading the same rows again changes nothing; bad rows are refused naming
the sheet, row and column; the preview writes nothing; nothing is sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deployment import selectors
from deployment.models import Appointment, Post, PostConversion
from peerprog.core.dates import add_months
from peerprog.core.import_reading import ImportRefused
from peerprog.core.models import OutboxEmail, Reminder
from peerprog.core.reminders.services import reminders_run_group
from peerprog.core.workbook import NEW, UNCHANGED
from tests.deployment.history_book import actions, ago, counts, fresh_programme, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh():
    today = timezone.localdate()
    return fresh_programme(passed_on=add_months(today, -25))


def _rows(fresh):
    # Two years and a few days ago: every milestone is already past.
    start = add_months(timezone.localdate(), -24) - timedelta(days=3)
    converted_on = fresh.passed_on - timedelta(days=30)
    posts = [
        {
            "Position number": "4101",
            "Job title": "Health Care Assistant",
            "Service": "Cedar Ward",
            "Role": "HCA",
            "Band": "Band 3",
            "WTE": 0.6,
            "Status": "Converted",
            "Converted on": converted_on,
            "Converted to": "4101",
            "Reason for conversion": "Peer worker post for the LXP programme.",
        },
        {
            "Position number": "4101",
            "Job title": "Lived Experience Practitioner",
            "Service": "Cedar Ward",
            "Role": "Peer worker (LXP)",
            "Band": "Band 3",
            "WTE": 0.6,
            "Status": "Filled",
        },
    ]
    appointments = [
        {
            "E-mail": "Sam.Jones@example.org",
            "Position number": "4101",
            "Start date": start,
            "Checks cleared on": start - timedelta(days=10),
            "Hours (WTE)": 0.6,
            "Lead": "No",
        }
    ]
    return {"Posts": posts, "Appointments": appointments}, converted_on, start


def test_a_conversion_is_loaded_with_its_day_and_kept_as_a_real_conversion(fresh):
    sheets, converted_on, _ = _rows(fresh)

    report = load({"Posts": sheets["Posts"]}, programme=fresh.programme, by=fresh.lead)

    assert actions(report) == [NEW, NEW]
    conversion = PostConversion.objects.get(programme=fresh.programme)
    assert timezone.localdate(conversion.converted_at) == converted_on
    assert conversion.original.status == Post.Status.CONVERTED
    assert conversion.original.role == "hca"
    assert conversion.new_post.role == "lxp"
    assert conversion.new_post.status == Post.Status.VACANT
    assert conversion.new_post.position_number == "4101"
    client = Client()
    client.force_login(fresh.lead)
    page = client.get(reverse("deployment:post-detail", args=[conversion.original.pk]))
    assert f"{converted_on:%-d %B %Y}" in page.content.decode()


def test_an_appointment_two_years_ago_shows_in_post_at_6_12_and_24_months(fresh):
    sheets, _, start = _rows(fresh)

    load(sheets, programme=fresh.programme, by=fresh.lead)

    appointment = Appointment.objects.get(person=fresh.person)
    assert appointment.status == Appointment.Status.IN_POST
    assert appointment.start_date == start
    assert appointment.post.status == Post.Status.FILLED
    assert all(
        check.completed_on == start - timedelta(days=10) for check in appointment.checks.all()
    )
    report = selectors.retention_report(user=fresh.lead)
    assert report.overall.appointed == 1
    assert report.overall.retained == {6: 1, 12: 1, 24: 1}
    assert report.overall.percent(24) == 100
    client = Client()
    client.force_login(fresh.lead)
    page = client.get(reverse("deployment:retention")).content.decode()
    assert "100% <span" in page


def test_loading_the_same_rows_again_changes_nothing(fresh):
    sheets, _, _ = _rows(fresh)
    load(sheets, programme=fresh.programme, by=fresh.lead)
    before = counts()

    report = load(sheets, programme=fresh.programme, by=fresh.lead)

    assert actions(report) == [UNCHANGED, UNCHANGED, UNCHANGED]
    assert counts() == before


def test_importing_sends_nothing_and_leaves_no_reminder_for_days_past(fresh):
    sheets, _, _ = _rows(fresh)
    queued = list(OutboxEmail.objects.values_list("pk", "subject"))

    load(sheets, programme=fresh.programme, by=fresh.lead)
    reminders_run_group(group="deployment")

    assert list(OutboxEmail.objects.values_list("pk", "subject")) == queued
    assert not Reminder.objects.filter(recipient_user__programme=fresh.programme).exists()


def test_the_preview_writes_nothing(fresh):
    sheets, _, _ = _rows(fresh)
    before = counts()

    report = load(sheets, programme=fresh.programme, by=fresh.lead, write=False)

    assert [str(e) for e in report.errors] == []
    assert actions(report) == [NEW, NEW, NEW]
    assert counts() == before


def test_an_appointment_before_the_portfolio_pass_is_refused_naming_sheet_row_and_column(fresh):
    sheets, _, _ = _rows(fresh)
    sheets["Appointments"][0]["Start date"] = fresh.passed_on - timedelta(days=1)
    sheets["Appointments"][0]["Checks cleared on"] = fresh.passed_on - timedelta(days=5)
    sheets["Posts"][0]["WTE"] = "lots"
    before = counts()

    report = load(sheets, programme=fresh.programme, by=fresh.lead, write=False)
    with pytest.raises(ImportRefused):
        load(sheets, programme=fresh.programme, by=fresh.lead)

    errors = [(e.sheet, e.row, e.column, e.message) for e in report.errors]
    assert ("Posts", 2, "WTE", "“lots” is not a number.") in errors
    appointment_errors = [e for e in errors if e[0] == "Appointments"]
    assert appointment_errors and appointment_errors[0][1] == 2
    assert counts() == before


def test_the_appointment_of_a_person_not_in_the_programme_is_refused(fresh):
    sheets, _, _ = _rows(fresh)
    sheets["Appointments"][0]["E-mail"] = "nobody@example.org"

    report = load(sheets, programme=fresh.programme, by=fresh.lead, write=False)

    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("Appointments", 2, "E-mail")
    assert "nobody@example.org" in error.message


def test_a_start_before_the_checks_cleared_is_refused(fresh):
    sheets, _, start = _rows(fresh)
    sheets["Appointments"][0]["Checks cleared on"] = start + timedelta(days=3)

    report = load(sheets, programme=fresh.programme, by=fresh.lead, write=False)

    [error] = report.errors
    assert error.sheet == "Appointments"
    assert "cannot be before the checks" in error.message


def test_a_leaver_and_a_transfer_are_loaded_with_their_days(fresh):
    sheets, _, start = _rows(fresh)
    sheets["Posts"].append(
        {
            "Position number": "5001",
            "Job title": "Lead Lived Experience Practitioner",
            "Service": "Cedar Ward",
            "Role": "Lead LXP",
            "Band": "Band 5",
            "WTE": 1,
            "Status": "Vacant",
        }
    )
    moved_on = add_months(start, 13)
    left_on = ago(days=20)
    sheets["Appointments"].append(
        {
            "E-mail": "sam.jones@example.org",
            "Position number": "5001",
            "Start date": moved_on,
            "Hours (WTE)": 1,
            "Lead": "Yes",
            "Transferred from": "4101",
            "Left on": left_on,
            "Leaving reason": "Further study",
        }
    )

    load(sheets, programme=fresh.programme, by=fresh.lead)
    again = load(sheets, programme=fresh.programme, by=fresh.lead)

    first, second = Appointment.objects.filter(person=fresh.person).order_by("start_date")
    assert (first.status, first.ended_on) == (
        Appointment.Status.TRANSFERRED,
        moved_on - timedelta(days=1),
    )
    assert (second.status, second.ended_on, second.is_lead_lxp) == (
        Appointment.Status.LEFT,
        left_on,
        True,
    )
    assert second.leaving_reason.label == "Further study"
    assert set(actions(again)) == {UNCHANGED}
    report = selectors.retention_report(user=fresh.lead)
    assert report.overall.retained == {6: 1, 12: 1, 24: 0}


def test_retention_snapshots_already_taken_are_retaken_from_the_import(fresh):
    from deployment.models import RetentionSnapshot
    from deployment.snapshots import previous_month, retention_snapshot_take
    from tests.deployment.factories import AppointmentFactory

    # Another programme's peer worker: the month is taken for that programme
    # only, before the workbook brings this programme's history.
    AppointmentFactory(start_date=ago(days=200))
    month = previous_month()
    retention_snapshot_take(month=month)
    assert not RetentionSnapshot.objects.filter(programme=fresh.programme).exists()
    sheets, _, _ = _rows(fresh)

    load(sheets, programme=fresh.programme, by=fresh.lead)

    rows = RetentionSnapshot.objects.current().filter(programme=fresh.programme, month=month)
    assert [(r.in_post, r.appointed, r.retained_12) for r in rows] == [(1, 1, 1)]
    assert sum(row.retained_12 for row in rows) == 1
