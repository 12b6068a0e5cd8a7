"""What training puts in calendar feeds (``peerprog.core.calendar_feed``):
a person's feed holds the sessions of their course, a facilitator's feed
the sessions they facilitate; each with the session's title, time and place
only."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from peerprog.core.access import has_role
from peerprog.core.calendar_feed import CalendarEvent, register_source, register_staff_source
from peerprog.core.models import Person, Role, User
from training.models import CourseSession
from training.selectors.timetable import sessions_for_facilitator, sessions_for_person


def session_event(session: CourseSession) -> CalendarEvent:
    starts = timezone.make_aware(datetime.combine(session.date, session.starts_at))
    place = session.place or ("Online" if session.is_online else "")
    if session.is_online and session.place:
        place = f"{session.place} (online)"
    return CalendarEvent(
        uid=f"course-session-{session.pk}",
        title=session.title,
        starts=starts,
        ends=timezone.make_aware(session.ends_at),
        place=place,
        cancelled=session.is_cancelled,
    )


def course_sessions(person: Person) -> list[CalendarEvent]:
    return [session_event(s) for s in sessions_for_person(person=person)]


def facilitated_sessions(user: User) -> list[CalendarEvent]:
    if not has_role(user, Role.FACILITATOR):
        return []
    return [session_event(s) for s in sessions_for_facilitator(user=user)]


register_source(course_sessions)
register_staff_source(facilitated_sessions)
