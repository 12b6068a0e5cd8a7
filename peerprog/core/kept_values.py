"""A page of plain values whose SQL is built once and planned once per
database connection.

A list page reads its fifty rows with one ``values()`` query whose text
depends only on a few things (the programme, the filters chosen, the day,
the page's rows). Building it in the ORM and planning it in PostgreSQL
cost more than running it. ``kept_values`` keeps the SQL under a key that
names every such thing, and runs it as a statement prepared once per
connection (``prepared.fetch_prepared_named``): the rows are always live,
only the question is kept.

Only on PostgreSQL, whose driver returns dates, numbers and flags as the
ORM would; other databases (the demo's SQLite) run the ORM's query, whose
field converters they need.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.sql import Query

from peerprog.core.kept_queries import kept
from peerprog.core.prepared import fetch_prepared_named


def kept_values(*, name: str, key: Hashable, build: Callable[[], QuerySet]) -> list[dict[str, Any]]:
    """The rows (as ``values()`` gives them) of the ``values()`` query
    ``build`` returns, its SQL built only the first time ``name`` is asked
    with ``key``."""
    if connection.vendor != "postgresql":
        return list(build())
    try:
        built = kept(name, key, lambda: _written(build().query))
    except EmptyResultSet:
        return []
    sql, names = built
    return [dict(zip(names, row, strict=True)) for row in fetch_prepared_named(sql=sql, params={})]


def _written(query: Query) -> tuple[str, tuple[str, ...]]:
    """The query's SQL with its values written in, and the names
    ``values()`` gives a row's columns, in their order."""
    sql, params = query.sql_with_params()
    # The values are written into the statement as the driver writes them
    # into any query (typed alike: a parameter PostgreSQL would have to
    # guess the type of, in a select list say, is never one), and its
    # percent signs doubled for the driver's second reading.
    with connection.cursor() as cursor:
        written = cursor.mogrify(sql, params)
    written = (written.decode() if isinstance(written, bytes) else written).replace("%", "%%")
    names = tuple(
        query.selected
        or (
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        )
    )
    return (written, names)
