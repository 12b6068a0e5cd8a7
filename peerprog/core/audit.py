"""The audit trail: who changed which record, when, and what changed.

Every model that holds personal data keeps its history with
django-simple-history, through ``peerprog.core.history.History``, which
writes a row only for a save that changes something. Apps register those
models here with the path from the model to its programme, so that the
audit page can show one programme's changes in one list. For
special-category models the page names the fields that changed and never
their values.

Writes made outside a web request (Celery tasks, management commands) name
their acting user with ``acting_as``; scheduled work acts as the system user,
and the demo data set is credited to its own account (``demo_data``).

The page itself (filters, naming, changes) is in ``peerprog.core.audit_trail``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords

from peerprog.core.models import User

SYSTEM_USER_EMAIL = "system@peerprog.invalid"
DEMO_USER_EMAIL = "demo-data@peerprog.invalid"

# Fields whose value names a record that is not about one person (a cohort's
# name, a staff user's name), in the order they are looked for.
NAME_FIELDS = ("name", "title", "full_name", "label")


@dataclass(frozen=True)
class AuditedModel:
    model: type[models.Model]
    programme_path: str
    sensitive: bool = False
    label: str = ""
    # The path from the model to the person it is about ("person",
    # "enrolment__person"), or "" for records about no one person.
    person_path: str = ""
    # What the record is, said after the person's name: "sensitive facts".
    about: str = ""
    # A text field naming a record about no one person ("" for none).
    name_field: str = ""
    history_model: Any = None

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def display(self) -> str:
        return self.label or str(self.model._meta.verbose_name).capitalize()

    @property
    def history(self) -> models.QuerySet[Any]:
        """The history table, through its model's default manager."""
        return self.history_model._default_manager.all()


_registry: dict[str, AuditedModel] = {}


def _person_model() -> type[models.Model]:
    from peerprog.core.models import Person

    return Person


def find_person_path(model: type[models.Model], depth: int = 3) -> str:
    """The shortest path of required links from ``model`` to the person it
    is about, or "" when it is about no one person.

    Links to staff users, programmes and services are not followed: a record
    made by a user is not about them. Fields are tried in their order on the
    model, so the first-declared link wins between paths of equal length.
    """
    person = _person_model()
    if model is person:
        return "id"
    level: list[tuple[str, type[models.Model]]] = [("", model)]
    for _ in range(depth):
        following: list[tuple[str, type[models.Model]]] = []
        for prefix, current in level:
            for field in current._meta.concrete_fields:
                target = getattr(field.remote_field, "model", None)
                if target is None or not isinstance(target, type):
                    continue
                path = f"{prefix}{field.name}"
                if target is person:
                    return path
                if target is User or target._meta.app_label == "core" or target is current:
                    continue
                following.append((f"{path}__", target))
        level = following
    return ""


def _about(label: str) -> str:
    words = label.removeprefix("Person's ").strip()
    return words[:1].lower() + words[1:]


def _history_model(model: type[models.Model]) -> Any:
    # The descriptor holds the history model; reading the attribute through
    # the class would build a new manager for every lookup.
    attribute = model._meta.simple_history_manager_attribute  # type: ignore[attr-defined]
    return vars(model)[attribute].model


def register(
    model: type[models.Model],
    *,
    programme_path: str,
    sensitive: bool = False,
    label: str = "",
    person_path: str | None = None,
    about: str = "",
) -> None:
    """Show a history-keeping model on the audit page.

    ``programme_path`` leads from the model to its programme id, e.g.
    ``"programme"`` or ``"person__programme"``. ``person_path`` leads to the
    person the record is about; left out, it is found from the model's links.
    ``about`` is what the record is, after the person's name ("Sam Smith:
    sensitive facts"); left out, it comes from the label.
    """
    history = _history_model(model)
    history_fields = {field.name: field for field in history._meta.concrete_fields}
    name_field = ""
    if not sensitive:
        name_field = next(
            (
                name
                for name in NAME_FIELDS
                if isinstance(history_fields.get(name), models.CharField)
            ),
            "",
        )
    display = label or str(model._meta.verbose_name).capitalize()
    entry = AuditedModel(
        model=model,
        programme_path=programme_path,
        sensitive=sensitive,
        label=label,
        person_path=find_person_path(model) if person_path is None else person_path,
        about=about or _about(display),
        name_field=name_field,
        history_model=history,
    )
    _registry[entry.key] = entry


def registered() -> list[AuditedModel]:
    return sorted(_registry.values(), key=lambda entry: entry.display)


def registered_entry(key: str) -> AuditedModel | None:
    return _registry.get(key)


def system_user() -> User:
    """The account that scheduled work acts as. It cannot sign in."""
    user, _ = User.objects.get_or_create(
        email=SYSTEM_USER_EMAIL,
        defaults={"full_name": "peerprog (scheduled work)", "is_active": False, "is_system": True},
    )
    return user


def demo_user() -> User:
    """The account the demo data set is credited to. It cannot sign in."""
    user, _ = User.objects.get_or_create(
        email=DEMO_USER_EMAIL,
        defaults={"full_name": "demo data", "is_active": False, "is_system": True},
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


@contextmanager
def demo_data() -> Iterator[None]:
    """Credit every history row written inside to "demo data", so that the
    audit trail of a demonstration tells the seeded records from real work."""
    with acting_as(demo_user()):
        yield
