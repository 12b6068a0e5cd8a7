"""Reads for the supervision of employed peer workers, each scoped to the
user: leads see their programme; a supervisor only the peer workers they
supervise or cover now. Anything else is a 404.

The overdue rule lives here: a supervisee is overdue when no session they
attended falls within their agreed frequency (counted from the start of the
supervision when there has been none). It is written three times:
``is_overdue`` for an assignment already loaded with its last session (the
supervisor's page, which shows the due date), ``overdue_condition`` for
the database (the lead's overview list and the reminders, through
``supervision_overdue``), and ``overview._OVERVIEW_FIGURES`` for the overview's
programme-wide counts. Tests hold them to the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import F, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from deployment.models import Appointment
from deployment.selectors import appointment_list, appointments_for_people, line_managed_people
from peerprog.core.access import get_in_programme_or_404, has_role, require_role, scoped
from peerprog.core.models import Person, Role, User
from supervision.models import (
    DevelopmentSession,
    Frequency,
    SupervisionAssignment,
    SupervisionAttendance,
    SupervisionSession,
    WellbeingPlan,
)
from supervision.selectors import listed
from supervision.selectors.listed import ListedPeerWorker, ListedSupervision

LEAD = Role.PROGRAMME_LEAD
SUPERVISOR = Role.SUPERVISOR


# The overdue rule


def with_last_session(*, assignments: QuerySet[SupervisionAssignment]) -> QuerySet:
    """Assignments annotated with ``last_session_on``: the latest session
    the supervisee attended, whoever led it (a cover supervisor, say)."""
    latest = (
        SupervisionAttendance.objects.filter(person=OuterRef("person_id"))
        .order_by()
        .values("person")
        .annotate(d=Max("session__held_on"))
        .values("d")
    )
    return assignments.annotate(last_session_on=Subquery(latest))


def next_due_on(*, assignment: SupervisionAssignment) -> date:
    """When the next session is due, from ``with_last_session``."""
    since = getattr(assignment, "last_session_on", None) or assignment.started_on
    return since + timedelta(days=assignment.frequency_days)


def due_before_entered(*, assignment: SupervisionAssignment) -> bool:
    """Was the first session already due when the supervision was entered
    (a supervision recorded long after it started, with no session since)?
    Such a past due date reminds nobody; the lists still show it overdue."""
    if getattr(assignment, "last_session_on", None) is not None:
        return False
    return next_due_on(assignment=assignment) < timezone.localdate(assignment.assigned_at)


def is_overdue(*, assignment: SupervisionAssignment, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return assignment.is_active and next_due_on(assignment=assignment) < today


def supervision_overdue(
    *, assignments: QuerySet[SupervisionAssignment], today: date | None = None
) -> QuerySet[SupervisionAssignment]:
    """The active assignments (of those given) whose supervisee has had no
    session within the agreed frequency on ``today``: for the lists and the
    reminders. One query, however many assignments: the condition is the
    database's."""
    today = today or timezone.localdate()
    return assignments.filter(ended_on__isnull=True).filter(overdue_condition(today=today))


# Scope


def is_lead(*, user: User) -> bool:
    return has_role(user, LEAD)


def _mine(user: User) -> Q:
    return Q(supervisor=user) | Q(cover_supervisor=user)


def supervisee_for_user(*, user: User, pk: Any) -> Person:
    """A peer worker for their supervision page: any of the programme for a
    lead; for a supervisor only someone they supervise or cover now."""
    require_role(user, LEAD, SUPERVISOR)
    people = Person.objects.all()
    if not is_lead(user=user):
        mine = SupervisionAssignment.objects.filter(_mine(user), ended_on__isnull=True)
        people = people.filter(pk__in=mine.values("person_id"))
    return get_in_programme_or_404(people, user, pk)


def own_supervisees(*, user: User) -> QuerySet[Person]:
    """The people the user supervises or covers now, in their programme."""
    mine = SupervisionAssignment.objects.filter(_mine(user), ended_on__isnull=True)
    return scoped(Person.objects.filter(pk__in=mine.values("person_id")), user).order_by(
        "last_name", "first_name", "pk"
    )


