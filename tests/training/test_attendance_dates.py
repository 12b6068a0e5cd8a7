"""Attendance is dated by its session: a register is filled in for a session
on or after its day, and a session (so its register) falls within the
cohort's course, from the first day of training to the last."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.core.once_helpers import FormClient
from tests.training.factories import enrol, past_session
from training import services
from training.models import Attendance, CourseSession
from training.services import TrainingError

pytestmark = pytest.mark.django_db


def _outside_message(cohort) -> str:
    return (
        f"{cohort.name}'s course runs from {cohort.training_start:%-d %B %Y} to "
        f"{cohort.training_end:%-d %B %Y}: a session cannot be dated outside it."
    )


def test_a_register_for_a_past_session_is_saved_and_shown(client, cohort, facilitator):
    trainee = enrol(cohort, first_name="Nadia", last_name="Ferris")
    session = past_session(cohort, days_ago=14, title="Boundaries")
    client.force_login(facilitator)
    url = reverse("training:register", args=[session.pk])

    response = client.post(url, {f"e{trainee.pk}": Attendance.Status.LATE})

    assert response.status_code == 302, response.content.decode()
    assert Attendance.objects.get(session=session, enrolment=trainee).status == "late"
    page = client.get(url).content.decode()
    assert f"{session.date:%-d %B %Y}" in page or f"{session.date:%-d %b %Y}" in page


def test_a_register_for_a_session_in_the_future_is_refused_on_the_page(client, cohort, facilitator):
    trainee = enrol(cohort)
    session = past_session(cohort, days_ago=-2)
    client.force_login(facilitator)

    response = client.post(
        reverse("training:register", args=[session.pk]), {f"e{trainee.pk}": "present"}
    )

    assert response.status_code == 200
    assert (
        "A register can be filled in on or after the day of the session."
        in response.content.decode()
    )
    assert not Attendance.objects.exists()


def test_a_session_before_the_course_starts_is_refused_on_the_form(cohort, course_lead):
    client = FormClient()
    client.force_login(course_lead)

    response = client.post(
        reverse("training:session-create", args=[cohort.pk]),
        {
            "title": "Welcome",
            "date": (cohort.training_start - timedelta(days=3)).isoformat(),
            "starts_at": "10:00",
            "minutes": "90",
            "place": "Room 2",
        },
    )

    assert response.status_code == 200
    assert escape(_outside_message(cohort)) in response.content.decode()
    assert not CourseSession.objects.filter(cohort=cohort).exists()


def test_a_session_cannot_be_moved_after_the_course_ends(cohort, course_lead):
    session = past_session(cohort)

    with pytest.raises(TrainingError) as refused:
        services.session_update(
            session=session, by=course_lead, date=cohort.training_end + timedelta(days=1)
        )

    assert refused.value.message == _outside_message(cohort)
    session.refresh_from_db()
    assert session.date == timezone.localdate() - timedelta(days=7)


def test_a_register_for_a_session_dated_outside_the_course_is_refused(cohort, facilitator):
    trainee = enrol(cohort)
    # Sessions entered before the rule may lie outside the course.
    stray = CourseSession.objects.create(
        cohort=cohort,
        title="Catch-up",
        date=cohort.training_start - timedelta(days=10),
        starts_at=time(10, 0),
        minutes=60,
        place="Room 1",
    )

    with pytest.raises(TrainingError) as refused:
        services.attendance_record(session=stray, marks={trainee.pk: "present"}, by=facilitator)

    assert refused.value.message == _outside_message(cohort)
    assert not Attendance.objects.exists()
