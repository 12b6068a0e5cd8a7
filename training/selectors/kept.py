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

from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

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
