"""Supervision's part of a subject access request: a person's mentors and
mentor meetings, supervisors, supervision sessions, wellbeing plan and who
read it, and the development sessions they led or came to. Mentors' and
supervisors' private notes are kinds of their own
(``mentor_meeting_notes``, ``supervision_notes``), which a person's own
download leaves out (``SUBJECT_ACCESS_EXEMPT_KINDS``). For a staff user:
their mentor profile, the trainees they mentor, the people they supervise,
the sessions they led and the wellbeing plans they read."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from peerprog.core.privacy.subject_access import Archive
from peerprog.core.privacy.subject_access import register as register_contribution

MODELS = (
    "supervision.MentorProfile",
    "supervision.MentorAssignment",
    "supervision.MentorMeeting",
    "supervision.SupervisionAssignment",
    "supervision.SupervisionSession",
    "supervision.SupervisionAttendance",
    "supervision.WellbeingPlan",
    "supervision.DevelopmentSession",
)


def person_records(archive: Archive, person: Any) -> None:
    from supervision.models import (
        DevelopmentSession,
        MentorAssignment,
        MentorMeeting,
        SupervisionAssignment,
        SupervisionAttendance,
        SupervisionSession,
        WellbeingPlan,
    )

    assignments = archive.add(
        "mentor_assignments", MentorAssignment.objects.filter(enrolment__person_id=person.pk)
    )
    archive.add(
        "mentor_meetings",
        MentorMeeting.objects.filter(assignment_id__in=assignments),
        private={"notes": "mentor_meeting_notes"},
    )
    archive.add(
        "supervision_assignments", SupervisionAssignment.objects.filter(person_id=person.pk)
    )
    archive.add("supervision_attendance", SupervisionAttendance.objects.filter(person_id=person.pk))
    archive.add(
        "supervision_sessions",
        SupervisionSession.objects.filter(attendance__person_id=person.pk).distinct(),
        private={"notes": "supervision_notes"},
    )
    archive.add("wellbeing_plans", WellbeingPlan.objects.filter(person_id=person.pk))
    archive.add(
        "development_sessions",
        DevelopmentSession.objects.filter(
            Q(led_by_id=person.pk) | Q(attendees__id=person.pk)
        ).distinct(),
    )


def user_records(archive: Archive, user: Any) -> None:
    from supervision.models import (
        MentorAssignment,
        MentorProfile,
        SupervisionAssignment,
        SupervisionSession,
    )

    archive.add("mentor_profile", MentorProfile.objects.filter(user_id=user.pk))
    archive.add(
        "trainees_mentored", MentorAssignment.objects.filter(mentor_id=user.pk), history=False
    )
    archive.add(
        "people_supervised",
        SupervisionAssignment.objects.filter(
            Q(supervisor_id=user.pk) | Q(cover_supervisor_id=user.pk)
        ),
        history=False,
    )
    archive.add(
        "supervision_sessions_led",
        SupervisionSession.objects.filter(led_by_id=user.pk),
        private={"notes": "supervision_notes"},
        history=False,
    )


def register() -> None:
    register_contribution("supervision", models=MODELS, person=person_records, user=user_records)
