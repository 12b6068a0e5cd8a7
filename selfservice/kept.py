"""The own pages' queries, built once by the process and planned once per
database connection, for every account alike.

Each own page reads one person's records with a query whose text depends
only on the account and the record in the address. Building it in the
ORM and planning it in PostgreSQL cost more than running it. ``own_rows``
builds the query once with stand-in numbers for those values, writes every
other value into its text as the driver writes it into any query, and
turns the stand-ins into named parameters; the statement is then prepared
once per connection (``prepared.fetch_prepared_named``) and run with the
account's own values on every view: the rows are always live, only the
question is kept. Other databases (the demo's SQLite) run the ORM's query,
whose field converters they need."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from peerprog.core.kept_queries import kept_statement
from peerprog.core.prepared import fetch_prepared_named

# Stand-ins for the values given on each run: numbers no record has, long
# enough never to be part of another value written into the text.
_STAND_IN = 7_700_000_000_000_000


def _named(build: Callable[..., QuerySet[Any]], names: tuple[str, ...]) -> str:
    stand_ins = {name: _STAND_IN + number for number, name in enumerate(names, start=1)}
    sql, params = build(**stand_ins).query.sql_with_params()
    with connection.cursor() as cursor:
        written = cursor.mogrify(sql, params)
    # Percent signs doubled for the driver's second reading.
    text = (written.decode() if isinstance(written, bytes) else written).replace("%", "%%")
    for name, stand_in in stand_ins.items():
        if str(stand_in) not in text:
            raise RuntimeError(f"The query {build!r} does not read {name}.")
        text = text.replace(str(stand_in), f"%({name})s")
    return text


def own_rows(
    *, name: str, build: Callable[..., QuerySet[Any]], **values: int
) -> list[tuple[Any, ...]]:
    """The rows of the ``values_list`` query ``build(**values)`` returns,
    its SQL built once (under ``name``) with ``values`` as the statement's
    parameters. On PostgreSQL the rows come as its driver reads them, which
    for numbers, text, dates and times is what the queryset gives."""
    if connection.vendor != "postgresql":
        return [tuple(row) for row in build(**values)]
    names = tuple(sorted(values))
    sql, _ = kept_statement(f"own:{name}", names, lambda: (_named(build, names), ()))
    return fetch_prepared_named(sql=sql, params={key: int(value) for key, value in values.items()})
