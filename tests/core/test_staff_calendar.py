"""Calendar feeds for staff: a facilitator's sessions, a mentor's planned
meetings, a supervisor's sessions. Each feed parses as iCalendar and holds
only that staff member's events, with a title, a time and a place: never a
name, never notes."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core import calendar_feed
from peerprog.core.models import Programme, Role, User
from supervision.models import MentorAssignment, MentorMeeting, SupervisionSession
from tests.core.factories import UserFactory
from tests.supervision.factories import employed, supervise
from tests.training.factories import CohortFactory, enrol
from training.models import CourseSession

pytestmark = pytest.mark.django_db

NOTE = "Talked about a hard week at home"


def _feed(user: User) -> icalendar.Calendar:
    client = Client()
    client.force_login(user)
    client.post(reverse("core:staff-calendar"))
    feed = calendar_feed.staff_feed_of(user=user)
    assert feed is not None
    response = Client().get(reverse("core:calendar-feed", kwargs={"token": feed.token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert NOTE not in body
    return icalendar.Calendar.from_ical(response.content)


def _events(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.walk("VEVENT"))


def _session(cohort, facilitator: User | None, title: str, day: date) -> CourseSession:
    return CourseSession.objects.create(
        cohort=cohort,
        title=title,
        date=day,
        starts_at="10:00",
        minutes=90,
        place="Room 4, Education Centre",
        facilitator=facilitator,
    )


def test_a_facilitators_feed_holds_their_sessions_with_time_and_place(
    programme: Programme,
) -> None:
    facilitator = UserFactory(programme=programme, roles=[Role.FACILITATOR])
    colleague = UserFactory(programme=programme, roles=[Role.FACILITATOR])
    cohort = CohortFactory(programme=programme)
    day = timezone.localdate() + timedelta(days=3)
    _session(cohort, facilitator, "Sharing your story safely", day)
    _session(cohort, colleague, "Boundaries", day)
    events = _events(_feed(facilitator))
    assert [str(e["SUMMARY"]) for e in events] == ["Sharing your story safely"]
    [event] = events
    assert str(event["LOCATION"]) == "Room 4, Education Centre"
    assert event.decoded("DTSTART").date() == day
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)


def test_a_mentors_feed_holds_their_planned_meetings_and_no_names_or_notes(
    programme: Programme,
) -> None:
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    mentor = UserFactory(programme=programme, roles=[Role.MENTOR])
    other_mentor = UserFactory(programme=programme, roles=[Role.MENTOR])
    cohort = CohortFactory(programme=programme)
    planned = timezone.localdate() + timedelta(days=5)
    for person_name, who in (("Hattie", mentor), ("Horace", other_mentor)):
        assignment = MentorAssignment.objects.create(
            enrolment=enrol(cohort, first_name=person_name, last_name="Featherstone"),
            mentor=who,
            started_on=cohort.training_start,
            assigned_by=lead,
        )
        MentorMeeting.objects.create(
            assignment=assignment,
            held_on=timezone.localdate() - timedelta(days=2),
            minutes=45,
            recorded_by=who,
            notes=NOTE,
            next_meeting_on=planned,
        )
    calendar = _feed(mentor)
    events = _events(calendar)
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == "Mentor meeting (planned)"
    assert events[0].decoded("DTSTART") == planned
    assert "Featherstone" not in calendar.to_ical().decode()


def test_a_supervisors_feed_holds_their_sessions_and_when_supervision_is_due(
    programme: Programme,
) -> None:
    supervisor = UserFactory(programme=programme, roles=[Role.SUPERVISOR])
    worker = employed(programme, first_name="Wren", last_name="Ashdown")
    supervise(worker, supervisor, frequency_days=28)
    held = timezone.localdate() - timedelta(days=3)
    session = SupervisionSession.objects.create(
        programme=programme,
        held_on=held,
        minutes=60,
        keeping_well=True,
        notes=NOTE,
        led_by=supervisor,
    )
    session.attendees.add(worker)
    calendar = _feed(supervisor)
    summaries = {str(e["SUMMARY"]): e for e in _events(calendar)}
    assert summaries["Supervision session"].decoded("DTSTART") == held
    assert summaries["Supervision due"].decoded("DTSTART") == held + timedelta(days=28)
    assert "Ashdown" not in calendar.to_ical().decode()


def test_a_new_address_stops_the_old_one(programme: Programme) -> None:
    facilitator = UserFactory(programme=programme, roles=[Role.FACILITATOR])
    client = Client()
    client.force_login(facilitator)
    client.post(reverse("core:staff-calendar"))
    old = calendar_feed.staff_feed_of(user=facilitator).token
    page = client.get(reverse("core:staff-calendar")).content.decode()
    assert old in page
    client.post(reverse("core:staff-calendar"))
    new = calendar_feed.staff_feed_of(user=facilitator).token
    assert new != old
    assert Client().get(reverse("core:calendar-feed", kwargs={"token": old})).status_code == 404
    assert Client().get(reverse("core:calendar-feed", kwargs={"token": new})).status_code == 200


def test_a_switched_off_account_has_no_feed(programme: Programme) -> None:
    facilitator = UserFactory(programme=programme, roles=[Role.FACILITATOR])
    feed = calendar_feed.staff_calendar_feed_renew(user=facilitator, by=facilitator)
    facilitator.is_active = False
    facilitator.save()
    address = reverse("core:calendar-feed", kwargs={"token": feed.token})
    assert Client().get(address).status_code == 404
