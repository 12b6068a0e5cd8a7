"""The lead's supervision overview: the figures for everyone in post and
one page of the peer workers in post, by surname, each with their
supervision now, last session, plan review and post, read as plain values
rather than whole records.

On PostgreSQL the figures are one statement, and the page another that
picks the 50 by surname over the names alone and reads the rest for those
50 only; elsewhere (the embedded demo's SQLite) the same come through the
ORM. Tests hold the two to the same answers. On PostgreSQL both are read
again only once a table they read has changed (``read_unless_changed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, FilteredRelation, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from deployment.models import Appointment
from peerprog.core.access import require_role, scoped
from peerprog.core.models import Person, Role, User
from peerprog.core.prepared import fetch_prepared_named
from peerprog.core.report_changes import read_unless_changed
from supervision.models import Frequency, SupervisionAssignment, SupervisionAttendance
from supervision.selectors import listed
from supervision.selectors.listed import ListedPeerWorker, ListedSupervision
from supervision.selectors.supervising import (
    SuperviseeRow,
    is_overdue,
    next_due_on,
    overdue_condition,
)

LEAD = Role.PROGRAMME_LEAD


OVERVIEW_PAGE_SIZE = 50


def _last_attended() -> Subquery:
    """A person's latest attended session, whoever led it, as an annotation
    on people."""
    return Subquery(
        SupervisionAttendance.objects.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(d=Max("session__held_on"))
        .values("d")
    )


def _in_post(user: User) -> QuerySet[Person]:
    """The programme's peer workers in post (people, not appointments: one
    row each, however many posts they hold)."""
    in_post = Appointment.objects.filter(status=Appointment.Status.IN_POST).values("person_id")
    return scoped(Person.objects.filter(pk__in=in_post), user)


@dataclass
class SupervisionOverview:
    page: Page
    rows: list[SuperviseeRow]
    total: int
    overdue: int
    unassigned: int


# The overview's figures for everyone in post: how many, how many overdue
# (``is_overdue``) and how many without a supervisor, in one pass. Each
# person's latest session is read only from the sessions within the longest
# agreed frequency (through the index of sessions by day), grouped once,
# rather than a semi-join over every attendance for each frequency: a later
# session is all that can keep anyone from being overdue, and someone with
# none in that window is overdue if they ever attended one or their
# supervision started before their frequency's cut-off.
#
# Both statements find the people in post by their ids, from the
# appointments held now (``= ANY(ARRAY(...))``: looked up through the
# people's primary key), rather than reading every person of the programme
# for a semi-join; the person's own programme still decides who is counted.
_OVERVIEW_FIGURES = """
WITH recent AS (
    SELECT a.person_id, MAX(s.held_on) AS last_on
    FROM supervision_supervisionattendance a
    INNER JOIN supervision_supervisionsession s ON s.id = a.session_id
    WHERE s.held_on >= %(since)s
    GROUP BY a.person_id
)
SELECT
    COUNT(*),
    COUNT(*) FILTER (
        WHERE sa.id IS NOT NULL
        AND (r.last_on IS NULL OR r.last_on < %(today)s::date - sa.frequency_days)
        AND (
            r.last_on IS NOT NULL
            OR sa.started_on < %(today)s::date - sa.frequency_days
            OR EXISTS (SELECT 1 FROM supervision_supervisionattendance x WHERE x.person_id = p.id)
        )
    ),
    COUNT(*) FILTER (WHERE sa.id IS NULL)
