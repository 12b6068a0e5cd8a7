"""The audit trail: who changed which record, when, and what changed.

Every model that holds personal data keeps its history with
django-simple-history, through ``peerprog.core.history.History``, which
writes a row only for a save that changes something. Apps register those
models here with the path from the model to its programme, so that the
audit page can show one programme's changes in one list. For
special-category models the page names the fields that changed and never
their values.

Writes made outside a web request (Celery tasks, management commands) name
their acting user with ``acting_as``; scheduled work acts as the system user.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.db import models
from django.db.models import Value
from simple_history.models import HistoricalRecords

from peerprog.core.models import User

SYSTEM_USER_EMAIL = "system@peerprog.invalid"


@dataclass(frozen=True)
class AuditedModel:
    model: type[models.Model]
    programme_path: str
    sensitive: bool = False
    label: str = ""

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def display(self) -> str:
        return self.label or str(self.model._meta.verbose_name).capitalize()


_registry: dict[str, AuditedModel] = {}


def register(
    model: type[models.Model], *, programme_path: str, sensitive: bool = False, label: str = ""
) -> None:
    """Show a history-keeping model on the audit page.

    ``programme_path`` leads from the model to its programme id, e.g.
    ``"programme"`` or ``"person__programme"``.
    """
    entry = AuditedModel(model, programme_path, sensitive, label)
    _registry[entry.key] = entry


def registered() -> list[AuditedModel]:
    return sorted(_registry.values(), key=lambda entry: entry.display)


def system_user() -> User:
    """The account that scheduled work acts as. It cannot sign in."""
    user, _ = User.objects.get_or_create(
        email=SYSTEM_USER_EMAIL,
        defaults={"full_name": "peerprog (scheduled work)", "is_active": False, "is_system": True},
    )
    return user


@contextmanager
def acting_as(user: User) -> Iterator[None]:
    """Record ``user`` as the author of every history row written inside."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


@dataclass
class AuditEntry:
    when: datetime
    who: str
    action: str
    record_type: str
    record_id: int
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    sensitive: bool = False


ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
HIDDEN = "(hidden)"


def _history_queryset(entry: AuditedModel, programme_id: int | None) -> models.QuerySet[Any]:
    history = entry.model.history.model  # type: ignore[attr-defined]
    queryset = history.objects.all()
    if programme_id is not None:
        queryset = queryset.filter(**{entry.programme_path: programme_id})
    return queryset


def audit_page(
    *,
    programme_id: int | None,
    record_type: str = "",
    user_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[AuditEntry], bool]:
    """One page of audit entries, newest first, and whether more follow.

    The page costs one query for the list (a UNION over the history tables),
    one per record type on the page for the changes, and one for the users,
    however long the trail is. ``programme_id=None`` means every programme
    (system administrators only).
    """
    entries = [e for e in registered() if not record_type or e.key == record_type]
    if not entries:
        return [], False
    parts = []
    for entry in entries:
        queryset = _history_queryset(entry, programme_id)
        if user_id:
            queryset = queryset.filter(history_user_id=user_id)
        # History tables order by date by default; SQLite refuses ORDER BY
        # inside the parts of a UNION, so the order is set once, below.
        parts.append(
            queryset.order_by()
            .annotate(audit_kind=Value(entry.key, output_field=models.CharField()))
            .values_list(
                "history_id", "history_date", "history_user_id", "history_type", "id", "audit_kind"
            )
        )
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = list(union.order_by("-history_date", "-history_id")[offset : offset + limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]

    changes_by_kind: dict[str, dict[int, list[tuple[str, str, str]]]] = {}
    for kind in {row[5] for row in rows}:
        wanted = {row[0] for row in rows if row[5] == kind}
        changes_by_kind[kind] = _changes(_registry[kind], wanted)
    user_ids = {row[2] for row in rows if row[2]}
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}

    page = []
    for history_id, when, who_id, action, object_id, kind in rows:
        entry = _registry[kind]
        page.append(
            AuditEntry(
                when=when,
                who=users.get(who_id, "Unknown (no signed-in user)"),
                action=ACTIONS.get(action, action),
                record_type=entry.display,
                record_id=object_id,
                changes=changes_by_kind[kind].get(history_id, []),
                sensitive=entry.sensitive,
            )
        )
    return page, has_more


def _changes(entry: AuditedModel, history_ids: set[int]) -> dict[int, list[tuple[str, str, str]]]:
    """Field-by-field changes for the given history rows, in one query.

    Each row is compared with the previous history row of the same record.
    """
    history = entry.model.history.model  # type: ignore[attr-defined]
    targets = list(history.objects.filter(history_id__in=history_ids).values("id", "history_date"))
    if not targets:
        return {}
    latest = max(t["history_date"] for t in targets)
    object_ids = {t["id"] for t in targets}
    fields = [
        f
        for f in entry.model._meta.concrete_fields  # type: ignore[attr-defined]
        if f.name not in {"id", "password", "last_login"}
    ]
    attnames = [f.attname for f in fields if hasattr(history, f.attname)]
    rows = history.objects.filter(id__in=object_ids, history_date__lte=latest).order_by(
        "id", "history_date", "history_id"
    )
    result: dict[int, list[tuple[str, str, str]]] = {}
    previous: dict[int, Any] = {}
    labels = {f.attname: str(f.verbose_name) for f in fields}
    for row in rows.values("history_id", "id", *attnames):
        before = previous.get(row["id"])
        if row["history_id"] in history_ids:
            changed = []
            for name in attnames:
                old = before[name] if before else None
                new = row[name]
                if before is not None and old == new:
                    continue
                if before is None and new in (None, "", False):
                    continue
                if entry.sensitive:
                    changed.append((labels[name], HIDDEN, HIDDEN))
                else:
                    changed.append((labels[name], _show(old), _show(new)))
            result[row["history_id"]] = changed
        previous[row["id"]] = row
    return result


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."
