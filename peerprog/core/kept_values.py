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

import itertools
import re
import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from peerprog.core.prepared import fetch_prepared_named

KEPT = 128
_keeping = threading.Lock()
# (SQL with named placeholders, their values, the rows' names) by key.
_built: dict[tuple[str, Hashable], tuple[str, dict[str, Any], tuple[str, ...]]] = {}
# A positional placeholder of the ORM's SQL (not an escaped ``%%s``).
_PLACEHOLDER = re.compile(r"(?<!%)%s")


def kept_values(*, name: str, key: Hashable, build: Callable[[], QuerySet]) -> list[dict[str, Any]]:
    """The rows (as ``values()`` gives them) of the ``values()`` query
    ``build`` returns, its SQL built only the first time ``name`` is asked
    with ``key``."""
    if connection.vendor != "postgresql":
        return list(build())
    built = _built.get((name, key))
    if built is None:
        query = build().query
        try:
            sql, params = query.sql_with_params()
        except EmptyResultSet:
            return []
        numbers = itertools.count()
        named = _PLACEHOLDER.sub(lambda _: f"%(p{next(numbers)})s", sql)
        # The names ``values()`` gives a row's columns, in their order.
        names = tuple(
            query.selected
            or (
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            )
        )
        built = (named, {f"p{number}": value for number, value in enumerate(params)}, names)
        with _keeping:
            if len(_built) >= KEPT:
                del _built[next(iter(_built))]
            _built[(name, key)] = built
    sql, params, names = built
    return [
        dict(zip(names, row, strict=True)) for row in fetch_prepared_named(sql=sql, params=params)
    ]
