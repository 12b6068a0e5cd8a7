"""Reports' statements, run again only after the rows they read have
changed.

The study tables, the supervision overview, a cohort's mentoring page, the
programme dashboard and the home page's counts stay exact from live rows (or
from the stored figures), but their statements read every pass, appointment,
post or supervision session of a programme, which costs more than the rest
of the page; the reports' lists of cohorts, services and accounts are read
on every view and change seldom. On PostgreSQL every statement that writes
to one of the tables they read (``WATCHED``, kept by triggers: the
dashboard's migrations 0004 to 0006) adds a row to
``dashboard_report_change`` in the same transaction. ``changes_version``
reads the count and the highest id of those rows as one statement sees them:
it changes with every write that statement can see, its transaction's own
included, and never comes back to an earlier value, so a result kept under
the version it was read at is the result the statements would give again.
``read_unless_changed`` keeps a few such results in each process and asks
the database again as soon as anything they read has changed.

Why it is exact: a statement sees every write committed before it began,
so any two versions read are of nested sets of writes, and the count
tells them apart; the ids come from a sequence that never gives an id twice
(not even after a rollback), so a version read with a transaction's own
uncommitted writes is never read by anyone else. Elsewhere (the embedded
demo's SQLite) every read runs its statement.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from peerprog.core.kept_queries import counted_row

T = TypeVar("T")

# The tables the kept reports read. A test holds this list to the
# triggers, and under the tests every kept read checks that it reads no
# other table (``_check_tables``).
WATCHED = (
    "core_person",
    "core_programme",
    "core_service",
    "core_user",
    "dashboard_cohortfigures",
    "dashboard_programmefigures",
    "deployment_absence",
    "deployment_activityline",
    "deployment_activityweek",
    "deployment_appointment",
    "deployment_inductionitem",
    "deployment_interview",
    "deployment_interviewscore",
    "deployment_panel",
    "deployment_panelmember",
    "deployment_panelmemberlivedexperience",
    "deployment_post",
    "deployment_preemploymentcheck",
    "deployment_recruitmentday",
    "deployment_reserveentry",
    "deployment_retentionsnapshot",
    "deployment_trainingcourse",
    "deployment_trainingrecord",
    "deployment_vacancy",
    "recruitment_application",
    "recruitment_cohort",
    "supervision_mentorassignment",
    "supervision_mentormeeting",
    "supervision_supervisionassignment",
    "supervision_supervisionattendance",
    "supervision_supervisionsession",
    "supervision_wellbeingplan",
    "training_assessment",
    "training_attendance",
    "training_cofacilitator",
    "training_cohorttraining",
    "training_coursesession",
    "training_enrolment",
    "training_noncompletionreason",
    "training_portfoliodraft",
    "training_portfoliosubmission",
    "training_rubric",
    "training_tutorial",
)

# The results kept in one process, the oldest dropped first: about twenty
# reports, each for a few programmes, days, filters or pages. The largest
# (a dashboard's page) is about 100 KB.
KEPT = 256

_keeping = threading.Lock()
_kept: dict[tuple[str, Hashable, tuple[int, int]], object] = {}

VERSION = """
SELECT COALESCE(SUM(weight), 0)::bigint, COALESCE(MAX(id), 0)::bigint
FROM dashboard_report_change
"""

# Every row folded into one of the same weight, in one statement, so that
# the version's count is read from a handful of rows (nothing is done to a
# single row). The version then has a new highest id, which only means each
# kept result is read once more.
COMPACT = """
WITH gone AS (
    DELETE FROM dashboard_report_change
    WHERE (SELECT COUNT(*) FROM dashboard_report_change) > 1
    RETURNING weight
)
INSERT INTO dashboard_report_change (weight)
SELECT SUM(weight) FROM gone HAVING COUNT(*) > 0
"""


# The version read in this request, while the request has written nothing
# (``version_once_per_request``): empty until read.
_request_version: ContextVar[list[tuple[int, int]] | None] = ContextVar(
    "report_changes_request_version", default=None
)

# A statement that may write (a read that locks rows counts too).
_WRITES = re.compile(r"\b(?:INSERT|UPDATE|DELETE|TRUNCATE|MERGE)\b", re.IGNORECASE)


def changes_version() -> tuple[int, int] | None:
    """The count and highest id of the changes to the watched tables that
    this transaction sees (``None`` where writes are not tracked). Read
    once in a request until the request writes."""
    if connection.vendor != "postgresql":
        return None
    known = _request_version.get()
    if known:
        return known[0]
    with connection.cursor() as cursor:
        cursor.execute(VERSION)
        count, highest = cursor.fetchone()
    version = (int(count), int(highest))
    if known is not None:
        known.append(version)
    return version


def _forget_on_write(
    known: list[tuple[int, int]], execute: Any, sql: str, params: Any, many: bool, context: Any
) -> Any:
    if known and _WRITES.search(sql):
        known.clear()
    return execute(sql, params, many, context)


def version_once_per_request(get_response: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Middleware: the kept reports of one request share the version read
    first, so a page of several reports asks for it once. Any statement
    that may write forgets it, so a report read after the request's own
    write is read afresh. A version read earlier in the request than a
    report is as exact as one read just before: the page shows the records
    as they were at that moment."""

    def middleware(request: Any) -> Any:
        known: list[tuple[int, int]] = []
        token = _request_version.set(known)
        try:
            with connection.execute_wrapper(partial(_forget_on_write, known)):
                return get_response(request)
        finally:
            _request_version.reset(token)

    return middleware


