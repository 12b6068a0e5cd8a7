"""A trainee's course in a browser, on a phone-sized screen: the timetable
with their attendance, a calendar address made for their calendar app, and
a meeting with their mentor confirmed with a note of their own. Every page
passes axe-core."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from peerprog.core.models import CalendarFeed, Person
from supervision.models import MentorMeeting
from tests.browser.support import check_accessible, sign_in
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.supervision.factories import assign, lead_of, log_meeting, mentor
from tests.training.factories import CohortFactory, enrol, past_session
from training.models import Attendance

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PASSWORD = "a-long-test-password"


def _go(page: Page, action: Any) -> None:
    with page.expect_navigation():
        action()
    check_accessible(page)


def test_a_trainee_follows_their_course_and_confirms_a_meeting_on_a_phone(
    live_server: Any, new_context: Any
) -> None:
    programme = ProgrammeFactory()
    cohort = CohortFactory(programme=programme, name="Spring cohort")
    enrolment = enrol(cohort, first_name="Tara", last_name="Trainee")
    account = UserFactory(programme=programme, email="tara@example.org", full_name="Tara Trainee")
    Person.objects.filter(pk=enrolment.person_id).update(user=account)
    session = past_session(cohort, days_ago=5, title="Boundaries", place="Room 7")
    Attendance.objects.create(session=session, enrolment=enrolment, status="present")
    mona = mentor(programme, "Mona Mentor")
    assign(enrolment, mona, by=lead_of(programme))
    log_meeting(
        enrolment,
        mona,
        held_on=timezone.localdate() - timedelta(days=2),
        notes="Private to the mentor.",
        next_meeting_on=timezone.localdate() + timedelta(days=14),
    )

    phone = new_context(**PHONE).new_page()
    sign_in(phone, live_server, account.email, PASSWORD)
    check_accessible(phone)
    _go(phone, lambda: phone.get_by_role("link", name="Spring cohort", exact=True).click())
    expect(phone.get_by_role("row").filter(has_text="Boundaries")).to_contain_text("Present")

    _go(phone, lambda: phone.get_by_role("button", name="Make my calendar address").click())
    feed = CalendarFeed.objects.get()
    expect(phone.get_by_label("Your calendar address")).to_have_value(
        live_server.url + f"/calendar/{feed.token}.ics"
    )

    _go(phone, lambda: phone.get_by_role("link", name="My mentor and our meetings").click())
    expect(phone.get_by_text("Mona Mentor")).to_be_visible()
    expect(phone.get_by_text("Private to the mentor.")).to_have_count(0)
    phone.get_by_label("Your note").fill("We planned my placement.")
    _go(phone, lambda: phone.get_by_role("button", name="Save my note").click())
    expect(phone.get_by_text("Your note is saved.")).to_be_visible()
    _go(phone, lambda: phone.get_by_role("button", name="Yes, this meeting took place").click())
    expect(phone.get_by_text("you have confirmed the meeting took place")).to_be_visible()

    meeting = MentorMeeting.objects.get()
    assert meeting.trainee_note == "We planned my placement."
    assert meeting.trainee_confirmed_at is not None
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
