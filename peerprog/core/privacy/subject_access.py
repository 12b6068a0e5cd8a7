"""Subject access: the registry through which every app says what it holds
about a person, and about a staff user.

Each app registers one ``Contribution`` from its own ``subject_access``
module, in its ``AppConfig.ready`` (as it registers its exports): the models
it answers for, and functions that add the records about a person (or a
staff user) to an ``Archive``, kind by kind ("applications",
"attendance"...), with the uploaded files that go with them. The kernel
never imports an app by name.

Which models hold personal data is defined in one place,
``holds_personal_data``, and a test fails when such a model is neither named
by a contribution nor marked here as holding none worth exporting
(``mark_not_exported``, with the reason).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

# Field names never written into an archive, whatever the model: secrets
# (second-factor keys, tokens, passwords) and the random keys of files.
SECRET_FIELDS = frozenset(
    {"password", "token", "token_secret", "secret", "form_token", "session_key"}
)
DEFAULT_EXEMPT_KINDS = ("mentor_meeting_notes", "supervision_notes", "panel_notes")


def exempt_kinds() -> frozenset[str]:
    """Kinds left out of a person's own "download my data" (settings
    ``SUBJECT_ACCESS_EXEMPT_KINDS``): staff's private notes by default."""
    return frozenset(getattr(settings, "SUBJECT_ACCESS_EXEMPT_KINDS", DEFAULT_EXEMPT_KINDS))


@dataclass
class ArchiveFile:
    kind: str
    name: str  # the name inside the archive's ``files/`` folder
    stored: str  # the name in the private store


@dataclass
class Archive:
    """What one subject access request gathers: JSON-able rows per record
    kind, the history rows of those records, and uploaded files. Kinds in
    ``leave_out`` are not gathered at all (a person's own download)."""

    leave_out: frozenset[str] = frozenset()
    kinds: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    files: list[ArchiveFile] = field(default_factory=list)

    def wants(self, kind: str) -> bool:
        return kind not in self.leave_out

    def rows(self, kind: str, rows: Iterable[dict[str, Any]]) -> None:
        if self.wants(kind):
            self.kinds[kind].extend(rows)

    def add(
        self,
        kind: str,
        queryset: models.QuerySet[Any],
        *,
        private: dict[str, str] | None = None,
        omit: Iterable[str] = (),
        history: bool = True,
    ) -> list[int]:
        """Add a queryset's rows as ``kind``, and the history rows of the
        same records under "history". ``omit`` leaves fields out (a
        second-factor device's key), history included; ``private`` moves fields into a kind
        of their own (``{"notes": "mentor_meeting_notes"}``), so that a
        person's own download can leave them out, history included. Gives
        the primary keys added."""
        if not self.wants(kind):
            return []
        private = private or {}
        model = queryset.model
        pk_name = model._meta.pk.attname
        moved = {name for name, moved_to in private.items()}
        dropped = {name for name, moved_to in private.items() if not self.wants(moved_to)}
        dropped |= set(omit)
        pks = []
        for row in queryset.values():
            pks.append(row[pk_name])
            for name in omit:
                row.pop(name, None)
            for name in moved:
                value = row.pop(name, "")
                if value and private[name] not in dropped and self.wants(private[name]):
                    self.kinds[private[name]].append(
                        {"record": model._meta.label, "id": row[pk_name], name: value}
                    )
            self.kinds[kind].append(_clean(row))
        if history and pks:
            self.history(model, pks, leave_out=dropped)
        return pks

    def history(self, model: type[models.Model], pks: list[Any], *, leave_out: set[str]) -> None:
        manager = getattr(model, "history", None)
        if manager is None or not self.wants("history"):
            return
        historical = manager.model
        pk_name = model._meta.pk.attname
        rows = historical.objects.filter(**{f"{pk_name}__in": pks}).order_by("history_date")
        for row in rows.values():
            for name in leave_out:
                row.pop(name, None)
            self.kinds["history"].append({"record": model._meta.label, **_clean(row)})

    def file(self, kind: str, name: str, stored: str) -> None:
        if self.wants(kind) and stored:
            self.files.append(ArchiveFile(kind=kind, name=name, stored=stored))


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in row.items() if name not in SECRET_FIELDS}


