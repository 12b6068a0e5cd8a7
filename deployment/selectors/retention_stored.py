"""The retention page's figures as stored (``RetentionFigures``), read
with one query rather than counted from every peer worker on each view."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Case, F, JSONField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from deployment import retention_figures
from deployment.models import RetentionFigures
from deployment.selectors.common import READERS
from deployment.selectors.retention import RetentionReport, TrendMonth
from peerprog.core.access import require_role
from peerprog.core.models import User
from peerprog.core.report_changes import VERSION

# ``report_changes.VERSION`` as one value of the figures' row: the count and
# highest id of the recorded writes, as an array.
VERSION_NOW = (
    "SELECT ARRAY[changes.total, changes.highest] "  # noqa: S608 (our own statement)
    f"FROM ({VERSION.strip()}) AS changes(total, highest)"
)


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
    # Which stored figures these are (programme, day counted, when counted
    # and the change mark), for figures read as stored; None for figures
    # just counted.
    key: tuple[int, date, datetime, str] | None = None


# The programmes' figures as last read whole in this process, without any
# cohort's observations: a later read under the same key leaves the
# figures in the database rather than reading and decoding them again.
_kept: dict[int, StoredRetention] = {}
_keeping = threading.Lock()


def stored_retention(
    *, user: User, cohort_id: int | None = None, now: datetime | None = None
) -> StoredRetention | None:
    """The reader's programme's stored retention figures, or None where
    none stand (never counted, counted before a change, on another day or
    too long ago: ``deployment.services.retention_figures_refresh`` counts
    them again; on PostgreSQL figures counted on the day stand however long
    ago while nothing they read has changed, ``retention_figures.stands``).
    One query. Only the cohort ``cohort_id`` (if any) has its people's
    observations, for its curve."""
    require_role(user, *READERS)
    if user.programme_id is None:
        return None
    now = now or timezone.now()
    mark = retention_figures.current_mark(user.programme_id)
    stored = RetentionFigures.objects.filter(programme_id=user.programme_id)
    tracked = connection.vendor == "postgresql"
    if tracked:
        # The version of the record of writes, as this statement sees it,
        # and the one the figures were counted under.
        stored = stored.annotate(
            counted_under=KeyTransform(retention_figures.CHANGES, "figures"),
            changes=RawSQL(VERSION_NOW, ()),  # noqa: S611 (no parameters)
        )
    kept = _kept.get(user.programme_id) if cohort_id is None else None
    if kept is not None and kept.key is not None:
        # The figures are read only where they are not those kept.
        _, counted_on, refreshed_at, token = kept.key
        stored = stored.annotate(
            figures_read=Case(
                When(
                    counted_on=counted_on,
                    refreshed_at=refreshed_at,
                    token=token,
                    then=Value(None, output_field=JSONField()),
                ),
                default=F("figures"),
                output_field=JSONField(),
            )
        ).defer("figures", "curves")
    elif cohort_id is None:
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
        counted_under=stored.counted_under if tracked else None,
        changes=stored.changes if tracked else None,
    ):
        return None
    key = (user.programme_id, stored.counted_on, stored.refreshed_at, stored.token)
    if kept is not None:
        if kept.key == key:
            return kept
        figures = stored.figures_read
        if figures is None:
            # Kept under a key the database matched and Python did not.
            figures = RetentionFigures.objects.values_list("figures", flat=True).get(pk=stored.pk)
    else:
        figures = stored.figures
    curves = None
    if cohort_id is not None:
        curve = getattr(stored, "cohort_curve", None)
        curves = {retention_figures.curve_key(cohort_id): json.loads(curve) if curve else []}
    report, trend = retention_figures.from_stored(figures, curves)
    found = StoredRetention(
        report=report,
        trend=trend,
        as_of=stored.refreshed_at,
        choices=figures.get("choices", {}),
        key=key,
    )
    if cohort_id is None:
        with _keeping:
            _kept[user.programme_id] = found
    return found


def as_stored(
    *, figures: dict[str, Any], curves: dict[str, Any], as_of: datetime
) -> StoredRetention:
    """Figures just counted, as the page reads stored ones."""
    report, trend = retention_figures.from_stored(figures, curves)
    return StoredRetention(
        report=report, trend=trend, as_of=as_of, choices=figures.get("choices", {})
    )
