"""Reads whose SQL is built once and run live on every view.

Building some of the pages' queries in the ORM costs more than running
them, yet their text depends only on a few values (a cohort, a filter, a
page). ``kept_rows`` keeps a query's text and parameters under a key that
names every such value (in ``peerprog.core.kept_queries``' one store of
kept questions) and asks the database each time: the rows are always
live, only the question is kept.

Only on PostgreSQL, whose driver returns dates, times and numbers as the
ORM would; other databases (the demo's SQLite) run the ORM's query, whose
field converters they need.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from datetime import date, time
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    DateField,
    DateTimeField,
    DecimalField,
    DurationField,
    Field,
    QuerySet,
    TimeField,
    UUIDField,
)

from peerprog.core.kept_queries import kept
from peerprog.core.prepared import fetch_prepared


def kept_rows(*, name: str, key: Hashable, build: Callable[[], QuerySet]) -> list[tuple[Any, ...]]:
    """The rows of the ``values_list`` query ``build`` returns, its SQL
    built only the first time ``name`` is asked with ``key``. When the
    query's values are all ids (whole numbers), its statement is the same
    for every key: it is prepared once per database connection and run
    with each key's ids, so the database plans it once, not on every
    view (planning these small queries cost about as much as running
    them)."""
    if connection.vendor != "postgresql":
        return [tuple(row) for row in build()]
    try:
        question = kept(name, key, lambda: build().query.sql_with_params())
    except EmptyResultSet:
        return []
    sql, params = question
    if params and all(type(value) is int for value in params):
        return fetch_prepared(sql=sql, params=(), args=params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def kept_parts(
    *, name: str, key: Hashable, parts: Sequence[Callable[[], QuerySet]]
) -> list[list[tuple[Any, ...]]]:
    """The rows of each ``values_list`` query ``parts`` return, as
    ``kept_rows`` gives them. On PostgreSQL every part is asked in one
    statement, each part's rows as a JSON array (the dates and times read
    back as dates and times), its text built only the first time ``name``
    is asked with ``key`` and, when its values are all ids, prepared once
    per database connection; elsewhere one query per part. Each part's
    columns must be ids, numbers, text, yes-or-no, dates or times."""
    if connection.vendor != "postgresql":
        return [[tuple(row) for row in part()] for part in parts]
    sql, params, readers = kept(name, key, lambda: _together([part() for part in parts]))
    if params and all(type(value) is int for value in params):
        (texts,) = fetch_prepared(sql=sql, params=(), args=params)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            texts = cursor.fetchone()
    return [_read(text, columns) for columns, text in zip(readers, texts, strict=True)]


# Each part's columns read back other than as JSON gives them: by position.
Readers = list[tuple[int, Callable[[str], Any]]]


def _read(text: str, columns: Readers) -> list[tuple[Any, ...]]:
    """A part's rows from its JSON array of arrays."""
    rows = json.loads(text)
    if columns:
        for row in rows:
            for number, read in columns:
                if row[number] is not None:
                    row[number] = read(row[number])
    return [tuple(row) for row in rows]


def _reader(field: Field) -> Callable[[str], Any] | None:
    """How one column comes back from JSON as its field gives it (None:
    as it comes)."""
    if isinstance(field, DateTimeField | DecimalField | DurationField | UUIDField):
        raise TypeError(f"{type(field).__name__} is not read back from JSON as it is")
    if isinstance(field, DateField):
        return date.fromisoformat
    if isinstance(field, TimeField):
        return time.fromisoformat
    return None


def _together(parts: list[QuerySet]) -> tuple[str, tuple[Any, ...], list[Readers]]:
    """One statement asking every part, each part's rows as one JSON
    array of arrays in its own column, and how to read each part's
    columns back."""
    columns, params, readers = [], [], []
    for part in parts:
        compiler = part.query.get_compiler(connection=connection)
        sql, part_params = compiler.as_sql()
        names = [f"c{number}" for number in range(compiler.col_count)]
        found = [
            (number, _reader(selected[0].output_field))
            for number, selected in enumerate(compiler.select[: compiler.col_count])
        ]
        readers.append([(number, read) for number, read in found if read is not None])
        # Renamed by position: the ORM's columns may share a name. The
        # rows are gathered in the part's own order.
        columns.append(
            f"(SELECT coalesce(json_agg(json_build_array({', '.join(names)})), '[]')::text"  # noqa: S608
            f" FROM ({sql}) AS part ({', '.join(names)}))"
        )
        params.extend(part_params)
    return f"SELECT {', '.join(columns)}", tuple(params), readers