FROM core_person p
LEFT OUTER JOIN supervision_supervisionassignment sa ON sa.person_id = p.id AND sa.ended_on IS NULL
LEFT OUTER JOIN recent r ON r.person_id = p.id
WHERE p.programme_id = %(programme)s
AND p.id = ANY(ARRAY(SELECT person_id FROM deployment_appointment WHERE status = %(in_post)s))
"""


def overview_figures(*, user: User, today: date) -> tuple[int, int, int]:
    """(in post, overdue, without a supervisor) of the user's programme, by
    the rule of ``is_overdue``. One query, grouped once, whatever the number
    of people or sessions."""
    if user.programme_id is None:
        return 0, 0, 0
    if connection.vendor != "postgresql":
        # The embedded demo's SQLite has no date arithmetic of this form:
        # the same rule through the ORM, one semi-join per frequency.
        people = _in_post(user)
        active = SupervisionAssignment.objects.filter(ended_on__isnull=True)
        overdue_people = active.filter(overdue_condition(today=today)).values("person_id")
        figures = people.aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(pk__in=overdue_people)),
            unassigned=Count("pk", filter=~Q(pk__in=active.values("person_id"))),
        )
        return figures["total"], figures["overdue"], figures["unassigned"]
    # Prepared once per connection: planning it cost about as much as
    # running it. Counted again only once a table it reads has changed.
    params = {
        # Sessions before the longest frequency's cut-off keep no one from
        # being overdue.
        "since": today - timedelta(days=max(Frequency.values)),
        "today": today,
        "programme": user.programme_id,
        "in_post": str(Appointment.Status.IN_POST),
    }
    ((total, overdue, unassigned),) = read_unless_changed(
        "supervision_overview_figures",
        (user.programme_id, today),
        lambda: fetch_prepared_named(sql=_OVERVIEW_FIGURES, params=params),
    )
    return total, overdue, unassigned


def _posts_in_post(*, user: User, people: list[int]) -> Any:
    """(person, post title, service) of each of these people's posts held
    now, in the user's programme, earliest appointment first: only the two
    names the overview shows (one query)."""
    return (
        scoped(Appointment.objects.all(), user)
        .filter(person_id__in=people, status=Appointment.Status.IN_POST)
        .order_by("pk")
        .values_list("person_id", "post__job_title", "post__service__name")
    )


_FIELDS = (
    "pk",
    "first_name",
    "preferred_name",
    "last_name",
    "frequency_days",
    "started_on",
    "supervisor_name",
    "cover_name",
    "last_session_on",
    "plan_review_due",
    "job_title",
    "service",
)


def _row(values: dict[str, Any], *, today: date) -> SuperviseeRow:
    person = ListedPeerWorker(
        values["pk"], values["first_name"], values["preferred_name"], values["last_name"]
    )
    post = (values["job_title"], values["service"]) if values["job_title"] is not None else None
    if values["frequency_days"] is None:
        return SuperviseeRow(
            person=person,  # type: ignore[arg-type]
            assignment=None,
            appointment=None,
            post=post,
            last_session_on=None,
            next_due_on=None,
            overdue=False,
            plan_review_due=values["plan_review_due"],
        )
    supervision = ListedSupervision(
        frequency_days=values["frequency_days"],
        started_on=values["started_on"],
        last_session_on=values["last_session_on"],
    )
    return SuperviseeRow(
        person=person,  # type: ignore[arg-type]
        assignment=supervision,  # type: ignore[arg-type]
        appointment=None,
        post=post,
        last_session_on=supervision.last_session_on,
        next_due_on=next_due_on(assignment=supervision),  # type: ignore[arg-type]
        overdue=is_overdue(assignment=supervision, today=today),  # type: ignore[arg-type]
        plan_review_due=values["plan_review_due"],
        supervisor_names=(values["supervisor_name"], values["cover_name"]),
    )


def _rows_through_orm(people: QuerySet[Person], *, user: User, offset: int) -> list[dict[str, Any]]:
    rows = list(
        people.annotate(
            current=FilteredRelation(
                "supervision_assignments",
                condition=Q(supervision_assignments__ended_on__isnull=True),
            ),
            frequency_days=F("current__frequency_days"),
            started_on=F("current__started_on"),
            supervisor_name=F("current__supervisor__full_name"),
            cover_name=F("current__cover_supervisor__full_name"),
            last_session_on=_last_attended(),
            plan_review_due=F("wellbeing_plan__review_due"),
        )
        .order_by("last_name", "first_name", "pk")
        .values(*_FIELDS[:10])[offset : offset + OVERVIEW_PAGE_SIZE]
    )
    posts: dict[int, tuple[str, str]] = {}
    if rows:
        for person_id, title, service in _posts_in_post(user=user, people=[r["pk"] for r in rows]):
            posts.setdefault(person_id, (title, service))
    for row in rows:
        row["job_title"], row["service"] = posts.get(row["pk"], (None, None))
    return rows


# A page of the peer workers in post with what the overview shows of each:
# the page is picked by surname over the names alone, and the supervision,
# supervisors' names, last session, plan review and first post held now
# (earliest appointment) are read for its 50 people only.
_PAGE = """
WITH listed AS (
    SELECT p.id, p.first_name, p.preferred_name, p.last_name
    FROM core_person p
    WHERE p.programme_id = %(programme)s
    AND p.id = ANY(ARRAY(SELECT person_id FROM deployment_appointment WHERE status = %(in_post)s))
    {condition}
    ORDER BY p.last_name, p.first_name, p.id
    LIMIT %(size)s OFFSET %(offset)s
)
SELECT l.id, l.first_name, l.preferred_name, l.last_name,
    sa.frequency_days, sa.started_on, su.full_name, cu.full_name,
    (
        SELECT MAX(s.held_on) FROM supervision_supervisionattendance a
        INNER JOIN supervision_supervisionsession s ON s.id = a.session_id
        WHERE a.person_id = l.id
    ),
    w.review_due, post.job_title, post.service
