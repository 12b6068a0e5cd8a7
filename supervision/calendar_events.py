"""What supervision puts in a trainee's calendar feed (``peerprog.core.
calendar_feed``): the next mentor meeting their mentor planned, as an
all-day event with no name and no notes (the mentor sets only its day)."""

from __future__ import annotations

from peerprog.core.calendar_feed import CalendarEvent, register_source
from peerprog.core.models import Person
from supervision.selectors.trainee_meetings import planned_meetings_for_person


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
