"""Supervision's exports: the programme's mentors, and mentor meetings (of
the programme or one cohort).

Meeting notes are private to the mentor and the programme's leads: only
leads get them in a file (admins export the meetings without notes).
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from peerprog.core import exports
from peerprog.core.access import has_role, require_role, scoped
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import Role, User
from recruitment.exports import cohort_param, describe_cohort
from supervision.models import MentorMeeting

MENTORS = "supervision.mentors"
MEETINGS = "supervision.meetings"
EXPORTERS = (Role.PROGRAMME_LEAD, Role.ADMIN)

_ACTIVE_LOAD = Count("mentor_assignments", filter=Q(mentor_assignments__ended_on__isnull=True))


def may_read_meeting_notes(user: User) -> bool:
    """Meeting notes: the mentor and the programme's leads, not HR or admins."""
    return has_role(user, Role.PROGRAMME_LEAD)


def mentor_rows(user: User, params: QueryDict) -> QuerySet[User]:
    require_role(user, *EXPORTERS)
    return (
        scoped(User.objects.filter(groups__name=Role.MENTOR, is_system=False), user)
        .select_related("mentor_profile", "mentor_profile__service")
        .annotate(load=_ACTIVE_LOAD)
        .order_by("-is_active", "full_name", "pk")
    )


def _profile(user: User) -> object | None:
    return getattr(user, "mentor_profile", None)


def _profile_value(name: str, display: bool = False) -> object:
    def value(user: User) -> object:
        profile = _profile(user)
        if profile is None:
            return ""
        if display:
            return getattr(profile, f"get_{name}_display")()
        return getattr(profile, name)

    return value


def meeting_rows(user: User, params: QueryDict) -> QuerySet[MentorMeeting]:
    require_role(user, *EXPORTERS)
    meetings = scoped(
        MentorMeeting.objects.all(), user, "assignment__enrolment__cohort__programme"
    ).select_related(
        "assignment__enrolment__person", "assignment__enrolment__cohort", "assignment__mentor"
    )
    cohort_id = cohort_param(params)
    if cohort_id is not None:
        meetings = meetings.filter(assignment__enrolment__cohort_id=cohort_id)
    return meetings.order_by(
        "assignment__enrolment__cohort__name",
        "assignment__enrolment__person__last_name",
        "held_on",
        "pk",
    )


def register() -> None:
    exports.register(
        ExportSpec(
            key=MENTORS,
            title="Mentors",
            roles=EXPORTERS,
            columns=[
                Column("Name", lambda u: u.full_name),
                Column("E-mail", lambda u: u.email),
                Column("Job title", lambda u: u.job_title),
                Column("Account in use", lambda u: u.is_active),
                Column("Background", _profile_value("background", display=True)),
                Column("Service", lambda u: getattr(_profile(u), "service", None) or ""),
                Column("Preparatory training on", _profile_value("preparatory_training_on")),
                Column("Support meeting on", _profile_value("support_meeting_on")),
                Column("Trainees at once", _profile_value("capacity")),
                Column("Taking trainees", _profile_value("is_active")),
                Column("Trainees now", lambda u: u.load),
            ],
            rows=mentor_rows,
            url_name="supervision:mentors-export",
        )
    )
    exports.register(
        ExportSpec(
            key=MEETINGS,
            title="Mentor meetings",
            roles=EXPORTERS,
            columns=[
                Column("Cohort", lambda m: m.assignment.enrolment.cohort.name),
                Column("Trainee", lambda m: m.assignment.enrolment.person.display_name),
                Column("Mentor", lambda m: m.assignment.mentor.full_name),
                Column("Date", lambda m: m.held_on),
                Column("Kind", lambda m: m.get_kind_display()),
                Column("In person or remote", lambda m: m.get_mode_display()),
                Column("Minutes", lambda m: m.minutes),
                Column("Next meeting", lambda m: m.next_meeting_on),
                Column("Notes", lambda m: m.notes, sensitive=True),
            ],
            rows=meeting_rows,
            url_name="supervision:meetings-export",
            sensitive_reader=may_read_meeting_notes,
            describe=describe_cohort,
        )
    )
