"""Anonymising records: the one write that erasure and the retention
schedule share.

``records_anonymise`` replaces the declared personal and special-category
fields of some rows of one model, and of every history row kept about
those rows, with what their declaration says (blank, placeholder text,
null), and deletes their declared uploaded files once the transaction has
committed. Fields declared "keep" and fields that hold no personal data are
left alone, so figures resting on stages, dates and categories do not move.

The change is audited as one history row per record, credited to the user
who asked for it, with the reason "Anonymised": the row holds the new
(blank) values, never the erased ones, and the earlier history rows no
longer hold them either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Cast, Concat

from peerprog.core.privacy.datamap import (
    PLACEHOLDER_TEXT,
    Anon,
    FieldEntry,
    declaration_for,
    history_model,
)
from peerprog.core.storage import configured as private_store

CHANGE_REASON = "Anonymised"
ERASED_EMAIL_DOMAIN = "erased.invalid"


class NotDeclared(Exception):
    """The model has no data-map declaration, so nothing says what to erase."""


def _pk_text(pk_name: str) -> Any:
    return Cast(pk_name, output_field=models.CharField())


def replacement(field: models.Field[Any, Any], anon: Anon, pk_name: str) -> Any:
    """The value (or SQL expression, for values that must differ per row)
    that takes the place of a field's content."""
    if anon == Anon.NULL:
        return None
    if anon == Anon.PLACEHOLDER:
        if isinstance(field, models.EmailField):
            return Concat(
                Value("erased-"),
                _pk_text(pk_name),
                Value(f"@{ERASED_EMAIL_DOMAIN}"),
                output_field=models.CharField(),
            )
        if field.unique:
            return Concat(
                Value(f"{PLACEHOLDER_TEXT} "), _pk_text(pk_name), output_field=models.CharField()
            )
        if isinstance(field, models.CharField | models.TextField):
            limit = getattr(field, "max_length", None) or len(PLACEHOLDER_TEXT)
            return PLACEHOLDER_TEXT[:limit]
    # Blank, a deleted file's name, or a placeholder for a field of no text.
    if isinstance(field, models.JSONField):
        return field.get_default() if field.has_default() else {}
    if isinstance(field, models.BinaryField):
        return b""
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return ""
    if field.null:
        return None
    raise ValueError(f"{field.model.__name__}.{field.name} cannot be blanked.")


def _history_field(model: type[models.Model], name: str) -> models.Field[Any, Any] | None:
    try:
        return model._meta.get_field(name)  # type: ignore[return-value]
    except Exception:
        return None


def _changes(
    model: type[models.Model], entries: Iterable[FieldEntry]
) -> tuple[dict[str, Any], list[str]]:
    changes: dict[str, Any] = {}
    files: list[str] = []
    for entry in entries:
        # A history row keeps the original key under the same name.
        pk_name = entry.model._meta.pk.attname  # type: ignore[union-attr]
        target = _history_field(model, entry.name)
        if target is None or not target.concrete:
            continue  # left out of the history
        if entry.anon == Anon.DELETE_FILE:
            files.append(target.attname)
        source = entry.model._meta.get_field(entry.name)
        changes[target.attname] = replacement(source, entry.anon, pk_name)  # type: ignore[arg-type]
    return changes, files


def _delete_files_on_commit(storage: Any, names: set[str]) -> None:
    def delete() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


def records_anonymise(
    *, model: type[models.Model], pks: Iterable[Any], by: Any, special_too: bool = True
) -> int:
    """Anonymise the declared personal (and, unless told otherwise,
    special-category) fields of the rows of ``model`` with these keys and
    of their history rows; delete their declared files after commit.
    Returns how many rows of ``model`` were anonymised."""
    declaration = declaration_for(model)
    if declaration is None:
        raise NotDeclared(f"{model._meta.label} has no data-map declaration.")
    keys = list(pks)
    if not declaration.holds_personal or not keys:
        return 0
    entries = declaration.erasable(special_too=special_too)
    if not entries:
        return 0
    pk_name = model._meta.pk.name  # type: ignore[union-attr]
    with transaction.atomic():
        changes, file_fields = _changes(model, entries)
        rows = model._default_manager.filter(**{f"{pk_name}__in": keys})
        history = history_model(model)
        history_rows = (
            history._default_manager.filter(**{f"{pk_name}__in": keys}) if history else None
        )
        for attname in file_fields:
            storage = getattr(model._meta.get_field(attname), "storage", None) or private_store()
            names = set(rows.exclude(**{attname: ""}).values_list(attname, flat=True))
            if history_rows is not None and _history_field(history, attname) is not None:  # type: ignore[arg-type]
                names |= set(history_rows.exclude(**{attname: ""}).values_list(attname, flat=True))
            _delete_files_on_commit(storage, names)
        count = rows.update(**changes)
        if history is not None and history_rows is not None:
            history_changes, _ = _changes(history, entries)
            history_rows.update(**history_changes)
            history_manager = getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]
            history_manager.bulk_history_create(
                list(model._default_manager.filter(**{f"{pk_name}__in": keys})),
                update=True,
                default_user=by,
                default_change_reason=CHANGE_REASON,
            )
    return count