def read_unless_changed(name: str, key: Hashable, read: Callable[[], T]) -> T:
    """What ``read`` returns, read again only when a watched table has
    changed since it was last read with ``name`` and ``key`` in this
    process. ``read`` must read only watched tables, and ``key`` must name
    everything else it depends on (the programme, today's date). The result
    is shared between requests: callers must not change it."""
    version = changes_version()
    if version is None:
        return read()
    found = _kept.get((name, key, version), _kept)
    if found is not _kept:
        return found  # type: ignore[return-value]
    if settings.TESTING:
        with connection.execute_wrapper(partial(_check_tables, _tables())):
            result = read()
    else:
        result = read()
    with _keeping:
        # Results under an older version will not be read again.
        for kept in [kept for kept in _kept if kept[:2] == (name, key)]:
            del _kept[kept]
        if len(_kept) >= KEPT:
            del _kept[next(iter(_kept))]
        _kept[(name, key, version)] = result
    return result


def counted_row_unless_changed(
    name: str, key: Hashable, build: Callable[[], QuerySet]
) -> tuple[Any, ...] | None:
    """``kept_queries.counted_row``, kept until a table it reads changes."""
    return read_unless_changed(name, key, lambda: counted_row(name, key, build))


_table_names: set[str] = set()


def _tables() -> set[str]:
    """The database's tables, read once per process (under the tests)."""
    if not _table_names:
        _table_names.update(connection.introspection.table_names())
    return _table_names


# A table (or a WITH query's name) read by a statement.
_READ = re.compile(r'(?:FROM|JOIN)\s+"?([a-z_][a-z0-9_]*)"?', re.IGNORECASE)


def _check_tables(
    tables: set[str], execute: Any, sql: str, params: Any, many: bool, context: Any
) -> Any:
    """Under the tests: refuse a kept read that reads a table no trigger
    watches (its kept result would not be read again after a write)."""
    unwatched = {name for name in _READ.findall(sql) if name in tables} - set(WATCHED)
    if unwatched:
        raise AssertionError(f"A kept report reads tables no trigger watches: {sorted(unwatched)}")
    return execute(sql, params, many, context)


def changes_compact() -> None:
    """Fold the recorded changes into one row of the same count (the
    15-minute refresh calls this), so reading the version stays cheap."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(COMPACT)
