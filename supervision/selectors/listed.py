"""Supervision's rows read as plain values rather than whole records: the
peer worker and their supervision now, as the lists and cards show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection

from peerprog.core.models import Person
from supervision.models import Frequency

_FREQUENCIES = dict(Frequency.choices)


@dataclass(frozen=True)
class ListedPeerWorker:
    pk: int
    first_name: str
    preferred_name: str
    last_name: str

    @property
    def display_name(self) -> str:
        return Person.name_shown(self.first_name, self.preferred_name, self.last_name)


@dataclass(frozen=True)
class ListedSupervision:
    """A peer worker's supervision now, as ``next_due_on`` and
    ``is_overdue`` read an assignment with its last session."""

    frequency_days: int
    started_on: date
    last_session_on: date | None
    # The assignment's id, where read (the supervisor's own page).
    pk: int | None = None
    is_active: bool = True

    def get_frequency_days_display(self) -> str:
        return str(_FREQUENCIES.get(self.frequency_days, self.frequency_days))


def in_one_statement() -> bool:
    """Are supervision's lists read by single statements (PostgreSQL only;
    the embedded demo's SQLite reads the same through the ORM)?"""
    return connection.vendor == "postgresql"
