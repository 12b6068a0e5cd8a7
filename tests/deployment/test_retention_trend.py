"""The retention page's month-by-month trend from the monthly snapshots: the
snapshots agree with the page's own figures at each month's end, the trend
costs the same queries however many months there are, it narrows to a
cohort or a service, and the admin shows snapshots without changing them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deployment.models import Appointment, Post, RetentionSnapshot
from deployment.selectors import retention_report, retention_trend
from deployment.snapshots import month_end, retention_snapshots_backfill
from peerprog.core.models import Programme, Role, Service, User
from tests.core.factories import ServiceFactory, UserFactory
from tests.deployment.factories import (
    AbsenceFactory,
    AppointmentFactory,
    LeavingReasonFactory,
    PeerPostFactory,
    graduate,
)

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2024, 1, 1), date(2025, 12, 1)


def appoint(service: Service, start: date, **values: Any) -> Appointment:
    return AppointmentFactory(
        post=PeerPostFactory(service=service, status=Post.Status.FILLED),
        start_date=start,
        **values,
    )


def leave(service: Service, start: date, last_day: date, **values: Any) -> Appointment:
    return appoint(
        service,
        start,
        status=Appointment.Status.LEFT,
        ended_on=last_day,
        leaving_reason=LeavingReasonFactory(programme=service.programme),
        **values,
    )


@pytest.fixture
def hr(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.HR])


@pytest.fixture
def records(programme: Programme) -> dict[str, Any]:
    """Everything the rules treat differently: a transfer between services,
    a leaver who came back after a gap (the first spell ended), a start on
    the 31st (its 6 months end on 30 November), someone not started yet in
    the early months, an absence, and a person with no cohort on record."""
    willow = ServiceFactory(programme=programme, name="Willow Ward")
    oak = ServiceFactory(programme=programme, name="Oak Team")
    ada = graduate(programme, passed_on=date(2023, 12, 1))
    cohort = ada.enrolments.get().cohort
    settled = appoint(willow, date(2024, 1, 15), person=ada)
    AbsenceFactory(appointment=settled, starts_on=date(2024, 3, 28), ends_on=date(2024, 4, 3))

    ben = graduate(programme, passed_on=date(2024, 5, 1), cohort=cohort)
    appoint(
        willow,
        date(2024, 6, 1),
        person=ben,
        status=Appointment.Status.TRANSFERRED,
        ended_on=date(2025, 3, 31),
    )
    appoint(oak, date(2025, 4, 1), person=ben)

    came_back = leave(oak, date(2024, 9, 10), date(2025, 2, 20))
    appoint(oak, date(2025, 6, 1), person=came_back.person)

    dee = graduate(programme, passed_on=date(2025, 5, 1), cohort=cohort)
    leave(oak, date(2025, 5, 31), date(2025, 12, 15), person=dee)
    appoint(willow, date(2025, 8, 15))
    return {"willow": willow, "oak": oak, "cohort": cohort}


def summed(rows: Any) -> tuple[int, ...]:
    return (
        sum(r.appointed for r in rows),
        sum(r.in_post for r in rows),
        *(sum(getattr(r, f"reached_{m}") for r in rows) for m in (6, 12, 24)),
        *(sum(getattr(r, f"retained_{m}") for r in rows) for m in (6, 12, 24)),
    )


def page_figures(row: Any) -> tuple[int, ...]:
    return (
        row.appointed,
        row.still_in_post,
        *(row.reached[m] for m in (6, 12, 24)),
        *(row.retained[m] for m in (6, 12, 24)),
    )


def test_every_months_snapshot_matches_the_retention_page_on_its_last_day(
    records: dict[str, Any], hr: User
) -> None:
    retention_snapshots_backfill(since=FIRST, until=LAST)
    month = FIRST
    while month <= LAST:
        report = retention_report(user=hr, today=month_end(month))
        rows = list(
            RetentionSnapshot.objects.filter(month=month).select_related("cohort", "service")
        )

        assert summed(rows) == page_figures(report.overall), month
        for cohort in report.cohorts:
            mine = [r for r in rows if (r.cohort.name if r.cohort else "") == cohort.row.label]
            if cohort.row.label == "No training cohort on record":
                mine = [r for r in rows if r.cohort is None]
            assert summed(mine) == page_figures(cohort.row), (month, cohort.row.label)
        for service in report.services:
            mine = [r for r in rows if r.service.name == service.label]
            assert summed(mine) == page_figures(service), (month, service.label)
        month = month_end(month) + timedelta(days=1)


def test_a_gap_ends_the_first_spell_in_the_snapshot_as_on_the_page(
    records: dict[str, Any],
) -> None:
    retention_snapshots_backfill(since=date(2025, 2, 1), until=date(2025, 6, 1))
    oak = {
        r.month: r
        for r in RetentionSnapshot.objects.filter(service=records["oak"], cohort__isnull=True)
    }

    # Left on 20 February; back from 1 June in a new spell, which retention
    # does not count: not in post, and no new starter.
    assert (oak[date(2025, 2, 1)].leavers, oak[date(2025, 2, 1)].in_post) == (1, 0)
    assert (oak[date(2025, 6, 1)].in_post, oak[date(2025, 6, 1)].starters) == (0, 0)


def test_the_trend_narrows_to_a_cohort_or_a_service_with_zero_in_months_without_them(
    records: dict[str, Any], hr: User
) -> None:
    retention_snapshots_backfill(since=FIRST, until=LAST)

    everyone = retention_trend(user=hr, months=100)
    oak = retention_trend(user=hr, service=records["oak"], months=100)
    cohort = retention_trend(user=hr, cohort=records["cohort"], months=100)

    assert [m.month for m in everyone] == [m.month for m in oak] == [m.month for m in cohort]
    assert everyone[0].month == FIRST and everyone[-1].month == LAST
    # Nobody started on Oak Team before September 2024.
    assert [m.in_post for m in oak[:8]] == [0] * 8
    assert oak[8].starters == 1
    by_month = {m.month: m for m in everyone}
    assert by_month[date(2024, 3, 1)].absence_days == 4
    assert by_month[date(2025, 12, 1)].leavers == 1
    assert by_month[date(2025, 12, 1)].in_post == 3
    assert [m.month for m in retention_trend(user=hr)] == [m.month for m in everyone[-24:]]


def test_the_trend_is_kept_to_the_users_programme(
    records: dict[str, Any], other_programme: Programme
) -> None:
    appoint(ServiceFactory(programme=other_programme), date(2023, 6, 1))
    retention_snapshots_backfill(since=date(2023, 6, 1), until=LAST)
    outsider = UserFactory(programme=other_programme, roles=[Role.HR])

    months = retention_trend(user=outsider, months=100)

    assert months[0].month == date(2023, 6, 1)
    assert {m.in_post for m in months} == {1}


def page_queries(client: Client, **params: Any) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("deployment:retention"), params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_retention_page_costs_the_same_queries_whatever_the_months_and_snapshots(
    programme: Programme, hr: User
) -> None:
    client = Client()
    client.force_login(hr)
    services = [ServiceFactory(programme=programme, name=f"Ward {n}") for n in range(6)]
    appoint(services[0], date(2025, 9, 1))
    retention_snapshots_backfill(since=date(2025, 9, 1), until=date(2025, 10, 1))
    small = page_queries(client)[0]
    small_filtered = page_queries(client, service=services[0].pk)[0]

    for number, service in enumerate(services):
        for day in (2, 9, 16):
            appoint(service, date(2023, 1 + number, day))
    RetentionSnapshot.objects.all().delete()
    retention_snapshots_backfill(since=date(2023, 1, 1), until=LAST)
    assert RetentionSnapshot.objects.count() > 100

    large, html = page_queries(client)
    assert large == small
    assert page_queries(client, service=services[0].pk)[0] == small_filtered
    assert html.count('<th scope="row">') >= 24


def test_the_page_shows_each_months_snapshot_figures(records: dict[str, Any], hr: User) -> None:
    retention_snapshots_backfill(since=FIRST, until=LAST)
    client = Client()
    client.force_login(hr)

    html = page_queries(client, cohort=records["cohort"].pk)[1]

    cohort = RetentionSnapshot.objects.filter(month=LAST, cohort=records["cohort"])
    in_post = sum(r.in_post for r in cohort)
    appointed = sum(r.appointed for r in cohort)
    leavers = sum(r.leavers for r in cohort)
    assert (
        f'<th scope="row">December 2025</th><td>{appointed}</td><td>{in_post}</td>'
        f"<td>0</td><td>{leavers}</td>"
    ) in html
    assert f"Peer workers month by month: {records['cohort'].name}" in html
    # Drawn with Chart.js from a data block, the table beside it.
    assert 'data-chart="chart-retention-trend-data"' in html
    assert 'id="chart-retention-trend-data"' in html


def test_the_page_says_when_there_are_no_snapshots_yet(hr: User) -> None:
    client = Client()
    client.force_login(hr)

    html = page_queries(client)[1]

    assert "No monthly snapshots have been taken yet." in html


def test_a_cohort_of_another_programme_is_refused_in_the_trend_filter(
    records: dict[str, Any], hr: User, other_programme: Programme
) -> None:
    from tests.training.factories import CohortFactory

    foreign = CohortFactory(programme=other_programme)
    client = Client()
    client.force_login(hr)

    html = page_queries(client, cohort=foreign.pk)[1]

    assert "Select a valid choice" in html


def test_the_admin_lists_snapshots_and_changes_none(records: dict[str, Any]) -> None:
    retention_snapshots_backfill(since=LAST, until=LAST)
    snapshot = RetentionSnapshot.objects.first()
    assert snapshot is not None
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = reverse("admin:deployment_retentionsnapshot_changelist")
    change = reverse("admin:deployment_retentionsnapshot_change", args=[snapshot.pk])

    response = client.get(listing)
    assert response.status_code == 200
    assert "Willow Ward" in response.content.decode()
    assert client.get(reverse("admin:deployment_retentionsnapshot_add")).status_code == 403
    assert client.post(change, {"in_post": 99}).status_code == 403
    delete = reverse("admin:deployment_retentionsnapshot_delete", args=[snapshot.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert RetentionSnapshot.objects.get(pk=snapshot.pk).in_post == snapshot.in_post
