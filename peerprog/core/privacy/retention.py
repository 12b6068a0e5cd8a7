"""The retention schedule's registry: each app says, for each kind of record
it owns, which records are due once the rule's months have passed.

Apps register their kinds in ``AppConfig.ready`` (as they register exports
and work counts); the kernel never imports an app by name. A kind's ``due``
takes ``on_or_before`` (today less the rule's months) and returns a
``DueRecord`` for every record whose date (a cohort's window closing, a
course ending, leaving, a decision) falls on or before it: its date has
passed. Erasing a kind anonymises its records through the erasure's
``records_anonymise``, unless the kind gives its own ``erase`` (sign-in
records are deleted).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.db import models

from peerprog.core.dates import add_months


@dataclass(frozen=True)
class DueRecord:
    """One record whose time has come: its id, the date its period counts
    from, whose it is and a label that names it without saying what it
    holds ("Application to Spring 2025")."""

    pk: int
    counts_from: date
    label: str
    person_id: int | None = None
    programme_id: int | None = None


@dataclass(frozen=True)
class RetentionKind:
    key: str
    label: str
    model: str
    counts_from: str
    default_months: int
    due: Callable[..., Iterable[DueRecord]]
    erase: Callable[..., int] | None = None
    erase_words: str = "Anonymise"
    order: int = 100

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def due_on(self, record: DueRecord, months: int) -> date:
        return add_months(record.counts_from, months)


_kinds: dict[str, RetentionKind] = {}


def register(kind: RetentionKind) -> None:
    """Register a kind of record (a second ``ready`` replaces it)."""
    _kinds[kind.key] = kind


def kinds() -> list[RetentionKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.label))


def get_kind(key: str) -> RetentionKind:
    try:
        return _kinds[key]
    except KeyError:
        raise LookupError(f"No retention kind {key!r}.") from None


def cutoff(today: date, months: int) -> date:
    """The last date a record's period may have started on for it to be due
    today."""
    return add_months(today, -months)


def erase(kind: RetentionKind, *, pks: list[int], by: Any) -> int:
    """Anonymise (or, for a kind with its own ``erase``, delete) records."""
    if kind.erase is not None:
        return kind.erase(pks=pks, by=by)
    from peerprog.core.privacy.anonymise import records_anonymise

    return records_anonymise(model=kind.model_class, pks=pks, by=by)
