"""The kinds of reminder and the rule groups that raise them.

Each app that raises reminders has a ``reminders.py`` that registers its
kinds and one scan per group ("training", "deployment", ...). The kernel
imports those modules the first time it needs them, the way the admin finds
``admin.py``, so the kernel never imports an app by name. A periodic task per
group (django-celery-beat, so admins change its timing) runs the group's scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils.module_loading import autodiscover_modules

from peerprog.core.access import has_role

if TYPE_CHECKING:
    from peerprog.core.models import User


@dataclass(frozen=True)
class ReminderKind:
    """One kind of reminder.

    key: stored on every reminder of this kind; never change it once used.
    label: how the settings page names it ("Final portfolio due soon").
    roles: the roles that receive it, so the settings page offers each
        user only the kinds that can reach them.
    """

    key: str
    label: str
    roles: tuple[str, ...]
    group: str


@dataclass(frozen=True)
class ReminderSpec:
    """One reminder a rule wants sent. Exactly one of ``user_id`` and
    ``person_id`` is set. ``title`` is the in-app line (may name the person);
    ``email_line`` is the e-mail's sentence and must name nobody and carry no
    health, disability or portfolio content."""

    kind: str
    object_type: str
    object_id: int
    period: str
    title: str
    email_line: str
    link: str = ""
    user_id: int | None = None
    person_id: int | None = None

    @property
    def key(self) -> tuple[str, str, int, str, int | None, int | None]:
        return (
            self.kind,
            self.object_type,
            self.object_id,
            self.period,
            self.user_id,
            self.person_id,
        )


Scan = Callable[[date], Iterable[ReminderSpec]]

_kinds: dict[str, ReminderKind] = {}
_scans: dict[str, list[Scan]] = {}
_discovered = False


def register_kind(kind: ReminderKind) -> ReminderKind:
    _kinds[kind.key] = kind
    return kind


def register_scan(group: str, scan: Scan) -> Scan:
    """Register a function that, given today's date in the programme's time
    zone, returns every reminder due on that day. It must be set-based: a
    fixed number of queries however many people there are."""
    scans = _scans.setdefault(group, [])
    if scan not in scans:
        scans.append(scan)
    return scan


def discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("reminders")
        _discovered = True


def kinds() -> list[ReminderKind]:
    discover()
    return list(_kinds.values())


def kind(key: str) -> ReminderKind | None:
    discover()
    return _kinds.get(key)


def kinds_for_user(user: User) -> list[ReminderKind]:
    """The kinds of reminder that can reach this user, by their roles."""
    return [k for k in kinds() if has_role(user, *k.roles)]


def scans(group: str) -> list[Scan]:
    discover()
    return list(_scans.get(group, []))


def groups() -> list[str]:
    discover()
    return sorted(_scans)
