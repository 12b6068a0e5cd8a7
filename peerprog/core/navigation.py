"""The navigation each role sees, gathered from every app.

Apps add their entries in ``AppConfig.ready``; the base layout shows a user
only the entries their roles can use, and the home page groups them by role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from peerprog.core.access import has_role


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: tuple[str, ...]
    description: str = ""
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_entries: dict[str, NavEntry] = {}


def add(
    label: str, url_name: str, *, roles: tuple[str, ...], description: str = "", order: int = 100
) -> None:
    _entries[url_name] = NavEntry(label, url_name, tuple(str(r) for r in roles), description, order)


def entries_for(user: Any) -> list[NavEntry]:
    return sorted(
        (entry for entry in _entries.values() if has_role(user, *entry.roles)),
        key=lambda entry: (entry.order, entry.label),
    )


def entries_for_role(user: Any, role: str) -> list[NavEntry]:
    return [entry for entry in entries_for(user) if role in entry.roles]