def supervisors_in_programme(*, user: User) -> QuerySet[User]:
    return scoped(
        User.objects.filter(groups__name=SUPERVISOR, is_active=True, is_system=False), user
    ).order_by("full_name", "pk")


def active_supervision(*, person: Person) -> SupervisionAssignment | None:
    return (
        with_last_session(
            assignments=SupervisionAssignment.objects.filter(person=person, ended_on=None)
        )
        .select_related("supervisor", "cover_supervisor")
        .first()
    )


def supervision_history(*, person: Person) -> list[SupervisionAssignment]:
    return list(
        SupervisionAssignment.objects.filter(person=person)
        .select_related("supervisor", "cover_supervisor", "assigned_by")
        .order_by("-started_on", "-pk")
    )


def supervision_assignment_for_lead(*, user: User, pk: Any) -> SupervisionAssignment:
    require_role(user, LEAD)
    return get_in_programme_or_404(
        SupervisionAssignment.objects.select_related("person", "supervisor"),
        user,
        pk,
        field="person__programme",
    )


def session_for_supervisor(*, user: User, pk: Any) -> SupervisionSession:
    """A session the signed-in supervisor led; 404 for anyone else's."""
    require_role(user, SUPERVISOR)
    try:
        return SupervisionSession.objects.prefetch_related("attendees").get(
            pk=pk, led_by=user, programme_id=user.programme_id
        )
    except (SupervisionSession.DoesNotExist, ValueError, TypeError):
        raise Http404("No such supervision session of yours.") from None


def sessions_led_by(*, user: User) -> QuerySet[SupervisionSession]:
    """The supervision sessions the user led in their programme: the day
    and the kind only (never the notes), for their calendar feed."""
    return (
        SupervisionSession.objects.filter(led_by=user, programme_id=user.programme_id)
        .only("pk", "kind", "held_on")
        .order_by("held_on", "pk")
    )


# Employment, from deployment


def appointments_by_person(*, user: User, people: list[int]) -> dict[int, Any]:
    """Each person's current appointment, read through deployment's own
    selector (one query)."""
    result: dict[int, Any] = {}
    for appointment in appointments_for_people(user=user, people=people):
        result.setdefault(appointment.person_id, appointment)
    return result


def employed_people(*, user: User) -> list[Any]:
    """The programme's peer workers in post, with their appointment: the
    people supervision is for (one query, through deployment)."""
    return list(appointment_list(user=user, status=Appointment.Status.IN_POST))


def is_employed(*, user: User, person: Person) -> bool:
    return any(
        a.status == Appointment.Status.IN_POST
        for a in appointments_by_person(user=user, people=[person.pk]).values()
    )


def in_post_since(*, user: User, person: Person) -> date | None:
    """The first day of the person's current run in post: the start of
    their current appointment, or of the first appointment they transferred
    from. None when no start date is known."""
    current = next(iter(appointments_by_person(user=user, people=[person.pk]).values()), None)
    since = current.start_date if current is not None else None
    earlier_id = current.transferred_from_id if current is not None else None
    while earlier_id is not None:
        earlier = (
            Appointment.objects.filter(pk=earlier_id)
            .values("start_date", "transferred_from_id")
            .first()
        )
        if earlier is None:
            break
        since = earlier["start_date"] or since
        earlier_id = earlier["transferred_from_id"]
    return since


def line_manager_warning(*, user: User, supervisor: User, person: Person) -> list[str]:
    if line_managed_people(user=user, manager=supervisor).filter(pk=person.pk).exists():
        return [
            f"{supervisor.full_name} is {person.display_name}'s line manager. Supervision is "
            "kept apart from line management: choose someone else unless there is no one."
        ]
    return []


# Pages


