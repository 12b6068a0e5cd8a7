"""A trainee's calendar feed at its public address: the course's sessions
and the planned mentor meeting, with a title, a time and a place only; 404
for any other address; the address never written to the logs."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core import calendar_feed
from peerprog.core.log_filters import redact_calendar_links
from peerprog.core.models import CalendarFeed
from tests.selfservice.course_world import MENTOR_NOTES, course_object
from tests.selfservice.world import people_world
from training import services as training_services
from training.models import CourseSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    course_object(world, "trainee_meeting")
    return people_world(world)


@pytest.fixture
def feed(world, people):
    return calendar_feed.calendar_feed_renew(
        person=people["trainee_person"], by=world.users["trainee"]
    )


def _address(feed):
    return reverse("core:calendar-feed", kwargs={"token": feed.token})


def _events(response):
    parsed = icalendar.Calendar.from_ical(response.content)
    return list(parsed.walk("VEVENT"))


def _session(cohort, days, title, **values):
    values.setdefault("place", "Room 1")
    return training_services.session_create(
        cohort=cohort,
        by=None,
        date=timezone.localdate() + timedelta(days=days),
        starts_at="10:00",
        minutes=90,
        title=title,
        **values,
    )


def test_the_feed_holds_the_sessions_with_title_time_and_place(world, people, feed):
    cohort = people["trainee_enrolment"].cohort
    session = _session(
        cohort,
        7,
        "Telling my story safely",
        place="Room 4, Maudsley",
        facilitator=world.users["facilitator"],
        co_facilitators=[("Priscilla Coplan", "service_user")],
    )

    response = Client().get(_address(feed))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    event = next(e for e in _events(response) if "Telling my story" in str(e["SUMMARY"]))
    assert str(event["LOCATION"]) == "Room 4, Maudsley"
    starts = event.decoded("DTSTART")
    assert starts == timezone.make_aware(datetime.combine(session.date, time(10, 0))).astimezone(
        starts.tzinfo
    )
    assert event.decoded("DTEND") - starts == timedelta(minutes=90)
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_feed_names_nobody_and_carries_no_notes(world, people, feed):
    cohort = people["trainee_enrolment"].cohort
    _session(
        cohort,
        3,
        "Boundaries",
        facilitator=world.users["facilitator"],
        co_facilitators=[("Priscilla Coplan", "service_user")],
    )

    body = Client().get(_address(feed)).content.decode()

    names = [
        "Priscilla Coplan",
        world.users["facilitator"].full_name,
        "Mona Mentor",
        people["trainee_person"].last_name,
        people["trainee_other_cohort_person"].last_name,
    ]
    for name in names:
        assert name not in body
    assert MENTOR_NOTES not in body
    assert "Mentor meeting (planned)" in body


def test_a_cancelled_session_is_marked_cancelled(people, feed):
    session = _session(people["trainee_enrolment"].cohort, 5, "Hope and control")
    CourseSession.objects.filter(pk=session.pk).update(
        status=CourseSession.Status.CANCELLED, cancel_reason="Facilitator off sick"
    )

    response = Client().get(_address(feed))

    event = next(e for e in _events(response) if "Hope and control" in str(e["SUMMARY"]))
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Cancelled: Hope and control"
    assert "off sick" not in response.content.decode()


def test_the_planned_mentor_meeting_is_an_all_day_event(people, feed):
    response = Client().get(_address(feed))

    event = next(e for e in _events(response) if "Mentor meeting" in str(e["SUMMARY"]))
    assert event.decoded("DTSTART") == timezone.localdate() + timedelta(days=1)
    assert isinstance(event.decoded("DTSTART"), date)


def test_another_cohorts_sessions_are_not_in_the_feed(people, feed):
    _session(people["other_cohort"], 4, "Only for cohort B")

    body = Client().get(_address(feed)).content.decode()

    assert "Only for cohort B" not in body


@pytest.mark.parametrize("token", ["not-a-token", "a" * 43, "x" * 200])
def test_a_wrong_address_is_not_found(people, feed, token):
    response = Client().get(reverse("core:calendar-feed", kwargs={"token": token}))

    assert response.status_code == 404


def test_the_feed_stops_when_the_account_is_switched_off(world, people, feed):
    world.users["trainee"].is_active = False
    world.users["trainee"].save(update_fields=["is_active"])

    assert Client().get(_address(feed)).status_code == 404


def test_only_the_person_makes_their_address(world, people):
    from peerprog.core.services import DomainError

    with pytest.raises(DomainError):
        calendar_feed.calendar_feed_renew(
            person=people["trainee_person"], by=world.users["trainee_other_cohort"]
        )
    assert not CalendarFeed.objects.exists()


def test_the_address_is_not_written_to_the_logs(people, feed, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    wrong = "WrongTokenThatMustNotBeLogged123"

    Client().get(reverse("core:calendar-feed", kwargs={"token": wrong}))

    assert "Not Found" in caplog.text
    assert wrong not in caplog.text
    assert "/calendar/[address].ics" in caplog.text


def test_the_redaction_leaves_other_paths_alone():
    assert redact_calendar_links("GET /calendar/abc_DEF-123.ics") == "GET /calendar/[address].ics"
    assert redact_calendar_links("/training/cohorts/3/") == "/training/cohorts/3/"


def test_the_feed_costs_the_same_queries_for_3_and_30_sessions(
    people, feed, django_assert_max_num_queries
):
    cohort = people["trainee_enrolment"].cohort
    client = Client()
    counts = []
    for size in (3, 30):
        CourseSession.objects.filter(cohort=cohort).delete()
        CourseSession.objects.bulk_create(
            CourseSession(
                cohort=cohort,
                title=f"Session {n}",
                date=timezone.localdate() + timedelta(days=n),
                starts_at=time(10, 0),
                minutes=60,
                place="Room 2",
            )
            for n in range(size)
        )
        with django_assert_max_num_queries(20) as captured:
            response = client.get(_address(feed))
        assert len([e for e in _events(response) if "Session" in str(e["SUMMARY"])]) == size
        counts.append(len(captured.captured_queries))

    assert counts == [3, 3]


def test_calendar_apps_may_ask_with_head(people, feed):
    assert Client().head(_address(feed)).status_code == 200
    assert Client().post(_address(feed)).status_code == 405
