"""A statement whose arguments change on every run (a page's ids) is
planned once per database connection on PostgreSQL
(``peerprog.core.prepared.fetch_prepared_named``), and gives the same rows
as the plain SQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerprog.core import prepared
from peerprog.core.prepared import fetch_prepared_named

# ``ids`` is used twice, and the literal ``%%`` must stay a percent sign.
SQL = (
    "SELECT n, n + %(step)s, '100%%' FROM unnest(%(ids)s::bigint[]) AS page(n)"
    " WHERE n = ANY(%(ids)s) ORDER BY n"
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statements are prepared on PostgreSQL only"
)


def _fetch(ids: list[int], step: int) -> tuple[list[tuple[object, ...]], str]:
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_prepared_named(sql=SQL, params={"ids": ids, "step": step})
    assert len(queries.captured_queries) == 1
    return [tuple(row) for row in rows], queries.captured_queries[0]["sql"]


def _plain(ids: list[int], step: int) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(SQL, {"ids": ids, "step": step})
        return [tuple(row) for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_a_statement_is_prepared_once_per_connection_and_run_with_each_runs_arguments() -> None:
    connection.close()

    rows, sql = _fetch([3, 1], 10)
    assert rows == [(1, 11, "100%"), (3, 13, "100%")] == _plain([3, 1], 10)
    assert sql.startswith("PREPARE ")

    rows, sql = _fetch([7, 5, 6], 1)
    assert rows == [(5, 6, "100%"), (6, 7, "100%"), (7, 8, "100%")] == _plain([7, 5, 6], 1)
    assert "EXECUTE " in sql
    assert "PREPARE " not in sql

    rows, _ = _fetch([], 1)
    assert rows == []

    # A new connection has no prepared statements: it prepares its own.
    connection.close()
    rows, sql = _fetch([2], 0)
    assert rows == [(2, 2, "100%")]
    assert sql.startswith("PREPARE ")


@pytest.mark.django_db(transaction=True)
def test_a_named_statement_that_fails_leaves_the_connection_running_plain_sql() -> None:
    connection.close()
    with pytest.raises(Exception, match="division by zero"):
        fetch_prepared_named(sql="SELECT 1 / (%(one)s - 1)", params={"one": 1})

    with CaptureQueriesContext(connection) as queries:
        rows = fetch_prepared_named(sql=SQL, params={"ids": [4], "step": 1})
    assert [tuple(row) for row in rows] == [(4, 5, "100%")]
    assert queries.captured_queries[0]["sql"].startswith("SELECT ")


@pytest.mark.django_db(transaction=True)
def test_a_connection_holding_the_most_statements_starts_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(prepared, "MOST_PREPARED", 2)
    connection.close()
    for step in range(3):
        sql = f"SELECT n + {step} FROM unnest(%(ids)s::bigint[]) AS page(n)"  # noqa: S608
        rows = fetch_prepared_named(sql=sql, params={"ids": [1]})
        assert [tuple(row) for row in rows] == [(1 + step,)]
    # The first two were let go; the third is prepared and runs again.
    sql = "SELECT n + 2 FROM unnest(%(ids)s::bigint[]) AS page(n)"
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_prepared_named(sql=sql, params={"ids": [5]})
    assert [tuple(row) for row in rows] == [(7,)]
    assert "PREPARE " not in queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_starting_afresh_costs_no_query_more(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page makes the same number of queries whether or not its
    statement is the one that has the connection let the others go."""
    monkeypatch.setattr(prepared, "MOST_PREPARED", 2)
    connection.close()
    for step in range(2):
        sql = f"SELECT n + {step} FROM unnest(%(ids)s::bigint[]) AS page(n)"  # noqa: S608
        fetch_prepared_named(sql=sql, params={"ids": [1]})

    with CaptureQueriesContext(connection) as queries:
        rows = fetch_prepared_named(
            sql="SELECT n + 9 FROM unnest(%(ids)s::bigint[]) AS page(n)", params={"ids": [1]}
        )

    assert [tuple(row) for row in rows] == [(10,)]
    assert len(queries.captured_queries) == 1