FROM listed l
LEFT OUTER JOIN supervision_supervisionassignment sa ON sa.person_id = l.id AND sa.ended_on IS NULL
LEFT OUTER JOIN core_user su ON su.id = sa.supervisor_id
LEFT OUTER JOIN core_user cu ON cu.id = sa.cover_supervisor_id
LEFT OUTER JOIN supervision_wellbeingplan w ON w.person_id = l.id
LEFT OUTER JOIN LATERAL (
    SELECT po.job_title, sv.name AS service
    FROM deployment_appointment ap
    INNER JOIN deployment_post po ON po.id = ap.post_id
    INNER JOIN core_service sv ON sv.id = po.service_id
    WHERE ap.person_id = l.id AND ap.programme_id = %(programme)s AND ap.status = %(in_post)s
    ORDER BY ap.id
    LIMIT 1
) post ON TRUE
ORDER BY l.last_name, l.first_name, l.id
"""
# Only those overdue (``overdue_condition``): no session attended within
# their frequency, and, when there has been none, their frequency gone since
# the start.
_OVERDUE = """
    AND EXISTS (
        SELECT 1 FROM supervision_supervisionassignment sa
        WHERE sa.person_id = p.id AND sa.ended_on IS NULL
        AND NOT EXISTS (
            SELECT 1 FROM supervision_supervisionattendance a
            INNER JOIN supervision_supervisionsession s ON s.id = a.session_id
            WHERE a.person_id = p.id AND s.held_on >= %(today)s::date - sa.frequency_days
        )
        AND (
            sa.started_on < %(today)s::date - sa.frequency_days
            OR EXISTS (SELECT 1 FROM supervision_supervisionattendance x WHERE x.person_id = p.id)
        )
    )"""
_PAGE_EVERYONE = _PAGE.format(condition="")
_PAGE_OVERDUE = _PAGE.format(condition=_OVERDUE)


def _rows_in_one_statement(
    *, user: User, offset: int, only_overdue: bool, today: date
) -> list[dict[str, Any]]:
    # Prepared once per connection (one statement each for everyone and for
    # those overdue): planning it cost more than running it for 50 rows.
    # Read again only once a table it reads has changed.
    params = {
        "programme": user.programme_id,
        "today": today,
        "in_post": str(Appointment.Status.IN_POST),
        "size": OVERVIEW_PAGE_SIZE,
        "offset": offset,
    }
    found = read_unless_changed(
        "supervision_overview_page",
        (user.programme_id, today, offset, only_overdue),
        lambda: fetch_prepared_named(
            sql=_PAGE_OVERDUE if only_overdue else _PAGE_EVERYONE, params=params
        ),
    )
    return [dict(zip(_FIELDS, values, strict=True)) for values in found]


def supervision_overview(
    *, user: User, page: Any = None, only_overdue: bool = False, today: date | None = None
) -> SupervisionOverview:
    """One page of the peer workers in post (or only those overdue) with
    their supervisor, last session and whether supervision is overdue, and
    the figures for everyone in post, counted by the database. The same
    number of queries whatever the number of people."""
    require_role(user, LEAD)
    today = today or timezone.localdate()
    total, overdue, unassigned = overview_figures(user=user, today=today)
    in_one_statement = listed.in_one_statement()
    # The list as a queryset only for the ORM's reading of it; the single
    # statement needs none built.
    people: Any = ()
    if not in_one_statement:
        people = _in_post(user)
        if only_overdue:
            active = SupervisionAssignment.objects.filter(ended_on__isnull=True)
            overdue_people = active.filter(overdue_condition(today=today)).values("person_id")
            people = people.filter(pk__in=overdue_people)
    paginator = Paginator(people, OVERVIEW_PAGE_SIZE)
    # The count is known already: the paginator need not ask again.
    paginator.count = overdue if only_overdue else total
    shown = paginator.get_page(page)
    offset = (shown.number - 1) * OVERVIEW_PAGE_SIZE
    values: list[dict[str, Any]] = []
    if paginator.count and user.programme_id is not None:
        if in_one_statement:
            values = _rows_in_one_statement(
                user=user, offset=offset, only_overdue=only_overdue, today=today
            )
        else:
            values = _rows_through_orm(people, user=user, offset=offset)
    rows = [_row(v, today=today) for v in values]
    shown.object_list = rows
    return SupervisionOverview(
        page=shown, rows=rows, total=total, overdue=overdue, unassigned=unassigned
    )
