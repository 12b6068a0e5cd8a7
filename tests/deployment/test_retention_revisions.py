"""Revised retention snapshots: an event recorded with a date in a month
already snapshotted re-takes that month and the later months taken, keeping
the original beside the revision; the retention page counts the revision and
says when the month was revised; the export shows both rows and when each
was revised or superseded; an ordinary rerun, or a re-take whose figures
agree, writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deployment.models import Absence, Appointment, Post, RetentionSnapshot
from deployment.services import (
    absence_record,
    appointment_confirm_start,
    appointment_leave,
    appointment_transfer,
)
from deployment.snapshots import (
    retention_snapshot_take,
    retention_snapshots_backfill,
    retention_snapshots_revise,
)
from peerprog.core.models import Programme, Role, Service, User
from tests.core.export_helpers import column, download
from tests.core.factories import ServiceFactory, UserFactory
from tests.deployment.factories import (
    AppointmentFactory,
    LeavingReasonFactory,
    PeerPostFactory,
    graduate,
)

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY, MARCH = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def appoint(service: Service, start: date | None, **values: Any) -> Appointment:
    return AppointmentFactory(
        post=PeerPostFactory(service=service, status=Post.Status.FILLED),
        start_date=start,
        **values,
    )


@pytest.fixture
def hr(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.HR])


@pytest.fixture
def records(programme: Programme) -> dict[str, Any]:
    """A graduate on Willow Ward since January 2025 and, on Oak Team,
    someone with no cohort on record who left on 20 March 2026; January to
    March 2026 already snapshotted."""
    willow = ServiceFactory(programme=programme, name="Willow Ward")
    oak = ServiceFactory(programme=programme, name="Oak Team")
    ada = graduate(programme, passed_on=date(2024, 12, 1))
    settled = appoint(willow, date(2025, 1, 15), person=ada)
    appoint(
        oak,
        date(2025, 9, 1),
        status=Appointment.Status.LEFT,
        ended_on=date(2026, 3, 20),
        leaving_reason=LeavingReasonFactory(programme=programme),
    )
    retention_snapshots_backfill(since=JANUARY, until=MARCH)
    return {"willow": willow, "oak": oak, "settled": settled}


def rows_of(month: date, service: Service) -> list[RetentionSnapshot]:
    return list(RetentionSnapshot.objects.filter(month=month, service=service))


def today_in_words() -> str:
    return f"{timezone.localdate():%-d %B %Y}"


def start_on_oak(records: dict[str, Any], hr: User, day: date) -> Appointment:
    # Planned for that day, so its checks were cleared before it.
    offered = appoint(records["oak"], day, status=Appointment.Status.OFFERED)
    return appointment_confirm_start(appointment=offered, start_date=day, by=hr)


def test_a_start_dated_into_a_month_taken_is_kept_as_a_revision_beside_the_original(
    records: dict[str, Any], hr: User
) -> None:
    before = rows_of(FEBRUARY, records["oak"])[0]

    start_on_oak(records, hr, date(2026, 2, 10))

    original, revision = rows_of(FEBRUARY, records["oak"])
    assert (original.pk, original.revision, original.appointed) == (before.pk, 0, 1)
    assert original.superseded_at is not None
    assert (revision.revision, revision.superseded_at) == (1, None)
    assert (revision.appointed, revision.in_post, revision.starters) == (2, 2, 1)
    # March changes too (two appointed, one still in post); January does not.
    assert [row.appointed for row in rows_of(MARCH, records["oak"])] == [1, 2]
    assert len(rows_of(JANUARY, records["oak"])) == 1


def test_the_retention_page_counts_the_revision_and_says_when_it_was_revised(
    records: dict[str, Any], hr: User
) -> None:
    start_on_oak(records, hr, date(2026, 2, 10))
    client = Client()
    client.force_login(hr)

    html = client.get(reverse("deployment:retention")).content.decode()

    assert (
        f'<th scope="row">February 2026 <span class="fw-normal small">(revised on '
        f"{today_in_words()})</span></th><td>3</td><td>3</td><td>1</td>"
    ) in html
    assert '<th scope="row">January 2026</th><td>2</td><td>2</td><td>0</td>' in html


def test_a_leaver_dated_into_a_month_taken_revises_it(
    records: dict[str, Any], hr: User, programme: Programme
) -> None:
    appointment_leave(
        appointment=records["settled"],
        last_day=date(2026, 2, 15),
        reason=LeavingReasonFactory(programme=programme),
        by=hr,
    )

    february = RetentionSnapshot.objects.current().get(month=FEBRUARY, service=records["willow"])
    assert (february.revision, february.in_post, february.leavers) == (1, 0, 1)
    march = RetentionSnapshot.objects.current().get(month=MARCH, service=records["willow"])
    assert (march.revision, march.in_post, march.leavers) == (1, 0, 0)


def test_an_absence_revises_only_the_months_whose_figures_change(
    records: dict[str, Any], hr: User
) -> None:
    absence_record(
        appointment=records["settled"],
        kind=Absence.Kind.ANNUAL_LEAVE,
        starts_on=date(2026, 2, 9),
        ends_on=date(2026, 2, 13),
        by=hr,
    )

    february = RetentionSnapshot.objects.current().get(month=FEBRUARY, service=records["willow"])
    assert (february.revision, february.absence_days) == (1, 5)
    assert len(rows_of(MARCH, records["willow"])) == 1
    assert len(rows_of(FEBRUARY, records["oak"])) == 1


def test_an_ordinary_rerun_writes_nothing_for_a_month_already_taken(
    records: dict[str, Any], hr: User
) -> None:
    start_on_oak(records, hr, date(2026, 2, 10))
    count = RetentionSnapshot.objects.count()

    assert retention_snapshot_take(month=FEBRUARY) == 0
    assert retention_snapshots_backfill(since=JANUARY, until=MARCH) == 0
    assert RetentionSnapshot.objects.count() == count


def test_a_retake_whose_figures_agree_writes_no_revision(
    records: dict[str, Any], programme: Programme, hr: User
) -> None:
    start_on_oak(records, hr, date(2026, 2, 10))
    count = RetentionSnapshot.objects.count()

    assert retention_snapshots_revise(programme_id=programme.pk, since=JANUARY) == 0
    assert RetentionSnapshot.objects.count() == count


def test_a_transfer_dated_into_a_month_taken_changes_no_figure_and_writes_no_revision(
    records: dict[str, Any], hr: User
) -> None:
    count = RetentionSnapshot.objects.count()

    # A transfer is not leaving, and the person still counts under the
    # service where they started, so February's figures stand as taken.
    appointment_transfer(
        appointment=records["settled"],
        to_post=PeerPostFactory(service=records["oak"]),
        first_day=date(2026, 2, 16),
        by=hr,
    )

    assert RetentionSnapshot.objects.count() == count


def test_an_event_dated_after_the_months_taken_writes_no_revision(
    records: dict[str, Any], hr: User
) -> None:
    count = RetentionSnapshot.objects.count()

    start_on_oak(records, hr, date(2026, 4, 6))

    assert RetentionSnapshot.objects.count() == count


def test_the_export_shows_the_original_and_the_revision_and_when(
    records: dict[str, Any], hr: User, programme: Programme
) -> None:
    start_on_oak(records, hr, date(2026, 2, 10))
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])

    rows = download(lead, "deployment:snapshots-export")

    header = rows[0]
    oak = [
        dict(zip(header, row, strict=True))
        for row in rows[1:]
        if row[0] == "February 2026" and row[2] == "Oak Team"
    ]
    assert [(row["Appointed"], row["Revised on"], row["Superseded on"]) for row in oak] == [
        ("1", "", today_in_words()),
        ("2", today_in_words(), ""),
    ]
    assert set(column(rows, "Revised on")) == {"", today_in_words()}


def test_the_retention_page_costs_the_same_queries_once_months_are_revised(
    records: dict[str, Any], hr: User
) -> None:
    client = Client()
    client.force_login(hr)
    client.get(reverse("deployment:retention"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("deployment:retention"))

    start_on_oak(records, hr, date(2026, 1, 10))
    # The first view after the change counts the stored figures again.
    client.get(reverse("deployment:retention"))
    with CaptureQueriesContext(connection) as after:
        html = client.get(reverse("deployment:retention")).content.decode()

    assert html.count("(revised on") == 3
    assert len(after) == len(before)
