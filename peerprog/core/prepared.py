"""Fixed queries planned once per database connection.

Some queries are large and always the same (the audit trail's UNION of
every history table): PostgreSQL takes longer to plan them than to run
them. On PostgreSQL such a query is ``PREPARE``d on the connection the
first time it is run there and run with ``EXECUTE`` afterwards, so that
the server plans it once per connection, not once per request
(connections are kept between requests: ``CONN_MAX_AGE``). The ``PREPARE``
goes with the first ``EXECUTE`` in one statement, so a page costs the same
number of queries either way. Other databases run the SQL as it is.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection

# On the Django connection: the database connection the names below were
# prepared on, and those names (``None``: not to be used on this one).
_STATE = "peerprog_prepared"
# The most statements kept prepared on one connection.
MOST_PREPARED = 100
# A named placeholder, ``%(ids)s``, not preceded by an escaping ``%``.
_NAMED = re.compile(r"(?<!%)%\(([a-z_][a-z0-9_]*)\)s")


def _prepared_names() -> set[str] | None:
    """The statements prepared on the current database connection, which
    the ORM may have opened anew since the last request."""
    raw = connection.connection
    state = getattr(connection, _STATE, None)
    if state is None or state[0] is not raw:
        state = (raw, set())
        setattr(connection, _STATE, state)
    return state[1]


def fetch_prepared(
    *, sql: str, params: Sequence[Any], args: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """The rows of ``sql``, whose ``%s`` placeholders take ``params`` and
    then ``args``: ``params`` are fixed for the statement (bound into it
    when it is prepared), ``args`` are given on each run (the last
    placeholders, such as a page's ``LIMIT`` and ``OFFSET``: whole
    numbers)."""
    with connection.cursor() as cursor:
        names = _prepared_names() if connection.vendor == "postgresql" else None
        if names is None:
            cursor.execute(sql, (*params, *args))
            return cursor.fetchall()
        key = repr((sql, tuple(params))).encode()
        name = "peerprog_" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:20]
        # Every run uses the plan made once without the arguments (by
        # default PostgreSQL plans the first five runs for their arguments,
        # which is the cost preparing saves). SET LOCAL lasts until the end
        # of the transaction: outside one, this statement's own.
        run = (
            "SET LOCAL plan_cache_mode = force_generic_plan;"
            f" EXECUTE {name}({', '.join(['%s'] * len(args))})"
        )
        pieces = sql.rsplit("%s", len(args))
        statement = pieces[0] + "".join(
            f"${number}{piece}" for number, piece in enumerate(pieces[1:], start=1)
        )
        types = ", ".join(["bigint"] * len(args))
        try:
            if name in names:
                cursor.execute(run, tuple(args))
            else:
                cursor.execute(f"PREPARE {name}({types}) AS {statement}; {run}", (*params, *args))
                names.add(name)
        except Exception:
            # Whether the statement is (still) prepared is not known: this
            # connection runs the SQL as it is from now on.
            setattr(connection, _STATE, (connection.connection, None))
            raise
        return cursor.fetchall()


# On the Django connection: the database connection and the names
# ``fetch_prepared_few`` prepared on it, oldest first.
_FEW = "peerprog_prepared_few"
# How many such statements a connection keeps prepared at once.
FEW = 16


def fetch_prepared_few(
    *, sql: str, params: Sequence[Any], keep: int = FEW
) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` with ``params`` (all bound when it is prepared),
    for a large statement whose text changes with a few values, such as a
    report's filters and the day: each text is planned once per connection
    and its figures read live on every run. At most ``keep`` of them stay
    prepared on a connection; preparing another deallocates the oldest in
    the same statement, so a page costs one query either way."""
    with connection.cursor() as cursor:
        names = _prepared_names() if connection.vendor == "postgresql" else None
        if names is None:
            cursor.execute(sql, params)
            return cursor.fetchall()
        raw = connection.connection
        state = getattr(connection, _FEW, None)
        if state is None or state[0] is not raw:
            state = (raw, [])
            setattr(connection, _FEW, state)
        order: list[str] = state[1]
        # Another reader may have let every statement go (``DEALLOCATE ALL``).
        order[:] = [old for old in order if old in names]
        key = repr((sql, tuple(params))).encode()
        name = "peerprog_few_" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:20]
        try:
            if name in names:
                # Without parameters, the plan made once is always used.
                cursor.execute(f"EXECUTE {name}")
            else:
                dropped = order[: max(0, len(order) + 1 - keep)]
                deallocate = "".join(f"DEALLOCATE {old}; " for old in dropped)
                cursor.execute(f"{deallocate}PREPARE {name} AS {sql}; EXECUTE {name}", params)
                for old in dropped:
                    order.remove(old)
                    names.discard(old)
                order.append(name)
                names.add(name)
        except Exception:
            # As ``fetch_prepared``: plain SQL on this connection from now on.
            setattr(connection, _STATE, (connection.connection, None))
            raise
        return cursor.fetchall()


def fetch_prepared_named(*, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql``, whose ``%(name)s`` placeholders take
    ``params``, every one given on each run (a page's ids, say, as a
    list). On PostgreSQL the statement is prepared once per connection,
    each name becoming one parameter (however often it is used) of the
    type PostgreSQL infers from where it stands, and run with its generic
    plan; other databases run the SQL as it is. A placeholder whose type
    cannot be told from where it stands (alone in the select list, say)
    comes back as text: give it a cast (``%(ids)s::bigint[]``)."""
    with connection.cursor() as cursor:
        names = _prepared_names() if connection.vendor == "postgresql" else None
        if names is None:
            cursor.execute(sql, params)
            return cursor.fetchall()
        order = list(dict.fromkeys(_NAMED.findall(sql)))
        name = "peerprog_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:20]
        arguments = f"({', '.join(f'%({key})s' for key in order)})" if order else ""
        run = f"SET LOCAL plan_cache_mode = force_generic_plan; EXECUTE {name}{arguments}"
        try:
            if name in names:
                cursor.execute(run, params)
            else:
                # Each page of a list may be a statement of its own: a
                # long-lived connection starts afresh rather than keep every
                # plan it has made, in the same statement, so that a page
                # costs as many queries either way.
                deallocate = ""
                if len(names) >= MOST_PREPARED:
                    deallocate = "DEALLOCATE ALL; "
                    names.clear()
                # The statement's own ``%%`` stay doubled: the driver reads
                # the whole text with ``params``.
                numbered = {key: f"${number}" for number, key in enumerate(order, start=1)}
                statement = _NAMED.sub(lambda found: numbered[found.group(1)], sql)
                cursor.execute(f"{deallocate}PREPARE {name} AS {statement}; {run}", params)
                names.add(name)
        except Exception:
            # As ``fetch_prepared``: this connection runs the SQL as it is
            # from now on.
            setattr(connection, _STATE, (connection.connection, None))
            raise
        return cursor.fetchall()
