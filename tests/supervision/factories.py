"""Factories for supervision's tests: mentors with profiles, assignments
made through the service (as the lead makes them), meetings logged."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

import factory
from django.utils import timezone

from peerprog.core.models import Person, Programme, Role, User
from supervision import services
from supervision.models import (
    MentorAssignment,
    MentorMeeting,
    MentorProfile,
    SupervisionAssignment,
    SupervisionSession,
    WellbeingPlan,
)
from tests.core.factories import UserFactory
from training.models import Enrolment


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile

    user = factory.SubFactory(UserFactory, roles=[Role.MENTOR])
    background = MentorProfile.Background.CLINICAL
    preparatory_training_on = date(2026, 1, 12)
    support_meeting_on = date(2026, 1, 19)
    capacity = 2


def mentor(programme: Programme, name: str = "", **profile: Any) -> User:
    """A member of staff with the Mentor role and a profile (trained, room
    for two trainees unless told otherwise)."""
    extra: dict[str, Any] = {"programme": programme, "roles": [Role.MENTOR]}
    if name:
        extra["full_name"] = name
    user = UserFactory(**extra)
    MentorProfileFactory(user=user, **profile)
    return user


def lead_of(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD], full_name="Priya Lead")


def assign(
    enrolment: Enrolment, to: User, by: User | None = None, on: date | None = None
) -> MentorAssignment:
    """Give the trainee this mentor as the lead would, accepting warnings.
    Unless told otherwise, a first mentor starts on the first day of the
    course (or today, for a course still to start), so meetings during the
    course fall inside it; a new mentor takes over today."""
    by = by or lead_of(enrolment.cohort.programme)
    if on is None and not enrolment.mentor_assignments.filter(ended_on__isnull=True).exists():
        on = min(enrolment.cohort.training_start, timezone.localdate())
    return services.mentor_assign(
        enrolment=enrolment, mentor=to, by=by, accept_warnings=True, on=on
    )


def log_meeting(
    enrolment: Enrolment, by: User, held_on: date, today: date | None = None, **values: Any
) -> MentorMeeting:
    values.setdefault("minutes", 45)
    meeting, _ = services.mentor_meeting_log(
        enrolment=enrolment,
        by=by,
        form_token=uuid.uuid4(),
        held_on=held_on,
        today=today or max(held_on, timezone.localdate()),
        **values,
    )
    return meeting


def leave(enrolment: Enrolment) -> Enrolment:
    """The trainee leaves the course (further study), through training."""
    from training import services as training_services
    from training.models import NonCompletionReason

    reasons = training_services.non_completion_reasons_ensure_defaults(
        programme=enrolment.cohort.programme
    )
    reason = next(
        r for r in reasons if r.category == NonCompletionReason.Category.LEFT_FURTHER_STUDY
    )
    return training_services.enrolment_close(
        enrolment=enrolment,
        reason=reason,
        ended_on=timezone.localdate(),
        by=lead_of(enrolment.cohort.programme),
    )


def course_day(enrolment: Enrolment, days: int) -> date:
    return enrolment.cohort.training_start + timedelta(days=days)


def supervision_object(world: Any, name: str) -> Any:
    """Supervision's objects for the access-rule table, built on first use:
    the ``mentor`` persona mentors Ada (training's enrolment) and has logged
    a meeting; in the other programme, a mentor of its own does the same."""
    from tests.training.factories import training_object

    if "supervision" not in world.objects:
        objects: dict[str, Any] = {}
        sides = [
            ("", world.programme, world.users["mentor"], world.users["lead"]),
            ("other_", world.other_programme, None, world.users["other_programme_lead"]),
        ]
        for prefix, programme, who, lead in sides:
            enrolment = training_object(world, f"{prefix}enrolment")
            if who is None:
                who = mentor(programme, "Otto Mentor")
            elif not MentorProfile.objects.filter(user=who).exists():
                MentorProfileFactory(user=who)
            assignment = assign(enrolment, who, by=lead)
            meeting = log_meeting(enrolment, who, held_on=enrolment.cohort.training_start)
            objects.update(
                {
                    f"{prefix}mentee": enrolment,
                    f"{prefix}mentor_user": who,
                    f"{prefix}mentor_assignment": assignment,
                    f"{prefix}mentor_meeting": meeting,
                    f"{prefix}mentoring_cohort": enrolment.cohort,
                }
            )
        world.objects["supervision"] = objects
    return world.objects["supervision"][name]


# Supervision of employed peer workers


def supervisor(programme: Programme, name: str = "") -> User:
    extra: dict[str, Any] = {"programme": programme, "roles": [Role.SUPERVISOR]}
    if name:
        extra["full_name"] = name
    return UserFactory(**extra)


def employed(programme: Programme, since: date | None = None, **person: Any) -> Person:
    """A peer worker in post (an appointment as deployment records it),
    since ``since`` (90 days ago unless told)."""
    from tests.core.factories import PersonFactory, ServiceFactory
    from tests.deployment.factories import AppointmentFactory, PeerPostFactory

    worker = PersonFactory(programme=programme, **person)
    AppointmentFactory(
        person=worker,
        post=PeerPostFactory(service=ServiceFactory(programme=programme), status="filled"),
        start_date=since or timezone.localdate() - timedelta(days=90),
    )
    return worker


def supervise(
    person: Person,
    who: User,
    by: User | None = None,
    on: date | None = None,
    frequency_days: int = 28,
    cover: User | None = None,
    entered_on: date | None = None,
) -> SupervisionAssignment:
    """Supervise the person as the lead would; ``entered_on`` is the day the
    lead entered it (today unless told: a test of an earlier day's
    reminders enters it on that day)."""
    by = by or lead_of(person.programme)
    assignment = services.supervision_assign(
        person=person,
        supervisor=who,
        cover_supervisor=cover,
        frequency_days=frequency_days,
        by=by,
        accept_warnings=True,
        on=on,
    )
    if entered_on is not None:
        moment = timezone.make_aware(datetime.combine(entered_on, time(12, 0)))
        SupervisionAssignment.objects.filter(pk=assignment.pk).update(assigned_at=moment)
        assignment.assigned_at = moment
    return assignment


def record_session(
    by: User, attendees: list[Person], held_on: date | None = None, **values: Any
) -> SupervisionSession:
    values.setdefault("minutes", 60)
    values.setdefault("keeping_well", True)
    values.setdefault("kind", "group" if len(attendees) > 1 else "individual")
    session, _ = services.supervision_session_record(
        by=by,
        form_token=uuid.uuid4(),
        attendees=attendees,
        held_on=held_on or timezone.localdate(),
        **values,
    )
    return session


def write_plan(person: Person, by: User) -> WellbeingPlan:
    today = timezone.localdate()
    return services.wellbeing_plan_save(
        person=person,
        by=by,
        keeping_well="A walk at lunchtime; time to write notes after busy shifts.",
        early_signs="Sleeping badly; skipping breaks.",
        what_helps="Ask me how I am; offer a quiet room.",
        contacts="My supervisor, then the peer worker coordinator.",
        agreed_on=today - timedelta(days=30),
        review_due=today + timedelta(days=60),
    )


def supervision_world(world: Any) -> Any:
    """The supervisor persona supervises the appointed peer worker of the
    shared world, with a session, a wellbeing plan and a development
    session; the other programme has the same of its own."""
    if "supervising" in world.objects:
        return world.objects["supervising"]
    objects: dict[str, Any] = {}
    sides = [
        ("", world.programme, world.users["supervisor"], world.users["lead"]),
        ("other_", world.other_programme, None, world.users["other_programme_lead"]),
    ]
    for prefix, programme, who, lead in sides:
        appointment = world.objects[f"{prefix}appointment"]
        person = appointment.person
        who = who or supervisor(programme, "Otto Supervisor")
        # Supervised since their first day in post, so sessions since then
        # fall inside the supervision.
        assignment = supervise(person, who, by=lead, on=appointment.start_date)
        session = record_session(who, [person])
        plan = write_plan(person, who)
        development = services.development_session_save(
            by=lead,
            attendees=[person],
            held_on=timezone.localdate(),
            topic="Sharing lived experience safely",
            minutes=120,
            led_by=None,
        )
        objects.update(
            {
                f"{prefix}supervisee": person,
                f"{prefix}supervision_assignment": assignment,
                f"{prefix}supervision_session": session,
                f"{prefix}wellbeing_plan": plan,
                f"{prefix}development_session": development,
            }
        )
    world.objects["supervising"] = objects
    return objects


def supervising_object(world: Any, name: str) -> Any:
    return supervision_world(world)[name]
