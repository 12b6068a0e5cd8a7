"""Writing a checked batch of imported rows in a fixed number of queries.

``copy_create`` inserts new records with PostgreSQL's ``COPY``, after
taking their ids from the table's sequence in one query: two queries for
any number of records, and several times quicker than ``bulk_create``,
which builds a placeholder and a parameter for every field of every record.

``bulk_update`` sends one ``UPDATE ... FROM (VALUES ...)`` (Django's own
``bulk_update`` builds a ``CASE`` per field and row, many times slower), and
``history_copy`` writes the history rows of a batch in one
``INSERT ... SELECT`` from the records as they now stand, in the tables
django-simple-history keeps (``peerprog.core.history``), with the acting
user and time: the same rows a save would write, without building a Python
object for each.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models

from peerprog.core.models import User

HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type"}
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """A value as COPY's text format writes it."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, date):  # a datetime too: ISO 8601 with its offset
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return str(value).translate(_COPY_ESCAPES)


def copy_create(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert new records in two queries, setting each one's ``pk``. Falls
    back on ``bulk_create`` where the database has no ``COPY``."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)  # type: ignore[attr-defined]
        return
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [field for field in meta.concrete_fields if not getattr(field, "generated", False)]
    stamped = [
        field
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        for instance, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            instance.pk = pk
            instance._state.adding = False
            instance._state.db = connection.alias
        for field in stamped:
            for instance in objects:
                field.pre_save(instance, add=True)
        attnames = [field.attname for field in fields]
        text = io.StringIO()
        for instance in objects:
            text.write("\t".join(_copy_text(getattr(instance, name)) for name in attnames))
            text.write("\n")
        text.seek(0)
        columns = ", ".join(quote(field.column) for field in fields)
        sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        raw = cursor.cursor
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, text)
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(text.getvalue())


def bulk_update(
    model: type[models.Model], objects: Sequence[models.Model], fields: Sequence[str]
) -> None:
    """Save ``fields`` of every object, in one query."""
    if not objects:
        return
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    casts = ", ".join(f"%s::{field.db_type(connection)}" for field in [meta.pk, *targets])
    rows = ", ".join(f"({casts})" for _ in objects)
    params: list[Any] = []
    for instance in objects:
        params.append(instance.pk)
        for field in targets:
            params.append(field.get_db_prep_save(getattr(instance, field.attname), connection))
    names = ", ".join(quote(field.column) for field in [meta.pk, *targets])
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in targets)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM (VALUES {rows}) AS v({names}) "  # noqa: S608
            f"WHERE {table}.{quote(meta.pk.column)} = v.{quote(meta.pk.column)}",
            params,
        )


def history_copy(
    model: type[models.Model],
    pks: Sequence[Any],
    *,
    created: bool,
    by: User,
    at: datetime,
) -> None:
    """One history row per record (created, or changed), in one query."""
    if not pks:
        return
    historical = model.history.model  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    source = {field.column for field in model._meta.concrete_fields}
    columns: list[str] = []
    values: list[str] = []
    params: list[Any] = []
    for field in historical._meta.concrete_fields:
        if field.name == "history_id":
            continue
        columns.append(quote(field.column))
        if field.name == "history_date":
            values.append("%s")
            params.append(at)
        elif field.name == "history_type":
            values.append("%s")
            params.append("+" if created else "~")
        elif field.name == "history_change_reason":
            values.append("NULL")
        elif field.name == "history_user":
            values.append("%s")
            params.append(by.pk)
        elif field.column in source:
            values.append(f"t.{quote(field.column)}")
        else:
            raise LookupError(f"{historical.__name__}.{field.name} has no source column.")
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(values)} FROM {table} AS t "
            f"WHERE t.{quote(model._meta.pk.column)} = ANY(%s) "
            f"ORDER BY t.{quote(model._meta.pk.column)}",
            [*params, list(pks)],
        )
