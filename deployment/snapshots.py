"""Retention snapshots: each month's figures per training cohort and service,
written once with one aggregate query.

For the month's last day the query counts, per group of people (their
training cohort, and the service where they first started in a peer post,
as the retention page groups them): people appointed, in post, starters and
leavers in the month, days of absence within the month, and for each
milestone of 6, 12 and 24 months those who had reached it and those still in
post on that day. It follows the retention page's rules
(``deployment.retention``): a person's first day is their earliest start in
a peer post; their first continuous spell runs on through transfers (the next
post starting by the day after the last) and ends at the first gap; they are
in post, retained or a leaver by that spell alone; milestones are calendar
months from the first day, ending on the last day of a shorter month. So a
month's snapshot shows what the retention page showed on that month's last
day.

The query runs on PostgreSQL and, for the demo, on SQLite: only the date
arithmetic differs between them.

A month already taken for a programme is never written again by a
scheduled or backfill run, and the unique constraints make two runs at the
same time write one set of rows. When an event is recorded with a date in a
month already taken, ``retention_snapshots_revise`` re-takes that month and
the later months taken with the same query and writes a revision beside
each row whose figures changed, so the trend never silently disagrees with
the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from deployment.models import Absence, Appointment, Post, RetentionSnapshot
from deployment.retention import MILESTONES
from deployment.retention_figures import figures_changed
from peerprog.core.models import Programme
from peerprog.core.services import DomainError
from training.models import Enrolment

# The last day of a spell still running, so that open ends compare as dates.
OPEN_END = date(9999, 12, 31)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def previous_month(now: datetime | None = None) -> date:
    """The first day of the last complete month, in London time: at 00:30 on
    1 April in summer time it is already April here, though still March in
    UTC, so the month just ended is March."""
    today = timezone.localdate(now or timezone.now())
    return month_start(month_start(today) - timedelta(days=1))


@dataclass(frozen=True)
class _Dialect:
    """The date arithmetic the query needs, in each database's words."""

    add_months: str  # {day}, {months}: the same day N months on, clamped
    day_before: str  # {day}
    days_between: str  # {first}, {last}: whole days from first to last
    smaller: str
    larger: str


_DIALECTS = {
    "postgresql": _Dialect(
        add_months="({day} + INTERVAL '{months} months')::date",
        day_before="({day} - 1)",
        days_between="({last} - {first})",
        smaller="LEAST",
        larger="GREATEST",
    ),
    # SQLite's own month arithmetic runs over into the next month (31 August
    # plus 6 months is 3 March); the smaller of that and the target month's
    # last day is the clamped date.
    "sqlite": _Dialect(
        add_months="MIN(date({day}, 'start of month', '+{months} months', '+1 month', "
        "'-1 day'), date({day}, '+{months} months'))",
        day_before="date({day}, '-1 day')",
        days_between="CAST(julianday({last}) - julianday({first}) AS INTEGER)",
        smaller="MIN",
        larger="MAX",
    ),
}

# The figures of a snapshot row, in the order the query gives them.
FIGURES = (
    "appointed",
    "in_post",
    "starters",
    "leavers",
    "absence_days",
    "reached_6",
    "retained_6",
    "reached_12",
    "retained_12",
    "reached_24",
    "retained_24",
)

# The statement that takes a month begins with INSERT (its WITH inside) so
# that both databases' drivers report the number of rows written.
_INSERT = """
INSERT INTO {snapshot} (
    programme_id, month, cohort_id, service_id, appointed, in_post, starters, leavers,
    absence_days, reached_6, retained_6, reached_12, retained_12, reached_24, retained_24,
    taken_at, revision
)
"""

