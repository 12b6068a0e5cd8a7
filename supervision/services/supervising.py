"""Every write of the supervision of employed peer workers: assigning
supervisors, recording individual and group sessions, wellbeing plans and
the log of their reads, and continuing development sessions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from peerprog.core.access import has_role
from peerprog.core.models import Person, Programme, Role, User
from supervision.models import (
    DevelopmentSession,
    SupervisionAssignment,
    SupervisionAttendance,
    SupervisionSession,
)
from supervision.selectors.supervising import (
    in_post_since,
    is_employed,
    line_manager_warning,
    own_supervisees,
)
from supervision.selectors.wellbeing import employed_choices
from supervision.services.common import Refused, validated


class SupervisionRefused(Refused):
    """A supervision action that cannot go ahead, in plain words."""


class SupervisorWarnings(SupervisionRefused):
    def __init__(self, warnings: list[str]) -> None:
        super().__init__("Read the warnings below, then confirm if you still want this supervisor.")
        self.warnings = warnings


def _check_supervisor(user: User | None, programme_id: int, what: str) -> None:
    if user is None:
        return
    if (
        user.programme_id != programme_id
        or not user.is_active
        or not has_role(user, Role.SUPERVISOR)
    ):
        raise SupervisionRefused(f"Choose a {what} of this programme with the Supervisor role.")


# Assigning supervisors


@transaction.atomic
def supervision_assign(
    *,
    person: Person,
    supervisor: User,
    by: User,
    frequency_days: int,
    cover_supervisor: User | None = None,
    accept_warnings: bool = False,
    reason: str = "",
    on: date | None = None,
) -> SupervisionAssignment:
    """Give an employed peer worker a supervisor (and a cover supervisor)
    with an agreed frequency from ``on`` (today).

    Only a person in post can be supervised. A supervisor who is the
    person's line manager is warned about (supervision is kept apart from
    line management) and needs ``accept_warnings``. An existing supervision
    ends the same day with ``reason`` and stays as history; changing only
    the cover or the frequency does the same, so the history shows it.
    ``on`` is the day the supervision started: never in the future, never
    before the person started in post or the current supervision started,
    nor before a session the outgoing supervisor held under it.
    """
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise SupervisionRefused(
            "A supervision cannot start in the future: record it on the day it starts."
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.programme_id != by.programme_id:
        raise SupervisionRefused("Choose a peer worker of this programme.")
    if not is_employed(user=by, person=person):
        raise SupervisionRefused(
            f"{person.display_name} is not in a peer worker post: supervision is for "
            "employed peer workers."
        )
    since = in_post_since(user=by, person=person)
    if since is not None and on < since:
        raise SupervisionRefused(
            f"{person.display_name} started in post on {since:%-d %B %Y}: "
            "supervision cannot start before that."
        )
    _check_supervisor(supervisor, person.programme_id, "supervisor")
    _check_supervisor(cover_supervisor, person.programme_id, "cover supervisor")
    if cover_supervisor is not None and cover_supervisor.pk == supervisor.pk:
        raise SupervisionRefused("The cover supervisor must be someone else.")
    current = SupervisionAssignment.objects.filter(person=person, ended_on__isnull=True).first()
    if current is not None and (
        current.supervisor_id,
        current.cover_supervisor_id,
        current.frequency_days,
    ) == (supervisor.pk, cover_supervisor.pk if cover_supervisor else None, frequency_days):
        raise SupervisionRefused("Nothing has changed: this is the supervision already agreed.")
    warnings = line_manager_warning(user=by, supervisor=supervisor, person=person)
    if warnings and not accept_warnings:
        raise SupervisorWarnings(warnings)
    if current is not None:
        if on < current.started_on:
            raise SupervisionRefused(
                f"{current.supervisor.full_name} has supervised {person.display_name} since "
                f"{current.started_on:%-d %B %Y}: the new supervision cannot start before that."
            )
        staying = {supervisor.pk, cover_supervisor.pk if cover_supervisor else None}
        _check_no_session_after(current, on, staying=staying)
        current.ended_on = on
        current.end_reason = reason or "Supervision changed"
        validated(instance=current)
        current.save()
    assignment = SupervisionAssignment(
        person=person,
        supervisor=supervisor,
        cover_supervisor=cover_supervisor,
        frequency_days=frequency_days,
        started_on=on,
        assigned_by=by,
        warnings_accepted="\n".join(warnings),
    )
    validated(instance=assignment, validate_constraints=False)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as clash:
        raise SupervisionRefused(
            "Someone else has just changed this supervision. Look again before changing it."
        ) from clash
    return assignment


@transaction.atomic
def supervision_end(
    *, assignment: SupervisionAssignment, by: User, reason: str, on: date | None = None
) -> SupervisionAssignment:
    """End a supervision without a new one on ``on`` (today): never in the
    future, never before it started or before a session held under it.
    The assignment stays as history."""
    assignment = (
        SupervisionAssignment.objects.select_for_update(of=("self",))
        .select_related("supervisor", "cover_supervisor", "person")
        .get(pk=assignment.pk)
    )
    if assignment.ended_on is not None:
        raise SupervisionRefused("This supervision has already ended.")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise SupervisionRefused(
            "A supervision cannot end in the future: record it on the day it ends."
        )
    if on < assignment.started_on:
        raise SupervisionRefused(
            f"This supervision started on {assignment.started_on:%-d %B %Y}: "
            "it cannot end before that."
        )
    _check_no_session_after(assignment, on, staying=set())
    assignment.ended_on = on
    assignment.end_reason = reason
    validated(instance=assignment)
    assignment.save()
    return assignment


def _check_no_session_after(
    assignment: SupervisionAssignment, on: date, *, staying: set[int | None]
) -> None:
    """A supervision cannot end before a session its supervisor (or cover)
    held with the person under it: the session would fall outside it.
    Those in ``staying`` carry on supervising in the next assignment, so
    their later sessions fall inside that one."""
    leaders = {assignment.supervisor_id, assignment.cover_supervisor_id} - staying - {None}
    if not leaders:
        return
    last = (
        SupervisionSession.objects.filter(
            attendance__person_id=assignment.person_id,
            led_by_id__in=leaders,
            held_on__gt=on,
            held_on__gte=assignment.started_on,
        )
        .select_related("led_by")
        .order_by("-held_on")
        .first()
    )
    if last is not None:
        raise SupervisionRefused(
            f"{last.led_by.full_name} recorded a session with {assignment.person.display_name} "
            f"on {last.held_on:%-d %B %Y}: the supervision cannot end before that."
        )


# Sessions


def _check_inside_supervision(*, people: list[Person], by: User, held_on: date) -> None:
    """A session falls inside a supervision of each person that ``by``
    held (as supervisor or cover) on that day."""
    for person in people:
        theirs = SupervisionAssignment.objects.filter(person=person).filter(
            Q(supervisor=by) | Q(cover_supervisor=by)
        )
        if (
            theirs.filter(started_on__lte=held_on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=held_on))
            .exists()
        ):
            continue
        current = theirs.filter(ended_on__isnull=True).select_related("supervisor").first()
        if current is None:
            raise SupervisionRefused(
                "Record sessions only with peer workers you supervise or cover."
            )
        raise SupervisionRefused(
            f"{current.supervisor.full_name} has supervised {person.display_name} since "
            f"{current.started_on:%-d %B %Y}: a session with them cannot be before that."
        )


def _check_session(
    *,
    kind: str,
    attendees: list[Person],
    by: User,
    held_on: date,
    today: date,
    from_records: bool = False,
) -> None:
    """``from_records``: the session comes from the programme's records, so
    the supervision it fell in may have ended since; it must only have been
    ``by``'s on that day."""
    if held_on > today:
        raise SupervisionRefused("A session cannot be recorded before it happens.")
    if not attendees:
        raise SupervisionRefused("Choose who attended.")
    if kind == SupervisionSession.Kind.INDIVIDUAL and len(attendees) != 1:
        raise SupervisionRefused("An individual session is with one peer worker.")
    if kind == SupervisionSession.Kind.GROUP and len(attendees) < 2:
        raise SupervisionRefused("A group session is with two or more peer workers.")
    mine = set(own_supervisees(user=by).values_list("pk", flat=True))
    if not from_records and any(person.pk not in mine for person in attendees):
        raise SupervisionRefused("Record sessions only with peer workers you supervise or cover.")
    _check_inside_supervision(people=attendees, by=by, held_on=held_on)