@dataclass
class SuperviseeRow:
    person: Person
    assignment: SupervisionAssignment | None
    appointment: Any
    last_session_on: date | None
    next_due_on: date | None
    overdue: bool
    is_cover: bool = False
    plan_review_due: date | None = None
    # The title and service of the post and the line manager's name, where
    # read as values rather than with the appointment (the overview and the
    # supervisor's page).
    post: tuple[str, str] | None = None
    line_manager: str = ""
    # The supervisor's and the cover supervisor's names (``None`` for no
    # cover), where read without their accounts (the overview).
    supervisor_names: tuple[str, str | None] | None = None


def my_supervisees(*, user: User, today: date | None = None) -> list[SuperviseeRow]:
    """The peer workers this supervisor supervises or covers now, each with
    their appointment (from deployment), last session, when the next is due
    and when their plan is due for review. One statement on PostgreSQL, two
    queries elsewhere, whatever their number: the appointments are read as
    the names shown."""
    require_role(user, SUPERVISOR)
    today = today or timezone.localdate()
    if listed.in_one_statement():
        return _my_supervisees_in_one_statement(user=user, today=today)
    return _my_supervisees_through_orm(user=user, today=today)


# The supervisor's supervisees now, each with their supervisors' names, last
# session, plan review and current appointment (offered or in post, the
# earliest first) as the names the cards show: one statement, read as values.
_MY_SUPERVISEES = """
SELECT p.id, p.first_name, p.preferred_name, p.last_name,
    sa.id, sa.supervisor_id, sa.frequency_days, sa.started_on, su.full_name, cu.full_name,
    (
        SELECT MAX(s.held_on) FROM supervision_supervisionattendance a
        INNER JOIN supervision_supervisionsession s ON s.id = a.session_id
        WHERE a.person_id = p.id
    ),
    w.review_due, post.job_title, post.service, post.line_manager
FROM supervision_supervisionassignment sa
INNER JOIN core_person p ON p.id = sa.person_id
INNER JOIN core_user su ON su.id = sa.supervisor_id
LEFT OUTER JOIN core_user cu ON cu.id = sa.cover_supervisor_id
LEFT OUTER JOIN supervision_wellbeingplan w ON w.person_id = p.id
LEFT OUTER JOIN LATERAL (
    SELECT po.job_title, sv.name AS service, lm.full_name AS line_manager
    FROM deployment_appointment ap
    INNER JOIN deployment_post po ON po.id = ap.post_id
    INNER JOIN core_service sv ON sv.id = po.service_id
    LEFT OUTER JOIN core_user lm ON lm.id = ap.line_manager_id
    WHERE ap.person_id = p.id AND ap.programme_id = %(programme)s AND ap.status IN %(active)s
    ORDER BY ap.id
    LIMIT 1
) post ON TRUE
WHERE (sa.supervisor_id = %(user)s OR sa.cover_supervisor_id = %(user)s)
AND sa.ended_on IS NULL AND p.programme_id = %(programme)s
ORDER BY p.last_name, p.first_name, sa.id
"""


def _my_supervisees_in_one_statement(*, user: User, today: date) -> list[SuperviseeRow]:
    if user.programme_id is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _MY_SUPERVISEES,
            {
                "user": user.pk,
                "programme": user.programme_id,
                "active": tuple(str(status) for status in Appointment.ACTIVE),
            },
        )
        found = cursor.fetchall()
    rows = []
    for (
        person_id,
        first_name,
        preferred_name,
        last_name,
        assignment_id,
        supervisor_id,
        frequency_days,
        started_on,
        supervisor_name,
        cover_name,
        last_session_on,
        review_due,
        job_title,
        service,
        line_manager,
    ) in found:
        supervision = ListedSupervision(
            frequency_days=frequency_days,
            started_on=started_on,
            last_session_on=last_session_on,
            pk=assignment_id,
        )
        rows.append(
            SuperviseeRow(
                person=ListedPeerWorker(person_id, first_name, preferred_name, last_name),  # type: ignore[arg-type]
                assignment=supervision,  # type: ignore[arg-type]
                appointment=None,
                post=(job_title, service) if job_title is not None else None,
                line_manager=line_manager or "",
                last_session_on=last_session_on,
                next_due_on=next_due_on(assignment=supervision),  # type: ignore[arg-type]
                overdue=is_overdue(assignment=supervision, today=today),  # type: ignore[arg-type]
                is_cover=supervisor_id != user.pk,
                plan_review_due=review_due,
                supervisor_names=(supervisor_name, cover_name),
            )
        )
    return rows