# The month's figures per group. ``{which}`` chooses the people: for a first
# take, those of programmes with no snapshot of the month yet; for a
# re-take, those of one programme.
_SELECT = """
WITH counted AS (
    SELECT a.id, a.person_id, a.programme_id, a.start_date,
           COALESCE(a.ended_on, %(open)s) AS last_day, p.service_id
    FROM {appointment} a JOIN {post} p ON p.id = a.post_id
    WHERE a.status IN ('in_post', 'left', 'transferred') AND a.start_date IS NOT NULL
),
ordered AS (
    SELECT c.*,
        ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY start_date, id) AS position,
        MAX(last_day) OVER (
            PARTITION BY person_id ORDER BY start_date, id
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) AS reach_before
    FROM counted c
),
marked AS (
    SELECT o.*,
        SUM(CASE WHEN {start_day_before} > reach_before THEN 1 ELSE 0 END) OVER (
            PARTITION BY person_id ORDER BY start_date, id ROWS UNBOUNDED PRECEDING
        ) AS gaps
    FROM ordered o
),
spells AS (
    SELECT person_id, MIN(start_date) AS first_day, MAX(last_day) AS last_day
    FROM marked WHERE gaps = 0 GROUP BY person_id
),
firsts AS (
    SELECT person_id, programme_id, service_id FROM marked WHERE position = 1
),
cohorts AS (
    SELECT person_id, cohort_id FROM (
        SELECT person_id, cohort_id, ROW_NUMBER() OVER (
            PARTITION BY person_id ORDER BY passed_on IS NULL, passed_on, id
        ) AS position
        FROM {enrolment} WHERE status = 'completed'
    ) ranked WHERE position = 1
),
people AS (
    SELECT s.person_id, f.programme_id, f.service_id, c.cohort_id, s.first_day, s.last_day,
        {m6} AS m6, {m12} AS m12, {m24} AS m24
    FROM spells s
    JOIN firsts f ON f.person_id = s.person_id
    LEFT JOIN cohorts c ON c.person_id = s.person_id
    WHERE s.first_day <= %(last)s AND {which}
),
absences AS (
    SELECT x.person_id, SUM(
        {days_within} + 1
    ) AS days
    FROM {absence} ab JOIN counted x ON x.id = ab.appointment_id
    WHERE ab.starts_on <= %(last)s AND COALESCE(ab.ends_on, %(last)s) >= %(month)s
    GROUP BY x.person_id
)
SELECT
    pe.programme_id, %(month)s, pe.cohort_id, pe.service_id,
    COUNT(*),
    SUM(CASE WHEN pe.last_day >= %(last)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN pe.first_day >= %(month)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN pe.last_day BETWEEN %(month)s AND %(last)s THEN 1 ELSE 0 END),
    COALESCE(SUM(ab.days), 0),
    {milestones},
    %(now)s, 0
FROM people pe LEFT JOIN absences ab ON ab.person_id = pe.person_id
WHERE 1 = 1
GROUP BY pe.programme_id, pe.cohort_id, pe.service_id
"""

_NOT_TAKEN = """NOT EXISTS (
          SELECT 1 FROM {snapshot} taken
          WHERE taken.month = %(month)s AND taken.programme_id = f.programme_id
      )"""

_OF_PROGRAMME = "f.programme_id = %(programme)s"


def _sql(*, retake: bool = False) -> str:
    """The query of a month's figures: for a first take the INSERT of every
    programme not yet taken; for a ``retake`` the SELECT of one programme's."""
    dialect = _DIALECTS.get(connection.vendor)
    if dialect is None:
        raise DomainError("Retention snapshots need PostgreSQL (or SQLite for the demo).")
    milestones = []
    for months in MILESTONES:
        milestones.append(f"SUM(CASE WHEN pe.m{months} <= %(last)s THEN 1 ELSE 0 END)")
        milestones.append(
            f"SUM(CASE WHEN pe.m{months} <= %(last)s AND pe.last_day >= pe.m{months} "
            "THEN 1 ELSE 0 END)"
        )
    first = f"{dialect.larger}(ab.starts_on, %(month)s)"
    last = f"{dialect.smaller}(COALESCE(ab.ends_on, %(last)s), %(last)s)"
    snapshot = RetentionSnapshot._meta.db_table
    if retake:
        sql = _SELECT.replace("{which}", _OF_PROGRAMME)
    else:
        sql = _INSERT + _SELECT.replace("{which}", _NOT_TAKEN) + "ON CONFLICT DO NOTHING\n"
    return sql.format(
        appointment=Appointment._meta.db_table,
        post=Post._meta.db_table,
        enrolment=Enrolment._meta.db_table,
        absence=Absence._meta.db_table,
        snapshot=snapshot,
        start_day_before=dialect.day_before.format(day="start_date"),
        m6=dialect.add_months.format(day="s.first_day", months=6),
        m12=dialect.add_months.format(day="s.first_day", months=12),
        m24=dialect.add_months.format(day="s.first_day", months=24),
        days_within=dialect.days_between.format(first=first, last=last),
        milestones=",\n    ".join(milestones),
    )


