"""Counting queries whose SQL is built once and run live on every view.

Some pages count several things in one query built from the apps' rules
(querysets, so each rule is written once and also drives the list it
counts). Building such a query in the ORM can cost more than running it,
yet its text depends only on a few values, such as the programme and the
day. ``counted_row`` keeps the text and parameters under a key holding
every value the query depends on, and asks the database each time: the
counts are always live, only the question is kept.

A kept query returns plain numbers (no field converters run), and a key
must name everything its query reads from outside (the user's programme,
today's date); a handful of questions are kept, the oldest dropped first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Func, IntegerField, QuerySet, Subquery

T = TypeVar("T")

KEPT = 256
_keeping = threading.Lock()
_questions: dict[tuple[str, Hashable], Any] = {}


def counted_row(name: str, key: Hashable, build: Callable[[], QuerySet]) -> tuple[Any, ...] | None:
    """The one row of the query ``build`` returns (a ``values_list`` of
    counts), building its SQL only the first time ``name`` is asked with
    ``key``."""
    question = kept_statement(name, key, lambda: build().query.sql_with_params())
    with connection.cursor() as cursor:
        cursor.execute(*question)
        return cursor.fetchone()


def kept_rows(name: str, key: Hashable, build: Callable[[], QuerySet]) -> list[tuple[Any, ...]]:
    """The rows of the ``values_list`` query ``build`` returns, building its
    SQL only the first time ``name`` is asked with ``key``. On PostgreSQL
    the rows come as its driver reads them, which for numbers, text, dates
    and times is what the queryset gives; elsewhere the queryset runs as
    usual (its fields' converters are then needed)."""
    if connection.vendor != "postgresql":
        return [tuple(row) for row in build()]
    try:
        question = kept_statement(name, key, lambda: build().query.sql_with_params())
    except EmptyResultSet:
        # A filter no row can match (an empty list of ids): nothing to ask.
        return []
    with connection.cursor() as cursor:
        cursor.execute(*question)
        return cursor.fetchall()


def kept_statement(
    name: str, key: Hashable, build: Callable[[], tuple[str, Any]]
) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters ``build`` returns, built only the first time
    ``name`` is asked with ``key``; the caller runs them live."""

    def question() -> tuple[str, tuple[Any, ...]]:
        sql, params = build()
        return (sql, tuple(params))

    return kept(name, key, question)


def kept(name: str, key: Hashable, build: Callable[[], T]) -> T:
    """What ``build`` returns (the text of a question, never its answer),
    built only the first time ``name`` is asked with ``key``. Every kept
    question of every page shares these few places."""
    found = _questions.get((name, key), _questions)
    if found is not _questions:
        return found  # type: ignore[return-value]
    question = build()
    with _keeping:
        if len(_questions) >= KEPT:
            del _questions[next(iter(_questions))]
        _questions[(name, key)] = question
    return question


def count_of(queryset: QuerySet) -> Subquery:
    """The number of rows of ``queryset`` (0 for none), as a column of
    another query. It counts rows (``COUNT(*)``) rather than a column, so
    PostgreSQL can take the count from an index on the filter alone
    (applications by cohort, say) without reading the table. No grouping:
    the count is the whole subquery's."""
    return Subquery(
        queryset.order_by()
        .annotate(n=Func(template="COUNT(*)", output_field=IntegerField()))
        .values("n")[:1],
        output_field=IntegerField(),
    )
