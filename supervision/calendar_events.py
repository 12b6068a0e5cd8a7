"""What supervision puts in calendar feeds (``peerprog.core.calendar_feed``):

* a trainee's feed: the next mentor meeting their mentor planned;
* a mentor's feed: the next meeting planned with each of their mentees;
* a supervisor's feed: the supervision sessions they led, and the day
  supervision next falls due for each person they supervise.

Each is an all-day event (only the day is recorded) with a title and no
name and no notes: a calendar app may show it to anyone who sees the
screen, and the address is read without signing in."""

from __future__ import annotations

from peerprog.core.access import has_role
from peerprog.core.calendar_feed import CalendarEvent, register_source, register_staff_source
from peerprog.core.models import Person, Role, User
from supervision.models import SupervisionSession
from supervision.selectors.supervising import my_supervisees, sessions_led_by
from supervision.selectors.trainee_meetings import (
    planned_meetings_for_mentor,
    planned_meetings_for_person,
)


def planned_mentor_meetings(person: Person) -> list[CalendarEvent]:
    # One event per planning meeting: a changed day updates the event; the
    # next meeting logged plans a new one, and this one leaves the feed.
    return [
        CalendarEvent(
            uid=f"mentor-meeting-planned-{meeting.pk}",
            title="Mentor meeting (planned)",
            starts=meeting.next_meeting_on,
        )
        for meeting, _ in planned_meetings_for_person(person=person)
        if meeting.next_meeting_on is not None
    ]


register_source(planned_mentor_meetings)


def mentor_planned_meetings(user: User) -> list[CalendarEvent]:
    if not has_role(user, Role.MENTOR):
        return []
    return [
        CalendarEvent(
            uid=f"mentor-meeting-planned-{meeting.pk}",
            title="Mentor meeting (planned)",
            starts=meeting.next_meeting_on,
        )
        for meeting in planned_meetings_for_mentor(user=user)
        if meeting.next_meeting_on is not None
    ]


def supervisor_sessions(user: User) -> list[CalendarEvent]:
    if not has_role(user, Role.SUPERVISOR):
        return []
    held = [
        CalendarEvent(
            uid=f"supervision-session-{session.pk}",
            title="Group supervision"
            if session.kind == SupervisionSession.Kind.GROUP
            else "Supervision session",
            starts=session.held_on,
        )
        for session in sessions_led_by(user=user)
    ]
    due = [
        CalendarEvent(
            uid=f"supervision-due-{row.assignment.pk}",
            title="Supervision due",
            starts=row.next_due_on,
        )
        for row in my_supervisees(user=user)
        if row.next_due_on is not None
    ]
    return held + due


register_staff_source(mentor_planned_meetings)
register_staff_source(supervisor_sessions)
