"""A trainee's own reading of their mentoring: who their mentor is and how
to reach them, the meetings (date, length, kind, their own note and
confirmation; never the mentor's notes), where they stand against the
cohort's minimum, and the next meeting their mentor planned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from peerprog.core.access import own_or_404
from peerprog.core.models import Person, User
from supervision.models import MentorMeeting
from supervision.selectors.compliance import MentoringState, with_mentoring
from training.models import Enrolment

# What a trainee may read of a meeting: never ``notes`` (the mentor's).
MEETING_FIELDS = (
    "pk",
    "assignment",
    "held_on",
    "minutes",
    "kind",
    "mode",
    "next_meeting_on",
    "trainee_note",
    "trainee_confirmed_at",
)


def _meetings() -> QuerySet[MentorMeeting]:
    return MentorMeeting.objects.only(*MEETING_FIELDS)


@dataclass
class MyMentoring:
    """A trainee's own mentoring page (``selfservice.mentoring_page``): their
    current mentor and meetings, never the mentor's notes."""

    enrolment: Enrolment
    mentor: User | None
    meetings: list[MentorMeeting]
    mentoring: MentoringState
    next_meeting_on: date | None


def meeting_for_trainee(*, user: User, pk: Any) -> MentorMeeting:
    """One of the account's own meetings (as the trainee); 404 for anyone
    else's."""
    return own_or_404(
        _meetings().select_related("assignment__enrolment"),
        user,
        pk,
        field="assignment__enrolment__person",
    )


def planned_meetings_for_person(*, person: Person) -> list[tuple[MentorMeeting, Enrolment]]:
    """For each open course of the person with a mentor now, the latest
    meeting if it plans a next one: one query."""
    latest: dict[int, MentorMeeting] = {}
    meetings = (
        _meetings()
        .filter(
            assignment__enrolment__person=person,
            assignment__enrolment__status__in=Enrolment.OPEN,
            assignment__ended_on__isnull=True,
        )
        .select_related("assignment__enrolment")
        .order_by("-held_on", "-pk")
    )
    for meeting in meetings:
        latest.setdefault(meeting.assignment.enrolment_id, meeting)
    return [(m, m.assignment.enrolment) for m in latest.values() if m.next_meeting_on is not None]


def next_meetings_soon(*, today: date, days: int) -> list[dict[str, Any]]:
    """Open enrolments whose mentor planned the next meeting within ``days``
    from ``today``, whose trainee has an account that can sign in: one
    query, whatever the number."""
    return list(
        with_mentoring(
            enrolments=Enrolment.objects.filter(
                status__in=Enrolment.OPEN,
                person__user__isnull=False,
                person__user__is_active=True,
                mentor_assignments__ended_on__isnull=True,
            )
        )
        .filter(next_meeting_on__gte=today, next_meeting_on__lte=today + timedelta(days=days))
        .order_by("pk")
        .values("pk", "next_meeting_on", "person__user_id")
    )


def planned_meetings_for_mentor(*, user: User) -> list[MentorMeeting]:
    """For each trainee the user mentors now on an open course, the latest
    meeting if it plans a next one, for the mentor's calendar feed: one
    query."""
    latest: dict[int, MentorMeeting] = {}
    meetings = (
        _meetings()
        .filter(
            assignment__mentor=user,
            assignment__ended_on__isnull=True,
            assignment__enrolment__status__in=Enrolment.OPEN,
            assignment__enrolment__cohort__programme_id=user.programme_id,
        )
        .select_related("assignment")
        .order_by("-held_on", "-pk")
    )
    for meeting in meetings:
        latest.setdefault(meeting.assignment.enrolment_id, meeting)
    return [m for m in latest.values() if m.next_meeting_on is not None]
