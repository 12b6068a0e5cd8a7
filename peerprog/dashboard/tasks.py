"""Celery entry points of the dashboard: refresh the stored figures of a
programme (after writes, debounced) or of every programme (every 15
minutes, from django-celery-beat)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from peerprog.core.models import Programme
from peerprog.core.report_changes import changes_compact
from peerprog.dashboard import refresh_queue
from peerprog.dashboard.services import dashboard_figures_refresh

__all__ = ["dashboard_figures_refresh_all", "dashboard_figures_refresh_programme"]

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def dashboard_figures_refresh_programme(programme_id: int) -> int:
    """Refresh one programme's figures. The debounce key is released first,
    so a write made while the figures are being counted queues another
    refresh rather than being missed. Running twice only counts twice."""
    refresh_queue.release(programme_id)
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        return 0
    return dashboard_figures_refresh(programme=programme)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def dashboard_figures_refresh_all() -> int:
    """Refresh every programme's figures (the 15-minute schedule), so that
    figures that depend on the date (retention milestones, mentoring on
    track) and writes no receiver hears of are never older than that."""
    stored = 0
    for programme in Programme.objects.order_by("pk"):
        stored += dashboard_figures_refresh(programme=programme)
    # The study tables' record of changes, folded so it stays small.
    changes_compact()
    return stored