def _my_supervisees_through_orm(*, user: User, today: date) -> list[SuperviseeRow]:
    assignments = list(
        with_last_session(
            assignments=SupervisionAssignment.objects.filter(
                _mine(user), ended_on__isnull=True, person__programme_id=user.programme_id
            )
        )
        .annotate(plan_review_due=F("person__wellbeing_plan__review_due"))
        .select_related("person", "supervisor", "cover_supervisor")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    ids = [a.person_id for a in assignments]
    posts: dict[int, tuple[str, str, str]] = {}
    if ids:
        # Each one's current appointment (offered or in post, the earliest
        # first), as deployment keeps it: only the three names the cards show.
        for person_id, *names in (
            scoped(Appointment.objects.all(), user)
            .filter(person_id__in=ids, status__in=Appointment.ACTIVE)
            .order_by("pk")
            .values_list(
                "person_id", "post__job_title", "post__service__name", "line_manager__full_name"
            )
        ):
            posts.setdefault(person_id, tuple(names))  # type: ignore[arg-type]
    return [
        SuperviseeRow(
            person=a.person,
            assignment=a,
            appointment=None,
            post=posts[a.person_id][:2] if a.person_id in posts else None,
            line_manager=posts[a.person_id][2] or "" if a.person_id in posts else "",
            last_session_on=a.last_session_on,
            next_due_on=next_due_on(assignment=a),
            overdue=is_overdue(assignment=a, today=today),
            is_cover=a.supervisor_id != user.pk,
            plan_review_due=a.plan_review_due,
        )
        for a in assignments
    ]


def overdue_condition(*, today: date) -> Q:
    """``is_overdue`` as a condition on active assignments, for counting and
    filtering in the database: no attended session within the agreed
    frequency, and, when there has been none, the frequency gone since the
    start. One semi-join per frequency, never a subquery per row."""
    attended = SupervisionAttendance.objects.order_by().values("person_id")
    condition = Q(pk__in=[])
    for days in Frequency.values:
        cutoff = today - timedelta(days=days)
        recent = attended.filter(session__held_on__gte=cutoff)
        condition |= (
            Q(frequency_days=days)
            & ~Q(person_id__in=recent)
            & (Q(person_id__in=attended) | Q(started_on__lt=cutoff))
        )
    return condition


@dataclass
class SuperviseePage:
    person: Person
    assignment: SupervisionAssignment | None
    appointment: Any
    sessions: list[SupervisionSession]
    history: list[SupervisionAssignment]
    plan: WellbeingPlan | None
    development: list[DevelopmentSession]
    overdue: bool
    next_due_on: date | None


def supervisee_page(*, user: User, person: Person, today: date | None = None) -> SuperviseePage:
    """A peer worker's supervision record. Session notes are read by the
    leads and the supervisor who led the session; the wellbeing plan itself
    is on its own page, where each read is logged."""
    today = today or timezone.localdate()
    assignment = active_supervision(person=person)
    sessions = list(
        SupervisionSession.objects.filter(attendance__person=person)
        .select_related("led_by")
        .prefetch_related("attendees")
        .order_by("-held_on", "-pk")
    )
    lead = is_lead(user=user)
    for session in sessions:
        session.notes_visible = lead or session.led_by_id == user.pk
        session.editable = session.led_by_id == user.pk
    return SuperviseePage(
        person=person,
        assignment=assignment,
        appointment=appointments_by_person(user=user, people=[person.pk]).get(person.pk),
        sessions=sessions,
        history=supervision_history(person=person) if lead else [],
        plan=WellbeingPlan.objects.filter(person=person).first(),
        development=list(
            DevelopmentSession.objects.filter(attendees=person).select_related("led_by")
        ),
        overdue=is_overdue(assignment=assignment, today=today) if assignment else False,
        next_due_on=next_due_on(assignment=assignment) if assignment else None,
    )