PersonSource = Callable[[Archive, Any], None]
UserSource = Callable[[Archive, Any], None]


@dataclass(frozen=True)
class Contribution:
    """One app's part of a subject access request. ``models`` are the
    labels ("training.Enrolment") of the models it answers for; ``person``
    and ``user`` add the records about a person or a staff user."""

    app: str
    models: tuple[str, ...]
    person: PersonSource | None = None
    user: UserSource | None = None


_contributions: dict[str, Contribution] = {}
_not_exported: dict[str, str] = {}


def register(
    app: str,
    *,
    models: Iterable[str],
    person: PersonSource | None = None,
    user: UserSource | None = None,
) -> None:
    """Register an app's contribution (again: replaced, not doubled)."""
    _contributions[app] = Contribution(app=app, models=tuple(models), person=person, user=user)


def mark_not_exported(label: str, why: str) -> None:
    """Mark a model that the coverage definition finds as holding no
    personal data worth a subject access request (a question's wording
    that names only its author), or holding only secrets; ``why`` says so."""
    if not why:
        raise ValueError("Say why the model holds nothing to export.")
    _not_exported[label] = why


def contributions() -> list[Contribution]:
    return sorted(_contributions.values(), key=lambda c: c.app)


def covered() -> set[str]:
    return {label for c in _contributions.values() for label in c.models}


def not_exported() -> dict[str, str]:
    return dict(_not_exported)


# Which models hold personal data


def _subjects() -> tuple[type[models.Model], ...]:
    return (apps.get_model("core", "Person"), apps.get_model("core", "User"))


def _links(model: type[models.Model]) -> list[type[models.Model]]:
    """The models a model's own foreign keys and one-to-one fields lead to."""
    return [
        f.related_model
        for f in model._meta.get_fields()
        if f.is_relation and f.concrete and (f.many_to_one or f.one_to_one) and f.related_model
    ]


def history_owner(model: type[models.Model]) -> type[models.Model] | None:
    """The model whose history a django-simple-history model keeps (its
    many-to-many history tables too); None for any other model."""
    owner = getattr(model, "instance_type", None)
    if owner is not None:
        return owner
    history_fk = next((f for f in model._meta.concrete_fields if f.name == "history"), None)
    if history_fk is not None and history_fk.related_model is not None:
        return getattr(history_fk.related_model, "instance_type", None)
    return None


def holds_personal_data(model: type[models.Model]) -> bool:
    """A model holds personal data when it is the person record or the
    staff user, or one of its foreign keys leads to them ("directly"), or
    leads to a model with such a foreign key ("through one hop"). A
    history table counts as the model whose history it keeps, and is
    exported with it."""
    subjects = _subjects()
    if model in subjects:
        return True
    if history_owner(model) is not None:
        return False
    for target in _links(model):
        if target in subjects:
            return True
        if any(hop in subjects for hop in _links(target)):
            return True
    return False


def uncovered() -> list[str]:
    """Labels of the models holding personal data that no contribution
    answers for and nothing marks as holding none to export."""
    known = covered() | set(_not_exported)
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if holds_personal_data(model) and model._meta.label not in known
    )


def gather(*, person: Any = None, user: Any = None, leave_out: Iterable[str] = ()) -> Archive:
    """Everything every app holds about one person or one staff user."""
    archive = Archive(leave_out=frozenset(leave_out))
    for contribution in contributions():
        if person is not None and contribution.person is not None:
            contribution.person(archive, person)
        if user is not None and contribution.user is not None:
            contribution.user(archive, user)
    return archive