def _leader(*, by: User, supervisor: User | None) -> User:
    """Who led the session: ``by``, or the ``supervisor`` a programme lead
    records it for."""
    if supervisor is None:
        return by
    if not has_role(by, Role.PROGRAMME_LEAD) or by.programme_id != supervisor.programme_id:
        raise SupervisionRefused(
            "Only a programme lead can record a session on a supervisor's behalf."
        )
    return supervisor


@transaction.atomic
def supervision_session_record(
    *,
    by: User,
    form_token: uuid.UUID,
    kind: str,
    attendees: Iterable[Person],
    held_on: date,
    minutes: int,
    keeping_well: bool = False,
    developing_role: bool = False,
    after_challenging_event: bool = False,
    notes: str = "",
    shared_summary: str = "",
    today: date | None = None,
    supervisor: User | None = None,
) -> tuple[SupervisionSession, bool]:
    """Record an individual or group session led ``by`` a supervisor with
    their own supervisees (or those they cover). The same form sent twice
    (``form_token``) records one session: the second call returns it and
    False. ``shared_summary`` is what the supervisor chooses to share with
    the peer worker(s), who read it on their own pages; the notes stay
    private.

    ``supervisor`` is given when a programme lead (``by``) records a
    session the supervisor led, from the programme's records: it must fall
    in a supervision the supervisor held on that day, which may have ended
    since."""
    today = today or timezone.localdate()
    leader = _leader(by=by, supervisor=supervisor)
    existing = SupervisionSession.objects.filter(form_token=form_token).first()
    if existing is not None:
        if existing.led_by_id != leader.pk:
            raise SupervisionRefused("This form has already been used. Open it again.")
        return existing, False
    people = list(attendees)
    _check_session(
        kind=kind,
        attendees=people,
        by=leader,
        held_on=held_on,
        today=today,
        from_records=supervisor is not None,
    )
    session = SupervisionSession(
        programme_id=leader.programme_id,
        kind=kind,
        held_on=held_on,
        minutes=minutes,
        keeping_well=keeping_well,
        developing_role=developing_role,
        after_challenging_event=after_challenging_event,
        notes=notes.strip(),
        shared_summary=shared_summary.strip(),
        led_by=leader,
        form_token=form_token,
    )
    validated(instance=session, validate_unique=False)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        return SupervisionSession.objects.get(form_token=form_token), False
    for person in people:
        attendance = SupervisionAttendance(session=session, person=person)
        attendance.save()
    return session, True


