"""History rows only for saves that change something.

Every model that keeps its history uses ``History()`` in place of
django-simple-history's ``HistoricalRecords()``. It writes the same rows
into the same tables, with one difference: saving a record whose tracked
fields are all as they were writes no row. Creating and deleting a record
always write one. So loading the same file twice, or a service that saves a
record it did not change, leaves the audit trail as it was.

The values a record was loaded with are kept on the instance when it is
built (Django's ``post_init``), so the comparison costs no query. A record
built in memory with the id of an existing row, rather than loaded, has no
trustworthy starting values: its saves are always recorded, as before.
Fields that change on every save by design (``auto_now``) are not compared,
and neither are fields left out of the history. The comparison is with what
this instance loaded: an instance kept while someone else changed the row,
then saved unchanged, puts the old values back without a row. So a service
loads what it changes inside its transaction (``select_for_update``), as the
house style asks, and its save is compared with the row as it is.

This module imports only Django and django-simple-history, so that every
models module can use it without an import cycle.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from simple_history.models import HistoricalRecords

# Where an instance keeps the values it was loaded with (or last saved).
LOADED = "_history_loaded_values"
MISSING = object()


def _kept(value: Any) -> Any:
    """A value as it must be kept for a later comparison.

    A file is kept by its name, because saving a file renames the same
    object; containers are copied, because they can be changed in place.
    """
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, dict | list | set):
        return copy.deepcopy(value)
    return value


def _needs_keeping(field: models.Field[Any, Any]) -> bool:
    """Whether a field's value can change without being assigned again."""
    return isinstance(field, models.FileField | models.JSONField) or field.get_internal_type() in {
        "ArrayField",
        "HStoreField",
    }


class _Tracked:
    """The fields compared for one model."""

    def __init__(self, fields: list[models.Field[Any, Any]]) -> None:
        self.attnames = tuple(field.attname for field in fields)
        # save(update_fields=...) names a field by its name or its attname.
        self.attname_of = {
            name: field.attname for field in fields for name in (field.name, field.attname)
        }
        self.kept = frozenset(field.attname for field in fields if _needs_keeping(field))

    def snapshot(self, instance: models.Model) -> dict[str, Any]:
        """The instance's values as they stand, from its own dict: a deferred
        field is absent, not loaded. Copying the whole dict is several times
        cheaper than picking fields out of it, and records are built far more
        often than they are saved."""
        values = instance.__dict__.copy()
        values.pop(LOADED, None)
        for name in self.kept:
            if name in values:
                values[name] = _kept(values[name])
        return values

    def changed(self, before: dict[str, Any], instance: models.Model, names: Iterable[str]) -> bool:
        loaded = instance.__dict__
        for name in names:
            now = loaded.get(name, MISSING)
            if name in self.kept and now is not MISSING:
                now = _kept(now)
            if before.get(name, MISSING) != now:
                return True
        return False


class History(HistoricalRecords):
    """``HistoricalRecords`` that writes no row for a save that changes nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tracked: dict[type[models.Model], _Tracked] = {}

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        if sender is not self.cls and not (self.inherit and issubclass(sender, self.cls)):
            return
        self.tracked[sender] = _Tracked(
            [
                field
                for field in self.fields_included(sender)
                if not getattr(field, "auto_now", False)
            ]
        )
        models.signals.post_init.connect(self.post_init, sender=sender, weak=False)
        models.signals.pre_save.connect(self.pre_save, sender=sender, weak=False)

    def post_init(self, sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
        instance.__dict__[LOADED] = self.tracked[sender].snapshot(instance)

    def pre_save(self, instance: models.Model, **kwargs: Any) -> None:
        # A record neither loaded from the database nor saved since it was
        # built has no starting values to trust, even if its row exists.
        if instance._state.adding:
            instance.__dict__.pop(LOADED, None)

    def post_save(
        self, instance: models.Model, created: bool, using: str | None = None, **kwargs: Any
    ) -> None:
        tracked = self.tracked[kwargs["sender"]]
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            saved: Iterable[str] = tracked.attnames
        else:
            saved = {tracked.attname_of[n] for n in update_fields if n in tracked.attname_of}
        before: dict[str, Any] | None = instance.__dict__.get(LOADED)
        if created or before is None or tracked.changed(before, instance, saved):
            super().post_save(instance, created, using=using, **kwargs)
        now = tracked.snapshot(instance)
        if update_fields is not None:
            # Only the fields saved now hold what the database holds.
            now = {**(before or {}), **{name: now[name] for name in saved if name in now}}
        instance.__dict__[LOADED] = now

    def m2m_changed(  # type: ignore[override]
        self,
        instance: models.Model,
        action: str,
        attr: str,
        pk_set: set[Any] | None,
        reverse: bool,
        **kwargs: Any,
    ) -> None:
        # Adding what is already linked, or removing what is not, changes nothing.
        if action in ("post_add", "post_remove") and not pk_set:
            return
        super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
