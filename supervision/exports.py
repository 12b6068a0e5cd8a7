"""Supervision's exports: the programme's mentors, and mentor meetings (of
the programme or one cohort).

Meeting notes are private to the mentor and the programme's leads: only
leads get them in a file (admins export the meetings without notes).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import QueryDict

from peerprog.core import exports
from peerprog.core.access import has_role, require_role, scoped
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import Person, Role, User
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


# The meetings export is the programme's longest list (28,000 rows on the
# largest scale data): its rows are read as plain values, in one query,
# rather than as six model instances each.
MEETING_VALUES = {
    "cohort": F("assignment__enrolment__cohort__name"),
    "first_name": F("assignment__enrolment__person__first_name"),
    "preferred_name": F("assignment__enrolment__person__preferred_name"),
    "last_name": F("assignment__enrolment__person__last_name"),
    "mentor": F("assignment__mentor__full_name"),
}
MEETING_FIELDS = ("held_on", "kind", "mode", "minutes", "next_meeting_on")
KINDS = dict(MentorMeeting.Kind.choices)
MODES = dict(MentorMeeting.Mode.choices)


def meeting_rows(user: User, params: QueryDict) -> QuerySet[MentorMeeting, dict[str, Any]]:
    """The programme's mentor meetings as values; the notes only for those
    who may read them."""
    require_role(user, *EXPORTERS)
    meetings = scoped(MentorMeeting.objects.all(), user, "assignment__enrolment__cohort__programme")
    cohort_id = cohort_param(params)
    if cohort_id is not None:
        meetings = meetings.filter(assignment__enrolment__cohort_id=cohort_id)
    fields = (*MEETING_FIELDS, "notes") if may_read_meeting_notes(user) else MEETING_FIELDS
    return meetings.order_by(
        "assignment__enrolment__cohort__name",
        "assignment__enrolment__person__last_name",
        "held_on",
        "pk",
    ).values(*fields, **MEETING_VALUES)


def _trainee(meeting: dict[str, Any]) -> str:
    return Person.name_shown(meeting["first_name"], meeting["preferred_name"], meeting["last_name"])


def _label(labels: dict[str, str], name: str) -> Callable[[dict[str, Any]], str]:
    def value(meeting: dict[str, Any]) -> str:
        code = meeting[name]
        return labels.get(code, code)

    return value


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
                Column("Cohort", itemgetter("cohort")),
                Column("Trainee", _trainee),
                Column("Mentor", itemgetter("mentor")),
                Column("Date", itemgetter("held_on")),
                Column("Kind", _label(KINDS, "kind")),
                Column("In person or remote", _label(MODES, "mode")),
                Column("Minutes", itemgetter("minutes")),
                Column("Next meeting", itemgetter("next_meeting_on")),
                Column("Notes", itemgetter("notes"), sensitive=True),
            ],
            rows=meeting_rows,
            url_name="supervision:meetings-export",
            sensitive_reader=may_read_meeting_notes,
            describe=describe_cohort,
        )
    )
