"""Monthly retention snapshots: one aggregate query per month, per training
cohort and service; written once, a rerun writes nothing; the backfill
command; the figures agree with the retention page."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from deployment.models import Appointment, Post, RetentionSnapshot
from deployment.selectors import retention_report
from deployment.snapshots import previous_month, retention_snapshot_take
from peerprog.core.models import Programme, Role, Service, User
from peerprog.core.services import DomainError
from tests.core.factories import ServiceFactory, UserFactory
from tests.deployment.factories import (
    AbsenceFactory,
    AppointmentFactory,
    LeavingReasonFactory,
    PeerPostFactory,
    graduate,
)

LONDON = ZoneInfo("Europe/London")
MARCH = date(2026, 3, 1)


def appoint(service: Service, start: date, **values: Any) -> Appointment:
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
    """Two graduates of one cohort on Willow Ward (one since January 2025,
    one who started in March 2026 with an absence across the month's end),
    and on Oak Team someone with no cohort on record who left in March."""
    willow = ServiceFactory(programme=programme, name="Willow Ward")
    oak = ServiceFactory(programme=programme, name="Oak Team")
    first = graduate(programme, passed_on=date(2024, 12, 1))
    cohort = first.enrolments.get().cohort
    second = graduate(programme, passed_on=date(2025, 12, 1), cohort=cohort)
    settled = appoint(willow, date(2025, 1, 15), person=first)
    appoint(willow, date(2026, 3, 10), person=second)
    AbsenceFactory(appointment=settled, starts_on=date(2026, 3, 28), ends_on=date(2026, 4, 3))
    appoint(
        oak,
        date(2025, 9, 1),
        status=Appointment.Status.LEFT,
        ended_on=date(2026, 3, 20),
        leaving_reason=LeavingReasonFactory(programme=programme),
    )
    return {"willow": willow, "oak": oak, "cohort": cohort}


def figures(snapshot: RetentionSnapshot) -> tuple[int, ...]:
    return (
        snapshot.appointed,
        snapshot.in_post,
        snapshot.starters,
        snapshot.leavers,
        snapshot.absence_days,
        snapshot.reached_6,
        snapshot.retained_6,
        snapshot.reached_12,
        snapshot.retained_12,
        snapshot.reached_24,
        snapshot.retained_24,
    )


def test_a_month_is_snapshotted_per_cohort_and_service(records: dict[str, Any]) -> None:
    written = retention_snapshot_take(month=MARCH)

    assert written == 2
    willow = RetentionSnapshot.objects.get(month=MARCH, service=records["willow"])
    assert willow.cohort == records["cohort"]
    # Two appointed and in post, one starter, no leaver, four days of absence
    # in March (28 to 31), the January 2025 start past 6 and 12 months.
    assert figures(willow) == (2, 2, 1, 0, 4, 1, 1, 1, 1, 0, 0)
    oak = RetentionSnapshot.objects.get(month=MARCH, service=records["oak"])
    assert oak.cohort is None
    # Left on 20 March, after reaching 6 months in post on 1 March.
    assert figures(oak) == (1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0)


def test_a_month_taken_again_writes_nothing_even_after_the_records_change(
    records: dict[str, Any],
) -> None:
    retention_snapshot_take(month=MARCH)
    before = {s.pk: figures(s) for s in RetentionSnapshot.objects.all()}
    appoint(records["willow"], date(2026, 3, 2))

    assert retention_snapshot_take(month=date(2026, 3, 17)) == 0
    assert {s.pk: figures(s) for s in RetentionSnapshot.objects.all()} == before


def test_the_snapshot_agrees_with_the_retention_page_at_the_months_end(
    records: dict[str, Any], hr: User
) -> None:
    retention_snapshot_take(month=MARCH)
    page = retention_report(user=hr, today=date(2026, 3, 31)).overall
    rows = RetentionSnapshot.objects.filter(month=MARCH)

    assert sum(r.appointed for r in rows) == page.appointed
    assert sum(r.in_post for r in rows) == page.still_in_post
    for months in (6, 12, 24):
        assert sum(getattr(r, f"reached_{months}") for r in rows) == page.reached[months]
        assert sum(getattr(r, f"retained_{months}") for r in rows) == page.retained[months]


def test_a_snapshot_costs_two_queries_however_many_people(
    programme: Programme, django_assert_num_queries: Any
) -> None:
    service = ServiceFactory(programme=programme)
    appoint(service, date(2025, 5, 1))
    # The programmes' lock, one query, and the savepoint around them.
    with django_assert_num_queries(4):
        retention_snapshot_take(month=date(2026, 1, 1))
    for day in range(1, 21):
        appoint(service, date(2025, 6, day))
    with django_assert_num_queries(4):
        retention_snapshot_take(month=date(2026, 2, 1))

    assert RetentionSnapshot.objects.get(month=date(2026, 2, 1)).appointed == 21


def test_a_month_that_has_not_ended_is_refused(db: Any) -> None:
    with pytest.raises(DomainError):
        retention_snapshot_take(
            month=date(2026, 3, 1), now=datetime(2026, 3, 31, 12, tzinfo=LONDON)
        )


def test_the_backfill_writes_every_past_month_once(records: dict[str, Any]) -> None:
    out = StringIO()
    call_command("retention_snapshots", "--until", "2026-03", stdout=out)
    first = RetentionSnapshot.objects.count()
    call_command("retention_snapshots", "--until", "2026-03", stdout=out)

    months = set(RetentionSnapshot.objects.values_list("month", flat=True))
    # From January 2025 (the first start) to March 2026: 15 months.
    assert len(months) == 15
    assert min(months) == date(2025, 1, 1)
    assert RetentionSnapshot.objects.count() == first
    assert "March 2026: already taken, nothing written" in out.getvalue()


@pytest.mark.parametrize(
    ("now", "month"),
    [
        # 00:30 on 1 April in summer time is still 31 March in UTC.
        (datetime(2026, 4, 1, 0, 30, tzinfo=LONDON), date(2026, 3, 1)),
        (datetime(2026, 3, 31, 23, 30, tzinfo=LONDON), date(2026, 2, 1)),
        # The clocks went back on 25 October; 1 November is in winter time.
        (datetime(2026, 11, 1, 0, 30, tzinfo=LONDON), date(2026, 10, 1)),
    ],
)
def test_the_monthly_task_takes_the_month_just_ended_in_london(now: datetime, month: date) -> None:
    assert previous_month(now) == month


def test_the_monthly_snapshot_is_scheduled_on_the_first_in_london_time(db: Any) -> None:
    task = PeriodicTask.objects.get(task="deployment.tasks.retention_snapshot_month")

    assert task.crontab.day_of_month == "1"
    assert str(task.crontab.timezone) == "Europe/London"
