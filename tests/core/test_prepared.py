"""A fixed query is planned once per database connection on PostgreSQL
(``peerprog.core.prepared``), and gives the same rows as the plain SQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerprog.core.prepared import fetch_prepared

SQL = "SELECT %s + n FROM generate_series(1, 5) AS n ORDER BY n LIMIT %s OFFSET %s"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statements are prepared on PostgreSQL only"
)


def _fetch(limit: int, offset: int) -> tuple[list[tuple[int, ...]], str]:
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_prepared(sql=SQL, params=(10,), args=(limit, offset))
    assert len(queries.captured_queries) == 1
    return [tuple(row) for row in rows], queries.captured_queries[0]["sql"]


@pytest.mark.django_db(transaction=True)
def test_a_fixed_query_is_prepared_once_per_connection_and_run_with_each_pages_limits() -> None:
    connection.close()

    rows, sql = _fetch(2, 1)
    assert rows == [(12,), (13,)]
    assert sql.startswith("PREPARE ")

    rows, sql = _fetch(3, 0)
    assert rows == [(11,), (12,), (13,)]
    assert "EXECUTE " in sql
    assert "PREPARE " not in sql

    # A new connection has no prepared statements: it prepares its own.
    connection.close()
    rows, sql = _fetch(5, 4)
    assert rows == [(15,)]
    assert sql.startswith("PREPARE ")


@pytest.mark.django_db(transaction=True)
def test_a_statement_that_fails_leaves_the_connection_running_plain_sql() -> None:
    connection.close()
    with pytest.raises(Exception, match="division by zero"):
        fetch_prepared(sql="SELECT 1 / (%s - 1) LIMIT %s", params=(1,), args=(1,))

    with CaptureQueriesContext(connection) as queries:
        rows = fetch_prepared(sql=SQL, params=(10,), args=(1, 0))
    assert [tuple(row) for row in rows] == [(11,)]
    assert queries.captured_queries[0]["sql"].startswith("SELECT ")
