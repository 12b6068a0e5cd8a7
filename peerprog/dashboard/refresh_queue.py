"""Scheduling a refresh of the dashboard's stored figures after a write.

With a broker (Redis): on commit, a Redis key per programme (``cache.add``,
an atomic set-if-absent) lets the first write of a burst queue one refresh
task a few seconds later; the writes that follow before it starts find the
key and queue nothing. The task releases the key when it starts.

Without a broker (the embedded demo, where tasks run in the request): the
programmes are collected during the request and refreshed once each at its
end by ``refresh_after_request``; a write outside a request (a management
command) forgets the stored figures on its commit, and the dashboard counts
them again when next viewed.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from peerprog.dashboard.models import CohortFigures

# Long enough for a burst of writes (an import, a stage move of many
# applications) to end in one refresh; short enough to look live.
REFRESH_COUNTDOWN = 5
# The key outlives the countdown so that a lost task does not stop refreshes
# for long: the next write after it expires queues another.
KEY_TIMEOUT = 120

_pending: ContextVar[set[int] | None] = ContextVar("dashboard_refresh_pending", default=None)


def key(programme_id: int) -> str:
    return f"dashboard:figures-refresh:{programme_id}"


def release(programme_id: int) -> None:
    cache.delete(key(programme_id))


def _queue(programme_id: int) -> None:
    from peerprog.dashboard.tasks import dashboard_figures_refresh_programme

    if settings.CELERY_TASK_ALWAYS_EAGER:
        pending = _pending.get()
        if pending is not None:
            pending.add(programme_id)
            return
        # A write outside a request (a management command, seeding the
        # demo): forget the figures, so the next view counts them once,
        # rather than counting them after every one of many writes.
        CohortFigures.objects.filter(programme_id=programme_id).delete()
        return
    if cache.add(key(programme_id), "queued", timeout=KEY_TIMEOUT):
        dashboard_figures_refresh_programme.apply_async(
            args=[programme_id], countdown=REFRESH_COUNTDOWN
        )


def schedule(programme_id: int | None) -> None:
    """Refresh the programme's figures after the current transaction
    commits (nothing if it rolls back)."""
    if programme_id is None:
        return
    transaction.on_commit(lambda: _queue(programme_id))


def refresh_after_request(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Middleware: in the embedded demo, refresh each programme written to
    during the request once, after the view has answered."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            return get_response(request)
        from peerprog.dashboard.tasks import dashboard_figures_refresh_programme

        token = _pending.set(set())
        try:
            response = get_response(request)
            pending = _pending.get() or set()
        finally:
            _pending.reset(token)
        for programme_id in sorted(pending):
            dashboard_figures_refresh_programme.apply(args=[programme_id])
        return response

    return middleware
