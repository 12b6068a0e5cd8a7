"""Reads of reminders: what is due for sending, and a user's e-mail choices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from peerprog.core.models import User
from peerprog.core.reminders import registry
from peerprog.core.reminders.models import Reminder, ReminderEmailOptOut

DISPATCH_BATCH = 1000


def reminders_due(*, now: datetime | None = None, limit: int = DISPATCH_BATCH) -> list[int]:
    """Ids of reminders waiting for e-mail whose next attempt is due and
    which nobody holds: new ones, failed attempts whose back-off has passed,
    and claims whose worker died (the lease expired). Oldest first."""
    now = now or timezone.now()
    return list(
        Reminder.objects.filter(status=Reminder.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def emails_wanted(*, user: User) -> set[str]:
    """The kinds of reminder this user gets by e-mail, of those that can
    reach them."""
    off = set(ReminderEmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return {k.key for k in registry.kinds_for_user(user)} - off


def role_holders(*, role: str, programme_ids: Iterable[int]) -> dict[int, list[int]]:
    """Programme id to the ids of its active staff holding ``role``, in one
    query: who receives a programme-wide reminder (leads, HR)."""
    found: dict[int, list[int]] = {}
    rows = (
        User.objects.filter(
            programme_id__in=set(programme_ids), is_active=True, is_system=False, groups__name=role
        )
        .order_by("pk")
        .values_list("programme_id", "pk")
        .distinct()
    )
    for programme_id, user_id in rows:
        found.setdefault(programme_id, []).append(user_id)
    return found


def iso_week(*, day: date) -> str:
    """A weekly period key, "2026-W13", from a local date."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
