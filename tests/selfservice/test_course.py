"""A trainee's course page: the cohort's timetable with their own marks,
their calendar feed's address (made and made anew by them), read-only once
the course is over, and only ever their own."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import CalendarFeed
from selfservice.course_page import my_timetable
from tests.selfservice.world import people_world
from tests.training.factories import past_session
from training.models import Attendance, CourseSession
from training.selectors.timetable import my_timetable as training_timetable

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    return people_world(world)


@pytest.fixture
def trainee(world, people):
    return world.users["trainee"]


def _url(enrolment):
    return reverse("selfservice:course", kwargs={"pk": enrolment.pk})


def _mark(session, enrolment, status):
    return Attendance.objects.create(session=session, enrolment=enrolment, status=status)


def _sessions(cohort, count):
    start = timezone.localdate() - timedelta(days=count)
    return CourseSession.objects.bulk_create(
        CourseSession(
            cohort=cohort,
            title=f"Session {n}",
            date=start + timedelta(days=n),
            starts_at=time(10, 0),
            minutes=120,
            place="Room 1",
        )
        for n in range(count)
    )


def test_the_trainee_sees_the_timetable_with_their_own_marks(client, world, people, trainee):
    enrolment = people["trainee_enrolment"]
    cohort = enrolment.cohort
    # Training's world puts another trainee (Ada) on the same cohort.
    from tests.training.factories import training_object

    other = training_object(world, "enrolment")
    assert other.cohort_id == cohort.pk
    boundaries = past_session(cohort, days_ago=3, title="Boundaries", place="Room 7")
    cancelled = past_session(cohort, days_ago=2, title="Lived experience", place="Room 8")
    CourseSession.objects.filter(pk=cancelled.pk).update(
        status=CourseSession.Status.CANCELLED, cancel_reason="The facilitator was ill"
    )
    _mark(boundaries, enrolment, Attendance.Status.LATE)
    _mark(boundaries, other, Attendance.Status.ABSENT)
    client.force_login(trainee)

    response = client.get(_url(enrolment))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Boundaries" in page and "Room 7" in page
    assert "Lived experience" in page and "Cancelled" in page
    assert "Late" in page
    # Another trainee's mark and the reason a session was cancelled are not shown.
    assert "Absent" not in page
    assert "The facilitator was ill" not in page
    assert "You attended 1 of the 1 session" in page


def test_another_persons_course_is_not_found(client, people, trainee):
    client.force_login(trainee)

    response = client.get(_url(people["trainee_other_cohort_enrolment"]))

    assert response.status_code == 404


def test_a_former_trainee_sees_their_course_read_only(client, world, people):
    enrolment = people["former_trainee_enrolment"]
    client.force_login(world.users["former_trainee"])

    page = client.get(_url(enrolment)).content.decode()
    response = client.post(
        reverse("selfservice:course-calendar-address", kwargs={"pk": enrolment.pk}), follow=True
    )

    assert "Your course has ended" in page
    assert "Make my calendar address" not in page
    assert "Make a new address" not in page
    assert "has no calendar address" in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_the_trainee_makes_their_calendar_address(client, people, trainee):
    enrolment = people["trainee_enrolment"]
    client.force_login(trainee)
    assert "Make my calendar address" in client.get(_url(enrolment)).content.decode()

    response = client.post(
        reverse("selfservice:course-calendar-address", kwargs={"pk": enrolment.pk}), follow=True
    )

    feed = CalendarFeed.objects.get(person=people["trainee_person"])
    page = response.content.decode()
    assert len(feed.token) >= 40
    assert reverse("core:calendar-feed", kwargs={"token": feed.token}) in page
    assert "Make a new address" in page
    assert "How to add it to your calendar" in page


def test_a_new_address_stops_the_old_one(client, people, trainee):
    enrolment = people["trainee_enrolment"]
    address = reverse("selfservice:course-calendar-address", kwargs={"pk": enrolment.pk})
    client.force_login(trainee)
    client.post(address)
    old = CalendarFeed.objects.get().token

    client.post(address)

    new = CalendarFeed.objects.get().token
    assert new != old
    anyone = type(client)()
    assert anyone.get(reverse("core:calendar-feed", kwargs={"token": old})).status_code == 404
    assert anyone.get(reverse("core:calendar-feed", kwargs={"token": new})).status_code == 200


def test_making_the_address_is_audited_with_the_trainee_as_actor(client, people, trainee):
    enrolment = people["trainee_enrolment"]
    address = reverse("selfservice:course-calendar-address", kwargs={"pk": enrolment.pk})
    client.force_login(trainee)

    client.post(address)
    client.post(address)

    feed = CalendarFeed.objects.get()
    rows = list(feed.history.order_by("history_date"))
    assert [r.history_type for r in rows] == ["+", "~"]
    assert {r.history_user_id for r in rows} == {trainee.pk}
    # The history keeps who and when, never the address.
    assert not hasattr(rows[0], "token")


def test_the_course_page_costs_the_same_queries_for_3_and_30_sessions(
    client, people, trainee, django_assert_max_num_queries
):
    enrolment = people["trainee_enrolment"]
    client.force_login(trainee)
    client.post(reverse("selfservice:course-calendar-address", kwargs={"pk": enrolment.pk}))
    counts = []
    for size in (3, 30):
        CourseSession.objects.filter(cohort=enrolment.cohort).delete()
        for session in _sessions(enrolment.cohort, size):
            _mark(session, enrolment, Attendance.Status.PRESENT)
        with django_assert_max_num_queries(50) as captured:
            response = client.get(_url(enrolment))
        assert response.status_code == 200
        assert response.content.decode().count("<td>Present</td>") == size
        counts.append(len(captured.captured_queries))

    assert counts == [6, 6]


# The timetable's rows as the course page's template loop drew them.
TEMPLATE_ROWS = Template(
    "{% for row in timetable.rows %}"
    "\n"
    '      <tr{% if row.session.is_cancelled %} class="text-muted"{% endif %}>\n'
    "        <td>{% if row.session.is_cancelled %}<del>{{ row.session.title"
    ' }}</del> <span class="badge text-bg-secondary">Cancelled</span>{% else'
    " %}{{ row.session.title }}{% endif %}</td>\n"
    '        <td>{{ row.session.date|date:"l j F Y" }}</td>\n'
    '        <td>{{ row.session.starts_at|time:"H:i" }} to {{'
    ' row.session.ends_at|time:"H:i" }}</td>\n'
    '        <td>{{ row.session.place|default:"" }}{% if row.session.is_online'
    " %}{% if row.session.place %} or {% endif %}online{% endif %}</td>\n"
    "        <td>{% if row.mark %}{{ row.mark.get_status_display }}{% elif"
    " row.session.is_cancelled %}Not held{% else %}Not recorded{% endif %}</td>\n"
    "      </tr>\n"
    "    "
    "{% endfor %}"
)


def test_the_timetable_rows_are_drawn_as_the_template_drew_them(people):
    enrolment = people["trainee_enrolment"]
    cohort = enrolment.cohort
    marked = past_session(cohort, days_ago=5, title="Boundaries & <limits>", place="Room 7")
    cancelled = past_session(cohort, days_ago=4, title="Lived experience", place="Room 8")
    CourseSession.objects.filter(pk=cancelled.pk).update(status=CourseSession.Status.CANCELLED)
    past_session(cohort, days_ago=3, title="Online only", place="", is_online=True)
    both = past_session(cohort, days_ago=2, title="Either", place="Hall 'B'", is_online=True)
    past_session(cohort, days_ago=1, title="Not marked yet", place="Room 9")
    _mark(marked, enrolment, Attendance.Status.LATE)
    _mark(both, enrolment, Attendance.Status.AUTHORISED)
    enrolment.refresh_from_db()

    drawn = my_timetable(enrolment=enrolment)
    expected = training_timetable(enrolment=enrolment)

    assert drawn.rows == TEMPLATE_ROWS.render(Context({"timetable": expected}))
    assert (drawn.count, drawn.attended, drawn.recorded) == (
        len(expected.rows),
        expected.attended,
        expected.recorded,
    )
    assert "Authorised absence" in drawn.rows and "Not held" in drawn.rows
