"""The retention page's stored figures: they are the live report's, read
back whole; the page reads them with fewer queries than counting; a change
to the records they count has them counted again on the next view, and
where writes are recorded (PostgreSQL) only a change or another day
does."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deployment import retention_figures
from deployment.models import RetentionFigures
from deployment.selectors import retention_report, retention_trend, stored_retention
from deployment.services import retention_figures_refresh
from deployment.snapshots import retention_snapshots_backfill
from peerprog.core.models import Service, User
from peerprog.core.report_changes import WATCHED
from tests.deployment.test_retention_trend import FIRST, LAST, appoint, hr, records

pytestmark = pytest.mark.django_db

__all__ = ["hr", "records"]


def rows(report: Any) -> list[tuple[Any, ...]]:
    return [
        (row.label, row.appointed, row.still_in_post, tuple(row.milestones))
        for row in [report.overall, *(c.row for c in report.cohorts), *report.services]
    ]


def test_the_stored_figures_are_the_live_reports(records: dict[str, Any], hr: User) -> None:
    retention_snapshots_backfill(since=FIRST, until=LAST)
    live = retention_report(user=hr)

    counted = retention_figures_refresh(user=hr)
    stored = stored_retention(user=hr, cohort_id=records["cohort"].pk)

    assert stored is not None
    for figures in (counted, stored):
        assert rows(figures.report) == rows(live)
        assert figures.report.overall_curve.steps == live.overall_curve.steps
        assert figures.trend == retention_trend(user=hr)
    chosen = [c for c in stored.report.cohorts if c.cohort_id == records["cohort"].pk]
    live_chosen = [c for c in live.cohorts if c.cohort_id == records["cohort"].pk]
    assert chosen[0].curve == live_chosen[0].curve


def test_the_page_reads_the_stored_figures_until_a_change(
    records: dict[str, Any], hr: User
) -> None:
    client = Client()
    client.force_login(hr)
    url = reverse("deployment:retention")
    with CaptureQueriesContext(connection) as counting:
        client.get(url)
    with CaptureQueriesContext(connection) as reading:
        html = client.get(url).content.decode()

    assert len(reading) < len(counting)
    assert "Figures as of" in html
    assert RetentionFigures.objects.count() == 1
    before = rows(retention_report(user=hr))
    appoint(records["oak"], date(2025, 1, 6))

    html = client.get(url).content.decode()

    assert rows(retention_report(user=hr)) != before
    assert rows(stored_retention(user=hr).report) == rows(retention_report(user=hr))


def test_figures_counted_on_another_day_are_not_shown(records: dict[str, Any], hr: User) -> None:
    retention_figures_refresh(user=hr)
    assert stored_retention(user=hr) is not None

    RetentionFigures.objects.update(counted_on=date(2020, 1, 1))

    assert stored_retention(user=hr) is None


def test_figures_counted_long_ago_stand_while_nothing_they_read_has_changed(
    records: dict[str, Any], hr: User
) -> None:
    retention_figures_refresh(user=hr)
    later = timezone.now() + timedelta(minutes=20)
    tracked = connection.vendor == "postgresql"

    # Where writes are recorded, nothing has changed: the figures stand,
    # even without the change mark; elsewhere they are counted again.
    assert (stored_retention(user=hr, now=later) is not None) is tracked
    cache.clear()
    assert (stored_retention(user=hr, now=later) is not None) is tracked

    # A write the model's signals do not hear of.
    Service.objects.filter(pk=records["oak"].pk).update(name="Oak House")
    assert stored_retention(user=hr, now=later) is None
    assert stored_retention(user=hr) is None


def test_the_rule_of_the_record_of_writes() -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    old = now - timedelta(hours=2)
    common = {"token": "a", "now": now, "today": today}

    assert retention_figures.stands(
        counted_on=today,
        refreshed_at=old,
        mark=None,
        counted_under=[3, 9],
        changes=(3, 9),
        **common,
    )
    assert not retention_figures.stands(
        counted_on=today,
        refreshed_at=old,
        mark="a",
        counted_under=[3, 9],
        changes=(4, 10),
        **common,
    )
    # Without a version (SQLite, or figures stored before), the mark and
    # the 15 minutes decide.
    assert not retention_figures.stands(
        counted_on=today, refreshed_at=old, mark="a", counted_under=None, changes=(3, 9), **common
    )
    assert retention_figures.stands(
        counted_on=today, refreshed_at=now, mark="a", counted_under=None, changes=None, **common
    )
    assert not retention_figures.stands(
        counted_on=today - timedelta(days=1),
        refreshed_at=now,
        mark="a",
        counted_under=[3, 9],
        changes=(3, 9),
        **common,
    )


def test_every_table_the_figures_read_is_watched_by_the_record_of_writes(
    records: dict[str, Any], hr: User
) -> None:
    retention_snapshots_backfill(since=FIRST, until=LAST)
    stored_retention(user=hr)
    with CaptureQueriesContext(connection) as counting:
        retention_figures_refresh(user=hr)

    read = {
        name
        for query in counting.captured_queries
        for name in re.findall(r'(?:FROM|JOIN)\s+"?([a-z_][a-z0-9_]*)"?', query["sql"], re.I)
    }
    tables = set(connection.introspection.table_names())
    assert read & tables
    assert (read & tables) - {"dashboard_report_change"} <= set(WATCHED)


def test_the_figures_read_again_unchanged_are_those_kept(records: dict[str, Any], hr: User) -> None:
    retention_figures_refresh(user=hr)
    first = stored_retention(user=hr)
    with CaptureQueriesContext(connection) as reading:
        second = stored_retention(user=hr)

    assert second is first
    assert len(reading.captured_queries) == 1
    retention_figures_refresh(user=hr)
    third = stored_retention(user=hr)
    assert third is not None and third is not first
    assert rows(third.report) == rows(first.report)
