"""The home page's work queue: what needs each role today, gathered from
every app.

Apps add a source per role in ``AppConfig.ready`` (as they add their
navigation entries); the kernel never imports an app by name. A source takes
the signed-in user and today's date and returns ``WorkCount`` items: a
count, what it counts, and the address of the list that shows exactly those
rows. Each source costs a fixed number of queries whatever the number of
people, so the home page does too.

Sources for mentors and supervisors count only their own people: a mentor's
queue never holds a programme-wide figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from peerprog.core.access import has_role


@dataclass(frozen=True)
class WorkCount:
    """One line of a queue: "3 new applications", linking to the list of
    those three. ``hint`` says in a few words what the count means."""

    label: str
    count: int
    url: str
    hint: str = ""
    order: int = 100


def link(url_name: str, query: str = "", **kwargs: Any) -> str:
    """The address of a list, with its filter."""
    url = reverse(url_name, kwargs=kwargs or None)
    return f"{url}?{query}" if query else url


# Called as ``source(user=..., today=...)``.
Source = Callable[..., Iterable[WorkCount]]


@dataclass(frozen=True)
class _Registered:
    role: str
    source: Source
    order: int


@dataclass
class RoleQueue:
    role: str
    items: list[WorkCount] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return sum(item.count for item in self.items)


_sources: list[_Registered] = []


def add(role: str, source: Source, *, order: int = 100) -> None:
    """Register a source of one role's queue. Registering the same source
    twice (a second ``ready``) keeps one."""
    entry = _Registered(str(role), source, order)
    if entry not in _sources:
        _sources.append(entry)


def replace(role: str, source: Source, by: Source | None) -> None:
    """Put ``by`` in the place of an app's registered ``source`` (same role,
    same order), or drop it when ``by`` is None: the site layer gives the home
    page a quicker source of the same lines, such as figures it keeps stored,
    without the app knowing."""
    for index, entry in enumerate(_sources):
        if entry.role == str(role) and entry.source == source:
            if by is None:
                del _sources[index]
            else:
                _sources[index] = _Registered(entry.role, by, entry.order)
            return


def queues_for(*, user: Any, roles: Iterable[str], today: date | None = None) -> list[RoleQueue]:
    """The queue of each of the user's roles, in the order of ``roles``:
    someone with several roles sees each of their queues."""
    today = today or timezone.localdate()
    queues = []
    for role in roles:
        if not has_role(user, role):
            continue
        queue = RoleQueue(role=role)
        for entry in sorted((e for e in _sources if e.role == role), key=lambda e: e.order):
            queue.items.extend(entry.source(user=user, today=today))
        queue.items.sort(key=lambda item: item.order)
        queues.append(queue)
    return queues