@transaction.atomic
def supervision_session_update(
    *,
    session: SupervisionSession,
    by: User,
    attendees: Iterable[Person],
    today: date | None = None,
    supervisor: User | None = None,
    **values: Any,
) -> SupervisionSession:
    """Correct a session: only the supervisor who led it, or a programme
    lead (``by``) correcting the programme's records on the ``supervisor``'s
    behalf."""
    today = today or timezone.localdate()
    leader = _leader(by=by, supervisor=supervisor)
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if session.led_by_id != leader.pk:
        raise SupervisionRefused("Only the supervisor who led the session can change it.")
    for name, value in values.items():
        setattr(session, name, value)
    people = list(attendees)
    _check_session(
        kind=session.kind,
        attendees=people,
        by=leader,
        held_on=session.held_on,
        today=today,
        from_records=supervisor is not None,
    )
    session.notes = session.notes.strip()
    session.shared_summary = session.shared_summary.strip()
    validated(instance=session)
    session.save()
    wanted = {p.pk for p in people}
    for attendance in SupervisionAttendance.objects.filter(session=session):
        if attendance.person_id not in wanted:
            attendance.delete()
    have = set(
        SupervisionAttendance.objects.filter(session=session).values_list("person_id", flat=True)
    )
    for person in people:
        if person.pk not in have:
            SupervisionAttendance(session=session, person=person).save()
    return session


# Continuing development


def _check_development(
    *, programme: Programme, by: User, attendees: list[Person], led_by: Person | None
) -> None:
    employed = set(employed_choices(user=by).values_list("pk", flat=True))
    if any(p.pk not in employed for p in attendees):
        raise SupervisionRefused("Attendees must be peer workers in post in this programme.")
    if led_by is not None and led_by.programme_id != programme.pk:
        raise SupervisionRefused("Choose a Lead LXP of this programme.")


@transaction.atomic
def development_session_save(
    *,
    by: User,
    attendees: Iterable[Person],
    session: DevelopmentSession | None = None,
    **values: Any,
) -> DevelopmentSession:
    """Record (or correct) a continuing development session and who came."""
    programme = by.programme
    people = list(attendees)
    if session is None:
        session = DevelopmentSession(programme=programme, recorded_by=by)
    else:
        session = DevelopmentSession.objects.select_for_update().get(pk=session.pk)
    for name, value in values.items():
        setattr(session, name, value)
    if session.held_on and session.held_on > timezone.localdate():
        raise SupervisionRefused("A session cannot be recorded before it happens.")
    _check_development(programme=programme, by=by, attendees=people, led_by=session.led_by)
    validated(instance=session)
    session.save()
    session.attendees.set(people)
    return session