def retention_snapshot_take(*, month: date, now: datetime | None = None) -> int:
    """Write the snapshot of ``month`` (any day in it) for every programme
    that has none for that month yet. Returns the number of rows written:
    0 when the month was already taken. Two queries (the programmes' lock
    and the figures), however many people.

    Only complete months are taken, so a month's figures never change."""
    first = month_start(month)
    last = month_end(first)
    now = now or timezone.now()
    if last >= timezone.localdate(now):
        raise DomainError(f"{first:%B %Y} has not ended yet; only past months are snapshotted.")
    with transaction.atomic():
        # The programmes are locked as a revision locks its programme, so a
        # month is never taken from figures an event's revision is still
        # writing: whichever comes second sees the other's rows.
        list(
            Programme.objects.select_for_update(no_key=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        with connection.cursor() as cursor:
            cursor.execute(_sql(), _params(first=first, now=now))
            written = max(cursor.rowcount, 0)
    if written:
        # Written in one statement, unheard by the receivers.
        figures_changed(None)
    return written


def _params(*, first: date, now: datetime, programme_id: int | None = None) -> dict[str, Any]:
    ops = connection.ops
    return {
        "month": ops.adapt_datefield_value(first),
        "last": ops.adapt_datefield_value(month_end(first)),
        "open": ops.adapt_datefield_value(OPEN_END),
        "now": ops.adapt_datetimefield_value(now),
        "programme": programme_id,
    }


Key = tuple[date, int | None, int]  # month, cohort (or none), service
NO_ONE = (0,) * len(FIGURES)


def _retake(*, programme_id: int, first: date, now: datetime) -> dict[Key, tuple[int, ...]]:
    """One programme's figures for the month beginning ``first``, per cohort
    and service, as a first take would write them now. One query."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(retake=True), _params(first=first, now=now, programme_id=programme_id))
        rows = cursor.fetchall()
    # Each row: programme, month, cohort, service, the figures, the time.
    return {
        (first, row[2], row[3]): tuple(int(value) for value in row[4 : 4 + len(FIGURES)])
        for row in rows
    }


@transaction.atomic
def retention_snapshots_revise(
    *, programme_id: int, since: date, now: datetime | None = None, taken_anywhere: bool = False
) -> int:
    """Re-take the snapshots of the month of ``since`` and of every later
    month already taken for the programme, after an event dated ``since``
    was recorded; returns the number of revisions written.

    A month not yet taken is left to its scheduled run. For each month,
    cohort and service whose figures now differ from the current ones, the
    current row is marked superseded (its figures kept) and a revision with
    the figures as they are now is written beside it, numbered after the
    group's last; a group nobody belongs to any more gets a revision of
    zeros, and a group new to the month gets its first revision. Where the
    figures agree nothing is written, so re-taking twice writes nothing the
    second time. Revisions of one programme are taken one at a time (the
    programme is locked before the current figures are read), so of two
    events recorded together the second re-takes after the first is written,
    and a group never has two current rows. One query for each month
    re-taken, and a fixed few besides; one query when no month from
    ``since`` on has been taken.

    With ``taken_anywhere`` the months re-taken are those taken for any
    programme: a programme that had nobody in post in a month has no rows
    for it, and a history imported into it gives that month its first rows.
    """
    now = now or timezone.now()
    taken = RetentionSnapshot.objects.filter(month__gte=month_start(since))
    if not taken_anywhere:
        taken = taken.filter(programme_id=programme_id)
    months = sorted(taken.values_list("month", flat=True).distinct().order_by("month"))
    if not months:
        return 0
    list(
        Programme.objects.select_for_update(no_key=True)
        .filter(pk=programme_id)
        .values_list("pk", flat=True)
    )
    current: dict[Key, RetentionSnapshot] = {
        (row.month, row.cohort_id, row.service_id): row
        for row in RetentionSnapshot.objects.current().filter(
            programme_id=programme_id, month__in=months
        )
    }
    last_revision: dict[Key, int] = {
        (row["month"], row["cohort_id"], row["service_id"]): row["last"]
        for row in RetentionSnapshot.objects.filter(programme_id=programme_id, month__in=months)
        .values("month", "cohort_id", "service_id")
        .annotate(last=Max("revision"))
        .order_by()
    }
    superseded: list[int] = []
    revisions: list[RetentionSnapshot] = []
    for first in months:
        retaken = _retake(programme_id=programme_id, first=first, now=now)
        groups = set(retaken) | {key for key in current if key[0] == first}
        for key in sorted(groups, key=lambda k: (k[1] or 0, k[2])):
            figures = retaken.get(key, NO_ONE)
            standing = current.get(key)
            if standing is not None:
                if tuple(getattr(standing, name) for name in FIGURES) == figures:
                    continue
                superseded.append(standing.pk)
            month, cohort_id, service_id = key
            revisions.append(
                RetentionSnapshot(
                    programme_id=programme_id,
                    month=month,
                    cohort_id=cohort_id,
                    service_id=service_id,
                    taken_at=now,
                    revision=last_revision.get(key, 0) + 1,
                    **dict(zip(FIGURES, figures, strict=True)),
                )
            )
    if superseded:
        RetentionSnapshot.objects.filter(pk__in=superseded).update(superseded_at=now)
    if revisions:
        RetentionSnapshot.objects.bulk_create(revisions)
        figures_changed(programme_id)
    return len(revisions)


def retention_snapshots_backfill(*, since: date | None = None, until: date | None = None) -> int:
    """Take every month from ``since`` (by default the month of the earliest
    start in a peer post) to ``until`` (by default the month just ended)
    that has no snapshot yet; returns the rows written. A fixed number of
    queries per month."""
    until = month_start(until) if until else previous_month()
    month = month_start(since) if since else first_month_on_record()
    written = 0
    while month is not None and month <= until:
        written += retention_snapshot_take(month=month)
        month = month_end(month) + timedelta(days=1)
    return written


def first_month_on_record() -> date | None:
    """The month of the earliest start in a peer post, where a backfill begins."""
    first = (
        Appointment.objects.filter(start_date__isnull=False)
        .exclude(status=Appointment.Status.OFFERED)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    return month_start(first) if first else None
