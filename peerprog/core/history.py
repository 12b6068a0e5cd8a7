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
and neither are fields left out of the history.

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


class History(HistoricalRecords):
    """``HistoricalRecords`` that writes no row for a save that changes nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # For each model: the attnames compared, and each compared field's
        # attname by its name or attname (save(update_fields=...) takes both).
        self.compared: dict[type[models.Model], tuple[str, ...]] = {}
        self.attname_of: dict[type[models.Model], dict[str, str]] = {}

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        if sender is not self.cls and not (self.inherit and issubclass(sender, self.cls)):
            return
        fields = [
            field for field in self.fields_included(sender) if not getattr(field, "auto_now", False)
        ]
        self.compared[sender] = tuple(field.attname for field in fields)
        self.attname_of[sender] = {
            name: field.attname for field in fields for name in (field.name, field.attname)
        }
        models.signals.post_init.connect(self.post_init, sender=sender, weak=False)
        models.signals.pre_save.connect(self.pre_save, sender=sender, weak=False)

    @staticmethod
    def _values(instance: models.Model, attnames: Iterable[str]) -> dict[str, Any]:
        # The instance's own dict, so that a deferred field is neither loaded
        # nor compared.
        loaded = instance.__dict__
        return {name: _kept(loaded[name]) for name in attnames if name in loaded}

    def post_init(self, sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
        instance.__dict__[LOADED] = self._values(instance, self.compared[sender])

    def pre_save(self, instance: models.Model, **kwargs: Any) -> None:
        # A record neither loaded from the database nor saved since it was
        # built has no starting values to trust, even if its row exists.
        if instance._state.adding:
            instance.__dict__.pop(LOADED, None)

    def post_save(
        self, instance: models.Model, created: bool, using: str | None = None, **kwargs: Any
    ) -> None:
        sender = kwargs["sender"]
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            saved: Iterable[str] = self.compared[sender]
        else:
            attname_of = self.attname_of[sender]
            saved = {attname_of[name] for name in update_fields if name in attname_of}
        before: dict[str, Any] | None = instance.__dict__.get(LOADED)
        now = self._values(instance, saved)
        if (
            created
            or before is None
            or any(before.get(name, MISSING) != now.get(name, MISSING) for name in saved)
        ):
            super().post_save(instance, created, using=using, **kwargs)
            now = self._values(instance, saved)
        instance.__dict__[LOADED] = now if update_fields is None else {**(before or {}), **now}

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
