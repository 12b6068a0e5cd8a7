"""A cohort, its figures and its events read in one statement.

The figures page reads the cohort (one row), counts its applications by
stage (one row) and by reason (a row per stage and reason), and lists its
events (a row each). On PostgreSQL they are asked in one statement, each part's
rows as JSON, planned once per connection (``fetch_prepared_few``: planning
the counts' subqueries takes longer than counting) and counted live on
every view; elsewhere the queries run as the ORM builds them. Both
give the same rows (``test_list_filter`` holds them equal), but for the
values JSON has no type for (a day or a time comes as its ISO text)."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import QuerySet

from peerprog.core.kept_queries import counted_row, kept_rows, kept_statement
from peerprog.core.prepared import fetch_prepared_few


class FigureRows(NamedTuple):
    """What ``figure_rows`` reads: the cohort's own row (when asked), the
    one row of counts (None when the cohort has no application), the rows
    by reason and the events' rows."""

    record: tuple[Any, ...] | None
    counted: tuple[Any, ...] | None
    reasons: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]


def figure_rows(
    *,
    key: Hashable,
    counts: Callable[[], QuerySet],
    reasons: Callable[[], QuerySet],
    events: Callable[[], QuerySet],
    record: Callable[[], QuerySet] | None = None,
) -> FigureRows:
    """The rows of ``record`` (the first, or None), ``counts`` (the one row,
    or None), ``reasons`` and ``events``: ``values_list`` queries whose text
    depends only on ``key``. The events' rows come in no particular order:
    each gives its position."""
    if connection.vendor != "postgresql":
        return figure_rows_apart(
            key=key, counts=counts, reasons=reasons, events=events, record=record
        )
    name = "cohort_figure_rows" if record is None else "cohort_page_rows"
    sql, params = kept_statement(
        name,
        key,
        lambda: _together(record() if record else None, counts(), reasons(), events()),
    )
    ((found, counted, by_reason, listed),) = fetch_prepared_few(sql=sql, params=params)
    # Each row comes as an object of its columns, in the query's order.
    own = json.loads(found) if found else None
    row = json.loads(counted) if counted else None
    return FigureRows(
        record=tuple(own.values()) if own else None,
        counted=tuple(row.values()) if row else None,
        reasons=[tuple(each.values()) for each in json.loads(by_reason)],
        events=[tuple(event.values()) for event in json.loads(listed)],
    )


def figure_rows_apart(
    *,
    key: Hashable,
    counts: Callable[[], QuerySet],
    reasons: Callable[[], QuerySet],
    events: Callable[[], QuerySet],
    record: Callable[[], QuerySet] | None = None,
) -> FigureRows:
    """``figure_rows`` in a query each (their SQL kept per key)."""
    found = kept_rows("cohort_record", key, record) if record else []
    return FigureRows(
        record=found[0] if found else None,
        counted=counted_row("cohort_figures", key, counts),
        reasons=kept_rows("cohort_reasons", key, reasons),
        events=kept_rows("cohort_events", key, events),
    )


def _together(
    record: QuerySet | None, counts: QuerySet, reasons: QuerySet, events: QuerySet
) -> tuple[str, tuple[Any, ...]]:
    record_sql, record_params = (
        record.query.sql_with_params() if record is not None else ("SELECT NULL", ())
    )
    counts_sql, counts_params = counts.query.sql_with_params()
    reasons_sql, reasons_params = reasons.query.sql_with_params()
    events_sql, events_params = events.query.sql_with_params()
    # Every part is the ORM's SQL; every value stays a parameter.
    sql = (
        f"SELECT (SELECT to_json(c)::text FROM ({record_sql}) c LIMIT 1),"  # noqa: S608
        f" (SELECT to_json(f)::text FROM ({counts_sql}) f),"
        f" (SELECT coalesce(json_agg(r), '[]'::json)::text FROM ({reasons_sql}) r),"
        f" (SELECT coalesce(json_agg(e), '[]'::json)::text FROM ({events_sql}) e)"
    )
    return sql, (*record_params, *counts_params, *reasons_params, *events_params)
