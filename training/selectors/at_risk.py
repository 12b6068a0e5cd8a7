"""The at-risk list as its page reads it: who breaks which rule, with their
names in the list's order, from one query over the rules' UNION, and one
page's attendance counted by a second.

Each rule is worked out once. Asking the database for every rule as a
column and again as the filter would work each out twice, and the
attendance rule groups every open trainee's marks.

Building the UNION in the ORM costs more than running it, and planning it
costs PostgreSQL almost as much, yet its text depends only on the
programme and the day: it is built once for each, prepared once on each
database connection, and run live on every view, so who is at risk is
always current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.utils import timezone

from peerprog.core.access import require_role
from peerprog.core.kept_queries import kept_statement
from peerprog.core.models import Person, Role, User
from peerprog.core.prepared import fetch_prepared_few, fetch_prepared_named
from peerprog.core.report_changes import read_unless_changed
from training.models import Attendance, CourseSession, Enrolment
from training.selectors.progress import AT_RISK_RULES


@dataclass(frozen=True)
class AtRisk:
    """One trainee at risk: their enrolment, name, cohort and the labels
    of the rules they break, in the rules' order."""

    pk: int
    name: str
    cohort: str
    reasons: list[str]


@dataclass(frozen=True)
class AtRiskRow:
    """One trainee at risk as the list shows them."""

    pk: int
    name: str
    cohort: str
    attended: int
    counted: int
    reasons: list[str]


def _union(programme_id: int, today: date) -> QuerySet:
    """The rules' UNION for the programme on ``today``: one row per rule an
    enrolment breaks, with the enrolment's person and cohort."""
    base = Enrolment.objects.filter(cohort__programme=programme_id)
    first, *others = (
        rule.select(enrolments=base, today=today)
        .order_by()
        .annotate(rule=Value(index, output_field=IntegerField()))
        .values_list("pk", "rule", "person_id", "cohort__training_start", "cohort__name")
        for index, rule in enumerate(AT_RISK_RULES)
    )
    return first.union(*others, all=True)


def _named_union(programme_id: int, today: date) -> tuple[str, tuple[Any, ...]]:
    """PostgreSQL's SQL for the rules' UNION with each row's person's name,
    in the list's order: cohort start, surname and first name as the
    database orders names, enrolment, rule. Each name is looked up by the
    person's key (``OFFSET 0`` keeps the lookup apart, where a join would
    read every person)."""
    sql, params = _union(programme_id, today).query.sql_with_params()
    person = connection.ops.quote_name(Person._meta.db_table)
    # Our own SQL and table name; the values stay parameters.
    named = (
        "SELECT u.pk, u.rule, u.cohort, p.first_name, p.preferred_name, p.last_name"  # noqa: S608
        f" FROM ({sql}) AS u (pk, rule, person_id, start, cohort)"
        " CROSS JOIN LATERAL (SELECT first_name, preferred_name, last_name"
        f" FROM {person} WHERE id = u.person_id OFFSET 0) AS p"
        " ORDER BY u.start, p.last_name, p.first_name, u.pk, u.rule"
    )
    return named, tuple(params)


def _breaking_rules(programme_id: int, today: date) -> list[tuple[Any, ...]]:
    """One row per rule an enrolment breaks, as (enrolment, rule, cohort
    name, first name, preferred name, surname), in the list's order. On
    PostgreSQL one query, its SQL built once for the programme and day and
    planned once on each database connection; elsewhere the ORM's UNION
    and the names in a second query (``test_at_risk_sql`` holds the two
    equal)."""
    if connection.vendor == "postgresql":
        try:
            sql, params = kept_statement(
                "at_risk_named", (programme_id, today), lambda: _named_union(programme_id, today)
            )
        except EmptyResultSet:
            return []
        # Kept until a table the rules read changes: the rules read every
        # open enrolment's register marks and portfolio.
        return read_unless_changed(
            "at_risk_named",
            (programme_id, today),
            lambda: fetch_prepared_few(sql=sql, params=params),
        )
    return _breaking_rules_orm(programme_id, today)


