"""Reads of the outbox: what an admin sees, and what waits for a recipient."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from peerprog.core.outbox.models import OutboxEmail


def outbox_counts() -> dict[str, int]:
    """How many rows are in each state, in one query."""
    rows = OutboxEmail.objects.order_by().values("state").annotate(n=Count("pk"))
    counts = dict.fromkeys(OutboxEmail.State.values, 0)
    counts.update({r["state"]: r["n"] for r in rows})
    return counts


def outbox_failed() -> QuerySet[OutboxEmail]:
    return OutboxEmail.objects.filter(state=OutboxEmail.State.FAILED).order_by("-created_at")
