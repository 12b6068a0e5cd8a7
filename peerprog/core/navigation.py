"""The navigation each role sees, gathered from every app.

Apps add their entries in ``AppConfig.ready``, each in one group of the
person's journey (recruit, train, employ, support, reports, admin). The base
layout shows a user only the groups holding an entry their roles can use, and
in each group only those entries; the home page lists a role's entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import Resolver404, resolve, reverse

from peerprog.core.access import has_role


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    order: int


# The journey, in the order the menu shows it.
GROUPS: dict[str, NavGroup] = {
    group.key: group
    for group in (
        NavGroup("people", "People", 10),
        NavGroup("recruit", "Recruit", 20),
        NavGroup("train", "Train", 30),
        NavGroup("employ", "Employ", 40),
        NavGroup("support", "Support", 50),
        NavGroup("reports", "Reports", 60),
        NavGroup("dataprotection", "Data protection", 80),
        NavGroup("admin", "Admin", 90),
    )
}


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: tuple[str, ...]
    description: str = ""
    order: int = 100
    group: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass
class NavSection:
    """One group of the menu as a user sees it: its entries they can use,
    and whether the page shown belongs to it."""

    key: str
    label: str
    entries: list[NavEntry] = field(default_factory=list)
    current: bool = False

    @property
    def single(self) -> NavEntry | None:
        """The group's only entry, shown as a plain link instead of a menu."""
        return self.entries[0] if len(self.entries) == 1 else None


_entries: dict[str, NavEntry] = {}


def add(
    label: str,
    url_name: str,
    *,
    roles: tuple[str, ...],
    description: str = "",
    order: int = 100,
    group: str = "",
) -> None:
    if group and group not in GROUPS:
        raise ValueError(f"Unknown navigation group {group!r}: use one of {sorted(GROUPS)}.")
    _entries[url_name] = NavEntry(
        label, url_name, tuple(str(r) for r in roles), description, order, group
    )


def entries_for(user: Any) -> list[NavEntry]:
    return sorted(
        (entry for entry in _entries.values() if has_role(user, *entry.roles)),
        key=lambda entry: (entry.order, entry.label),
    )


def entries_for_role(user: Any, role: str) -> list[NavEntry]:
    return [entry for entry in entries_for(user) if role in entry.roles]


def current_entry(entries: list[NavEntry], path: str) -> NavEntry | None:
    """The entry the page at ``path`` belongs to: the entry for that very
    page, else the one whose address is the longest start of it (an
    application's page belongs to Applications), else the first entry of
    the same app."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    for entry in entries:
        if entry.url_name == match.view_name:
            return entry
    by_prefix = [e for e in entries if e.url != "/" and path.startswith(e.url)]
    if by_prefix:
        return max(by_prefix, key=lambda e: len(e.url))
    namespace = match.namespace
    # The kernel's pages (home, notifications, the account's own pages) are
    # of no one section.
    if namespace and namespace != "core":
        for entry in entries:
            if entry.url_name.split(":", 1)[0] == namespace:
                return entry
    return None


def sections_for(user: Any, path: str, extra: list[NavEntry] | None = None) -> list[NavSection]:
    """The user's menu: their entries (and ``extra`` ones) in the journey's
    groups, with the group of the page at ``path`` marked current."""
    entries = entries_for(user) + list(extra or [])
    current = current_entry(entries, path)
    sections: dict[str, NavSection] = {}
    for entry in entries:
        key = entry.group or entry.url_name
        if key not in sections:
            group = GROUPS.get(entry.group)
            sections[key] = NavSection(key, group.label if group else entry.label)
        sections[key].entries.append(entry)
        if entry == current:
            sections[key].current = True

    def order(section: NavSection) -> tuple[int, str]:
        group = GROUPS.get(section.key)
        return (group.order if group else section.entries[0].order, section.label)

    return sorted(sections.values(), key=order)
