"""A fixed query with no values given on each run is prepared once per
database connection on PostgreSQL (``fetch_prepared_fixed``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerprog.core.prepared import fetch_prepared_fixed

SQL = "SELECT %s + n FROM generate_series(1, 3) AS n ORDER BY n"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statements are prepared on PostgreSQL only"
)


def _fetch() -> tuple[list[tuple[int, ...]], str]:
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_prepared_fixed(sql=SQL, params=(10,))
    assert len(queries.captured_queries) == 1
    return [tuple(row) for row in rows], queries.captured_queries[0]["sql"]


@pytest.mark.django_db(transaction=True)
def test_a_fixed_query_is_prepared_once_per_connection() -> None:
    connection.close()

    rows, sql = _fetch()
    assert rows == [(11,), (12,), (13,)]
    assert sql.startswith("PREPARE ")

    rows, sql = _fetch()
    assert rows == [(11,), (12,), (13,)]
    assert sql.startswith("EXECUTE ")

    connection.close()
    rows, sql = _fetch()
    assert sql.startswith("PREPARE ")


@pytest.mark.django_db(transaction=True)
def test_a_statement_that_fails_leaves_the_connection_running_plain_sql() -> None:
    connection.close()
    with pytest.raises(Exception, match="division by zero"):
        fetch_prepared_fixed(sql="SELECT 1 / (%s - 1)", params=(1,))

    rows, sql = _fetch()
    assert rows == [(11,), (12,), (13,)]
    assert sql.startswith("SELECT ")
