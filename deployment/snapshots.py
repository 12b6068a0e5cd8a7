"""Retention snapshots: each month's figures per training cohort and service,
written once with one aggregate query.

For the month's last day the query counts, per group of people (their
training cohort, and the service where they first started in a peer post,
as the retention page groups them): people appointed, in post, starters and
leavers in the month (a transfer is not a leaver), days of absence within the
month, and for each milestone of 6, 12 and 24 months those who had reached it
and those still in a peer post on that day. A person's first day is their
earliest start in a peer post, and milestones are calendar months from it
(PostgreSQL's month arithmetic ends on the last day of a shorter month, as
``deployment.retention.add_months`` does).

A month already taken for a programme is never written again, and the unique
constraints make two runs at the same time write one set of rows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from deployment.models import Absence, Appointment, Post, RetentionSnapshot
from peerprog.core.services import DomainError
from training.models import Enrolment


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


_SQL = """
WITH counted AS (
    SELECT a.id, a.person_id, a.programme_id, a.start_date, a.ended_on, a.status, p.service_id
    FROM {appointment} a JOIN {post} p ON p.id = a.post_id
    WHERE a.status IN ('in_post', 'left', 'transferred') AND a.start_date IS NOT NULL
),
firsts AS (
    SELECT DISTINCT ON (person_id) person_id, programme_id, service_id, start_date AS first_day
    FROM counted ORDER BY person_id, start_date, id
),
cohorts AS (
    SELECT DISTINCT ON (person_id) person_id, cohort_id
    FROM {enrolment} WHERE status = 'completed'
    ORDER BY person_id, passed_on DESC, id DESC
),
people AS (
    SELECT f.person_id, f.programme_id, f.service_id, c.cohort_id, f.first_day,
           (f.first_day + INTERVAL '6 months')::date AS m6,
           (f.first_day + INTERVAL '12 months')::date AS m12,
           (f.first_day + INTERVAL '24 months')::date AS m24
    FROM firsts f LEFT JOIN cohorts c ON c.person_id = f.person_id
    WHERE f.first_day <= %(last)s
      AND NOT EXISTS (
          SELECT 1 FROM {snapshot} s
          WHERE s.month = %(month)s AND s.programme_id = f.programme_id
      )
),
per_person AS (
    SELECT pe.person_id, pe.programme_id, pe.service_id, pe.cohort_id, pe.first_day,
        pe.m6, pe.m12, pe.m24,
        bool_or(
            x.start_date <= %(last)s AND (x.ended_on IS NULL OR x.ended_on >= %(last)s)
        ) AS in_post,
        bool_or(
            x.status = 'left' AND x.ended_on BETWEEN %(month)s AND %(last)s
        ) AS left_in_month,
        bool_or(x.start_date <= pe.m6 AND (x.ended_on IS NULL OR x.ended_on >= pe.m6)) AS kept_6,
        bool_or(
            x.start_date <= pe.m12 AND (x.ended_on IS NULL OR x.ended_on >= pe.m12)
        ) AS kept_12,
        bool_or(
            x.start_date <= pe.m24 AND (x.ended_on IS NULL OR x.ended_on >= pe.m24)
        ) AS kept_24
    FROM people pe JOIN counted x ON x.person_id = pe.person_id
    GROUP BY pe.person_id, pe.programme_id, pe.service_id, pe.cohort_id, pe.first_day,
        pe.m6, pe.m12, pe.m24
),
absences AS (
    SELECT x.person_id, SUM(
        LEAST(COALESCE(ab.ends_on, %(last)s), %(last)s) - GREATEST(ab.starts_on, %(month)s) + 1
    ) AS days
    FROM {absence} ab JOIN counted x ON x.id = ab.appointment_id
    WHERE ab.starts_on <= %(last)s AND COALESCE(ab.ends_on, %(last)s) >= %(month)s
    GROUP BY x.person_id
)
INSERT INTO {snapshot} (
    programme_id, month, cohort_id, service_id, appointed, in_post, starters, leavers,
    absence_days, reached_6, retained_6, reached_12, retained_12, reached_24, retained_24,
    taken_at
)
SELECT
    programme_id, %(month)s, cohort_id, service_id,
    COUNT(*),
    COUNT(*) FILTER (WHERE in_post),
    COUNT(*) FILTER (WHERE first_day >= %(month)s),
    COUNT(*) FILTER (WHERE left_in_month),
    COALESCE(SUM(ab.days), 0),
    COUNT(*) FILTER (WHERE m6 <= %(last)s),
    COUNT(*) FILTER (WHERE m6 <= %(last)s AND kept_6),
    COUNT(*) FILTER (WHERE m12 <= %(last)s),
    COUNT(*) FILTER (WHERE m12 <= %(last)s AND kept_12),
    COUNT(*) FILTER (WHERE m24 <= %(last)s),
    COUNT(*) FILTER (WHERE m24 <= %(last)s AND kept_24),
    %(now)s
FROM per_person pp LEFT JOIN absences ab ON ab.person_id = pp.person_id
GROUP BY programme_id, cohort_id, service_id
ON CONFLICT DO NOTHING
"""


def retention_snapshot_take(*, month: date, now: datetime | None = None) -> int:
    """Write the snapshot of ``month`` (any day in it) for every programme
    that has none for that month yet. Returns the number of rows written:
    0 when the month was already taken. One query, however many people.

    Only complete months are taken, so a month's figures never change."""
    first = month_start(month)
    last = month_end(first)
    now = now or timezone.now()
    if last >= timezone.localdate(now):
        raise DomainError(f"{first:%B %Y} has not ended yet; only past months are snapshotted.")
    if connection.vendor != "postgresql":
        raise DomainError("Retention snapshots need PostgreSQL.")
    sql = _SQL.format(
        appointment=Appointment._meta.db_table,
        post=Post._meta.db_table,
        enrolment=Enrolment._meta.db_table,
        absence=Absence._meta.db_table,
        snapshot=RetentionSnapshot._meta.db_table,
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {"month": first, "last": last, "now": now})
        return max(cursor.rowcount, 0)


def first_month_on_record() -> date | None:
    """The month of the earliest start in a peer post, where a backfill begins."""
    first = (
        Appointment.objects.filter(start_date__isnull=False)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    return month_start(first) if first else None
