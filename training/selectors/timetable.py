"""A trainee's own reading of their course: the cohort's timetable with
their own mark in each session's register, and their sessions for their
calendar feed. Nobody else's marks, no facilitators' names, no reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from peerprog.core.models import Person, User
from training.models import Attendance, CourseSession, Enrolment


@dataclass
class TimetableRow:
    session: CourseSession
    mark: Attendance | None

    @property
    def starts(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.session.date, self.session.starts_at))


@dataclass
class MyTimetable:
    enrolment: Enrolment
    rows: list[TimetableRow]

    @property
    def attended(self) -> int:
        return sum(1 for r in self.rows if r.mark and r.mark.status in Attendance.ATTENDED)

    @property
    def recorded(self) -> int:
        return sum(1 for r in self.rows if r.mark is not None)


# What a trainee sees of a session: no facilitator, no reason it was cancelled.
SESSION_FIELDS = (
    "pk",
    "cohort",
    "title",
    "date",
    "starts_at",
    "minutes",
    "place",
    "is_online",
    "status",
)


def my_timetable(*, enrolment: Enrolment) -> MyTimetable:
    """The cohort's sessions in order, each with this trainee's mark (or
    none): two queries, whatever the number of sessions."""
    sessions = (
        CourseSession.objects.filter(cohort_id=enrolment.cohort_id)
        .only(*SESSION_FIELDS)
        .prefetch_related(
            Prefetch(
                "register",
                queryset=Attendance.objects.filter(enrolment=enrolment).only(
                    "pk", "session_id", "status"
                ),
                to_attr="my_marks",
            )
        )
        .order_by("date", "starts_at", "pk")
    )
    return MyTimetable(
        enrolment=enrolment,
        rows=[
            TimetableRow(session=s, mark=s.my_marks[0] if s.my_marks else None) for s in sessions
        ],
    )


def sessions_for_person(*, person: Person) -> list[CourseSession]:
    """The sessions of every course the person is on or has finished (not
    one they left), for their calendar feed: one query."""
    return list(
        CourseSession.objects.filter(
            cohort__enrolments__person=person,
            cohort__enrolments__status__in=(*Enrolment.OPEN, Enrolment.Status.COMPLETED),
        )
        .only(*SESSION_FIELDS)
        .distinct()
        .order_by("date", "starts_at", "pk")
    )


def sessions_for_facilitator(*, user: User) -> list[CourseSession]:
    """The sessions the user facilitates in their programme, cancelled ones
    included (a calendar shows them as cancelled), for their calendar feed:
    one query."""
    return list(
        CourseSession.objects.filter(facilitator=user, cohort__programme_id=user.programme_id)
        .only(*SESSION_FIELDS)
        .order_by("date", "starts_at", "pk")
    )
