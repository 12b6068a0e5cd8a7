"""What training puts in a person's calendar feed (``peerprog.core.
calendar_feed``): the sessions of their course, with the session's title,
time and place only."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from peerprog.core.calendar_feed import CalendarEvent, register_source
from peerprog.core.models import Person
from training.models import CourseSession
from training.selectors.timetable import sessions_for_person


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


register_source(course_sessions)
