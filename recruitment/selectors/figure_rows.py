"""A cohort's figures and events read in one statement.

The figures page counts the cohort's applications by stage (one row) and
by reason (a row per stage and reason), and lists the cohort's events (a
row each). On PostgreSQL the three are asked in one statement, each part's
rows as JSON, planned once per connection (``fetch_prepared_few``: planning
the counts' subqueries takes longer than counting) and counted live on
every view; elsewhere the three queries run as the ORM builds them. Both
give the same rows (``test_list_filter`` holds them equal), but for the
values JSON has no type for (a day or a time comes as its ISO text)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from peerprog.core.kept_queries import counted_row, kept_rows, kept_statement
from peerprog.core.prepared import fetch_prepared_few

Rows = tuple[tuple[Any, ...] | None, list[tuple[Any, ...]], list[tuple[Any, ...]]]


def figure_rows(
    *,
    cohort_id: int,
    counts: Callable[[], QuerySet],
    reasons: Callable[[], QuerySet],
    events: Callable[[], QuerySet],
) -> Rows:
    """The one row of ``counts`` (None when the cohort has no application),
    the rows of ``reasons`` and the rows of ``events``: three
    ``values_list`` queries whose text depends only on the cohort. The
    events' rows come in no particular order: each gives its position."""
    if connection.vendor != "postgresql":
        return figure_rows_apart(cohort_id=cohort_id, counts=counts, reasons=reasons, events=events)
    sql, params = kept_statement(
        "cohort_figure_rows", cohort_id, lambda: _together(counts(), reasons(), events())
    )
    ((counted, by_reason, listed),) = fetch_prepared_few(sql=sql, params=params)
    # Each row comes as an object of its columns, in the query's order.
    row = json.loads(counted) if counted else None
    return (
        tuple(row.values()) if row else None,
        [tuple(found.values()) for found in json.loads(by_reason)],
        [tuple(event.values()) for event in json.loads(listed)],
    )


def figure_rows_apart(
    *,
    cohort_id: int,
    counts: Callable[[], QuerySet],
    reasons: Callable[[], QuerySet],
    events: Callable[[], QuerySet],
) -> Rows:
    """``figure_rows`` in three queries (their SQL kept per cohort)."""
    return (
        counted_row("cohort_figures", cohort_id, counts),
        kept_rows("cohort_reasons", cohort_id, reasons),
        kept_rows("cohort_events", cohort_id, events),
    )


def _together(counts: QuerySet, reasons: QuerySet, events: QuerySet) -> tuple[str, tuple[Any, ...]]:
    counts_sql, counts_params = counts.query.sql_with_params()
    reasons_sql, reasons_params = reasons.query.sql_with_params()
    events_sql, events_params = events.query.sql_with_params()
    # Every part is the ORM's SQL; every value stays a parameter.
    sql = (
        f"SELECT (SELECT to_json(f)::text FROM ({counts_sql}) f),"  # noqa: S608
        f" (SELECT coalesce(json_agg(r), '[]'::json)::text FROM ({reasons_sql}) r),"
        f" (SELECT coalesce(json_agg(e), '[]'::json)::text FROM ({events_sql}) e)"
    )
    return sql, (*counts_params, *reasons_params, *events_params)
