"""The activity report, the dashboard's per-service totals and the export:
the figures a lead sees, and the same number of queries for a few weeks
as for many peer workers and months."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deployment.services.activity import LineValues, activity_week_save
from peerprog.core.dates import monday_of
from peerprog.dashboard.activity import add_months, month_start
from peerprog.dashboard.services import dashboard_figures_refresh
from tests.core.factories import ServiceFactory
from tests.deployment.factories import AppointmentFactory, PeerPostFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _weeks_in(month: date) -> list[date]:
    day = monday_of(month)
    if day < month:
        day += timedelta(days=7)
    weeks = []
    while day.month == month.month and day <= monday_of(TODAY):
        weeks.append(day)
        day += timedelta(days=7)
    return weeks


def add_workers(programme: Any, lead: Any, count: int, months: int) -> None:
    for number in range(count):
        service = ServiceFactory(programme=programme, name=f"Activity ward {number}-{count}")
        appointment = AppointmentFactory(
            post=PeerPostFactory(service=service, status="filled"),
            start_date=TODAY - timedelta(days=400),
            created_by=lead,
        )
        for back in range(months):
            for week in _weeks_in(add_months(month_start(TODAY), -back)):
                activity_week_save(
                    appointment=appointment,
                    by=lead,
                    week_starting=week,
                    lines=[
                        LineValues("one_to_one", "ward", 3, 120),
                        LineValues("phone", "community", 2, 20),
                    ],
                    topics=[],
                    note="",
                )


def _count(client: Client, name: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, name
    return len(queries)


PAGES = [
    ("dashboard:activity", {}),
    ("dashboard:activity", {"month": f"{add_months(month_start(TODAY), -1):%Y-%m}"}),
    ("dashboard:activity-export", {"format": "csv"}),
    ("dashboard:programme", {}),
]


def test_the_activity_reports_cost_the_same_queries_at_ten_times_the_data(world: Any) -> None:
    lead = world.users["lead"]
    client = Client()
    client.force_login(lead)
    add_workers(world.programme, lead, 1, 2)
    # The dashboard reads its stored figures, as counted after the writes.
    dashboard_figures_refresh(programme=world.programme)
    small = [_count(client, name, params) for name, params in PAGES]

    add_workers(world.programme, lead, 10, 4)
    dashboard_figures_refresh(programme=world.programme)
    large = [_count(client, name, params) for name, params in PAGES]

    assert large == small


def test_the_report_shows_each_peer_worker_and_service_for_the_month(world: Any) -> None:
    lead = world.users["lead"]
    add_workers(world.programme, lead, 2, 2)
    last_month = add_months(month_start(TODAY), -1)
    weeks = len(_weeks_in(last_month))
    client = Client()
    client.force_login(lead)

    response = client.get(reverse("dashboard:activity"), {"month": f"{last_month:%Y-%m}"})

    report = response.context["report"]
    assert len(report.workers) == 2
    assert {w.totals.contacts for w in report.workers} == {5 * weeks}
    assert {w.totals.weeks for w in report.workers} == {weeks}
    assert [s.service for s in report.services] == ["Activity ward 0-2", "Activity ward 1-2"]
    assert report.services[0].months[-1].contacts == 5 * weeks
    assert "Contacts per month, by service" in response.content.decode()


def test_the_dashboard_totals_each_service(world: Any) -> None:
    lead = world.users["lead"]
    add_workers(world.programme, lead, 1, 2)
    last_month = add_months(month_start(TODAY), -1)
    client = Client()
    client.force_login(lead)

    response = client.get(reverse("dashboard:programme"))

    (row,) = response.context["activity_totals"]
    assert row.service == "Activity ward 0-1"
    assert row.last_month.contacts == 5 * len(_weeks_in(last_month))


def test_the_export_has_a_row_per_line_and_no_notes(world: Any) -> None:
    lead = world.users["lead"]
    add_workers(world.programme, lead, 1, 2)
    client = Client()
    client.force_login(lead)
    weeks = len(_weeks_in(month_start(TODAY))) + len(_weeks_in(add_months(month_start(TODAY), -1)))

    response = client.get(reverse("dashboard:activity-export"), {"format": "csv"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = [line for line in text.splitlines() if line]
    assert header.startswith("First name,Last name,Service,Week starting,Kind of contact")
    assert "note" not in header.lower()
    assert len(rows) == 2 * weeks > 0


def test_another_programmes_activity_is_not_in_the_report(world: Any) -> None:
    add_workers(world.other_programme, world.users["other_programme_lead"], 1, 2)
    client = Client()
    client.force_login(world.users["lead"])
    last_month = add_months(month_start(TODAY), -1)

    response = client.get(reverse("dashboard:activity"), {"month": f"{last_month:%Y-%m}"})

    assert response.context["report"].workers == []


def test_only_a_lead_is_offered_the_topic_list_they_keep(world: Any) -> None:
    pages = {}
    for persona in ("lead", "admin"):
        client = Client()
        client.force_login(world.users[persona])
        pages[persona] = client.get(reverse("dashboard:activity")).content.decode()

    topics = reverse("deployment:activity-topics")
    assert topics in pages["lead"]
    assert topics not in pages["admin"]
