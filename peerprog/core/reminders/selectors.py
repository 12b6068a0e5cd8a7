"""Reads of reminders: a user's e-mail choices, and who holds a role."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from peerprog.core.models import User
from peerprog.core.reminders import registry
from peerprog.core.reminders.models import ReminderEmailOptOut


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
