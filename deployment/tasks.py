"""Celery entry points of deployment: they take plain values and call a
service. Each is safe to run twice."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError

from deployment.snapshots import previous_month, retention_snapshot_take


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def retention_snapshot_month(month: str | None = None) -> int:
    """Take the retention snapshot of ``month`` (ISO date of any day in it;
    by default the month just ended in London time). Beat runs it on the
    1st; a rerun of a month writes nothing."""
    day = date.fromisoformat(month) if month else previous_month()
    return retention_snapshot_take(month=day)