def _breaking_rules_orm(programme_id: int, today: date) -> list[tuple[Any, ...]]:
    """``_breaking_rules`` from the ORM: the UNION, then the names."""
    rows = list(_union(programme_id, today))
    if not rows:
        return []
    # Names are ranked as the database orders them; people of the same
    # name share a rank, so the enrolment decides between them.
    rank: dict[int, int] = {}
    names: dict[int, tuple[str, str, str]] = {}
    previous = None
    for person_id, first, preferred, last in (
        Person.objects.filter(pk__in={row[2] for row in rows})
        .order_by("last_name", "first_name")
        .values_list("pk", "first_name", "preferred_name", "last_name")
    ):
        if (last, first) != previous:
            previous = (last, first)
            position = len(rank)
        rank[person_id] = position
        names[person_id] = (first, preferred, last)
    rows.sort(key=lambda row: (row[3], rank[row[2]], row[0], row[1]))
    return [(pk, rule, cohort, *names[person_id]) for pk, rule, person_id, _, cohort in rows]


def at_risk_trainees(*, user: User, today: date | None = None) -> list[AtRisk]:
    """Each of the programme's enrolments breaking any at-risk rule, by
    cohort start, surname, first name, with the rules it breaks."""
    require_role(user, Role.PROGRAMME_LEAD)
    today = today or timezone.localdate()
    found: dict[int, tuple[str, str, set[int]]] = {}
    for pk, rule, cohort, first, preferred, last in _breaking_rules(user.programme_id, today):
        # An enrolment breaking several rules comes once for each, side by
        # side in the order; it takes the place of the first.
        if pk not in found:
            found[pk] = (Person.name_shown(first, preferred, last), cohort, set())
        found[pk][2].add(rule)
    return [
        AtRisk(
            pk=pk,
            name=name,
            cohort=cohort,
            reasons=[AT_RISK_RULES[i].label for i in sorted(rules)],
        )
        for pk, (name, cohort, rules) in found.items()
    ]


def _page_attendance(ids: list[int]) -> list[tuple[int, int, int]]:
    """(enrolment, attended, counted) for each of ``ids`` with a mark, as
    ``with_progress`` counts them. PostgreSQL is given the SQL as written
    here, prepared once per database connection and run with each page's
    ids, without the ORM building it or the database planning it for each
    page; elsewhere the ORM's query (``test_at_risk_sql`` holds the two
    equal). Kept until a table it reads changes."""
    if connection.vendor != "postgresql":
        return _page_attendance_orm(ids)
    return read_unless_changed("at_risk_attendance", tuple(ids), lambda: _page_attendance_sql(ids))


def _page_attendance_sql(ids: list[int]) -> list[tuple[int, int, int]]:
    attendance = connection.ops.quote_name(Attendance._meta.db_table)
    session = connection.ops.quote_name(CourseSession._meta.db_table)
    # Our own SQL and table names; the values stay parameters.
    sql = (
        "SELECT a.enrolment_id, COUNT(*) FILTER (WHERE a.status = ANY(%(attended)s)),"  # noqa: S608
        " COUNT(*) FILTER (WHERE a.status <> %(authorised)s)"
        f" FROM {attendance} a INNER JOIN {session} s ON s.id = a.session_id"
        " WHERE a.enrolment_id = ANY(%(ids)s) AND s.status = %(held)s GROUP BY a.enrolment_id"
    )
    return fetch_prepared_named(
        sql=sql,
        params={
            "attended": [str(status) for status in Attendance.ATTENDED],
            "authorised": str(Attendance.Status.AUTHORISED),
            "ids": ids,
            "held": str(CourseSession.Status.SCHEDULED),
        },
    )


def _page_attendance_orm(ids: list[int]) -> list[tuple[int, int, int]]:
    """``_page_attendance`` from the ORM."""
    return list(
        Attendance.objects.filter(
            enrolment_id__in=ids, session__status=CourseSession.Status.SCHEDULED
        )
        .order_by()
        .values_list("enrolment_id")
        .annotate(
            attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED)),
            counted=Count("pk", filter=~Q(status=Attendance.Status.AUTHORISED)),
        )
    )


def at_risk_page_rows(*, trainees: list[AtRisk]) -> list[AtRiskRow]:
    """One page of ``at_risk_trainees``, each with its attendance as
    ``with_progress`` counts it. One query, over that page's marks only
    (none for an empty page)."""
    ids = [trainee.pk for trainee in trainees]
    counts = {
        pk: (attended, counted) for pk, attended, counted in (_page_attendance(ids) if ids else [])
    }
    return [
        AtRiskRow(
            pk=trainee.pk,
            name=trainee.name,
            cohort=trainee.cohort,
            attended=counts.get(trainee.pk, (0, 0))[0],
            counted=counts.get(trainee.pk, (0, 0))[1],
            reasons=trainee.reasons,
        )
        for trainee in trainees
    ]
