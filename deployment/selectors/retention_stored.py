"""The retention page's figures as stored (``RetentionFigures``), read
with one query rather than counted from every peer worker on each view."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from deployment import retention_figures
from deployment.models import RetentionFigures
from deployment.selectors.common import READERS
from deployment.selectors.retention import RetentionReport, TrendMonth
from peerprog.core.access import require_role
from peerprog.core.models import User


@dataclass
class StoredRetention:
    """The report, the programme's month-by-month trend (every cohort and
    service) and when they were counted."""

    report: RetentionReport
    trend: list[TrendMonth]
    as_of: datetime
    # The trend's drop-down lists by field name: (value, label) of each
    # cohort and service, as stored with the figures.
    choices: dict[str, list[Any]]


def stored_retention(
    *, user: User, cohort_id: int | None = None, now: datetime | None = None
) -> StoredRetention | None:
    """The reader's programme's stored retention figures, or None where
    none stand (never counted, counted before a change, on another day or
    too long ago: ``deployment.services.retention_figures_refresh`` counts
    them again). One query. Only the cohort ``cohort_id`` (if any) has its
    people's observations, for its curve."""
    require_role(user, *READERS)
    if user.programme_id is None:
        return None
    now = now or timezone.now()
    mark = retention_figures.current_mark(user.programme_id)
    stored = RetentionFigures.objects.filter(programme_id=user.programme_id)
    if cohort_id is None:
        stored = stored.defer("curves")
    else:
        stored = stored.annotate(
            cohort_curve=KeyTextTransform(retention_figures.curve_key(cohort_id), "curves")
        ).defer("curves")
    stored = stored.first()
    if stored is None or not retention_figures.stands(
        counted_on=stored.counted_on,
        refreshed_at=stored.refreshed_at,
        token=stored.token,
        mark=mark,
        now=now,
        today=timezone.localdate(now),
    ):
        return None
    curves = None
    if cohort_id is not None:
        curve = getattr(stored, "cohort_curve", None)
        curves = {retention_figures.curve_key(cohort_id): json.loads(curve) if curve else []}
    report, trend = retention_figures.from_stored(stored.figures, curves)
    return StoredRetention(
        report=report,
        trend=trend,
        as_of=stored.refreshed_at,
        choices=stored.figures.get("choices", {}),
    )


def as_stored(
    *, figures: dict[str, Any], curves: dict[str, Any], as_of: datetime
) -> StoredRetention:
    """Figures just counted, as the page reads stored ones."""
    report, trend = retention_figures.from_stored(figures, curves)
    return StoredRetention(
        report=report, trend=trend, as_of=as_of, choices=figures.get("choices", {})
    )
