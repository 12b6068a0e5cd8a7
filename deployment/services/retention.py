"""Counting the retention page's stored figures (``RetentionFigures``)
again from the live records: the one place they are written."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from deployment import retention_figures
from deployment.filters import RetentionTrendFilter
from deployment.models import Appointment, RetentionFigures, RetentionSnapshot
from deployment.selectors.common import READERS
from deployment.selectors.retention import programme_retention, programme_trend
from deployment.selectors.retention_stored import StoredRetention, as_stored
from peerprog.core.access import require_role
from peerprog.core.models import User
from peerprog.core.report_changes import changes_version


def retention_figures_refresh(*, user: User, now: datetime | None = None) -> StoredRetention:
    """Count the reader's programme's retention figures from the live
    records (as ``retention_report`` and ``retention_trend`` do), store them
    and return them. A fixed few queries, however many people."""
    require_role(user, *READERS)
    now = now or timezone.now()
    today = timezone.localdate(now)
    programme_id = user.programme_id
    if programme_id is None:
        report = programme_retention(appointments=Appointment.objects.none(), today=today)
        figures, curves = retention_figures.to_stored(report, [])
        return as_stored(figures=figures, curves=curves, as_of=now)
    # The mark and the version of the record of writes are read before
    # counting: a change made meanwhile sets another mark and version, and
    # the figures are counted again on the next view.
    mark = retention_figures.current_mark(programme_id, create=True) or ""
    version = changes_version()
    report = programme_retention(
        appointments=Appointment.objects.filter(programme_id=programme_id), today=today
    )
    trend = programme_trend(snapshots=RetentionSnapshot.objects.filter(programme_id=programme_id))
    choices = RetentionTrendFilter(None, programme_id=programme_id).choice_lists()
    figures, curves = retention_figures.to_stored(report, trend, choices)
    figures = retention_figures.with_changes(figures, version)
    RetentionFigures.objects.bulk_create(
        [
            RetentionFigures(
                programme_id=programme_id,
                counted_on=today,
                refreshed_at=now,
                token=mark,
                figures=figures,
                curves=curves,
            )
        ],
        update_conflicts=True,
        unique_fields=["programme"],
        update_fields=["counted_on", "refreshed_at", "token", "figures", "curves"],
    )
    return as_stored(figures=figures, curves=curves, as_of=now)
