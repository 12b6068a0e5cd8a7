"""The retention page's stored figures: they are the live report's, read
back whole; the page reads them with fewer queries than counting; a change
to the records they count has them counted again on the next view."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deployment.models import RetentionFigures
from deployment.selectors import retention_report, retention_trend, stored_retention
from deployment.services import retention_figures_refresh
from deployment.snapshots import retention_snapshots_backfill
from peerprog.core.models import User
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


def test_figures_counted_on_another_day_or_long_ago_are_not_shown(
    records: dict[str, Any], hr: User
) -> None:
    retention_figures_refresh(user=hr)
    assert stored_retention(user=hr) is not None

    later = timezone.now() + timedelta(minutes=20)
    assert stored_retention(user=hr, now=later) is None
    RetentionFigures.objects.update(counted_on=date(2020, 1, 1))
    assert stored_retention(user=hr) is None
