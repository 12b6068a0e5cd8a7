"""Mentor and supervisor assignments are dated when they started and ended,
not when they were entered; meetings and supervision sessions fall inside
the assignment they belong to, and nothing is dated in the future."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision import services
from supervision.models import MentorAssignment, MentorMeeting, SupervisionAssignment
from tests.supervision.factories import (
    assign,
    employed,
    lead_of,
    log_meeting,
    mentor,
    record_session,
    supervise,
    supervisor,
)
from tests.training.factories import CohortFactory, enrol


def _day(days_ago: int):
    return timezone.localdate() - timedelta(days=days_ago)


@pytest.fixture
def lead(programme):
    return lead_of(programme)


@pytest.fixture
def trainee(programme):
    cohort = CohortFactory(programme=programme, name="Cohort 2")
    return enrol(cohort, first_name="Ada", last_name="Okoro")


@pytest.fixture
def grace(programme):
    return mentor(programme, "Grace Okafor")


@pytest.fixture
def worker(programme):
    return employed(programme, first_name="Lena", last_name="Ward")


@pytest.fixture
def sam(programme):
    return supervisor(programme, "Sam Rivers")


# Mentoring: the dates of the assignment


def test_the_mentor_form_offers_today_as_the_start_date(client, lead, trainee, grace):
    client.force_login(lead)

    page = client.get(reverse("supervision:mentor-assign", args=[trainee.pk])).content.decode()

    assert "Date the mentoring started" in page
    assert f'value="{timezone.localdate().isoformat()}"' in page


def test_the_lead_records_a_mentoring_that_started_earlier(client, lead, trainee, grace):
    client.force_login(lead)

    client.post(
        reverse("supervision:mentor-assign", args=[trainee.pk]),
        {"mentor": grace.pk, "started_on": _day(10).isoformat(), "reason": ""},
    )

    assert MentorAssignment.objects.get(enrolment=trainee).started_on == _day(10)


def test_a_mentoring_cannot_start_in_the_future(lead, trainee, grace):
    with pytest.raises(services.MentoringRefused, match="cannot start in the future"):
        services.mentor_assign(
            enrolment=trainee, mentor=grace, by=lead, accept_warnings=True, on=_day(-1)
        )

    assert not MentorAssignment.objects.exists()


def test_a_new_mentor_cannot_start_before_the_current_mentoring_started(
    lead, trainee, grace, programme
):
    assign(trainee, grace, by=lead, on=_day(10))

    with pytest.raises(services.MentoringRefused) as refused:
        services.mentor_assign(
            enrolment=trainee,
            mentor=mentor(programme, "Daniel Hughes"),
            by=lead,
            accept_warnings=True,
            on=_day(20),
        )

    assert refused.value.message == (
        f"Grace Okafor has mentored Ada Okoro since {_day(10):%-d %B %Y}: "
        "the new mentoring cannot start before that."
    )


def test_a_new_mentor_takes_over_on_the_day_given(lead, trainee, grace, programme):
    first = assign(trainee, grace, by=lead, on=_day(30))

    second = assign(trainee, mentor(programme, "Daniel Hughes"), by=lead, on=_day(5))

    first.refresh_from_db()
    assert (first.ended_on, second.started_on) == (_day(5), _day(5))


def test_the_lead_records_the_day_a_mentoring_ended(client, lead, trainee, grace):
    assignment = assign(trainee, grace, by=lead, on=_day(30))
    client.force_login(lead)

    client.post(
        reverse("supervision:assignment-end", args=[assignment.pk]),
        {"reason": "Left the course", "ended_on": _day(3).isoformat()},
    )

    assignment.refresh_from_db()
    assert assignment.ended_on == _day(3)


def test_a_mentoring_cannot_end_before_it_started(lead, trainee, grace):
    assignment = assign(trainee, grace, by=lead, on=_day(10))

    with pytest.raises(services.MentoringRefused) as refused:
        services.mentor_assignment_end(assignment=assignment, by=lead, reason="x", on=_day(12))

    assert refused.value.message == (
        f"This mentoring started on {_day(10):%-d %B %Y}: it cannot end before that."
    )


def test_a_mentoring_cannot_end_in_the_future(lead, trainee, grace):
    assignment = assign(trainee, grace, by=lead, on=_day(10))

    with pytest.raises(services.MentoringRefused, match="cannot end in the future"):
        services.mentor_assignment_end(assignment=assignment, by=lead, reason="x", on=_day(-2))


def test_a_mentoring_cannot_end_before_a_meeting_logged_in_it(lead, trainee, grace):
    assignment = assign(trainee, grace, by=lead, on=_day(30))
    log_meeting(trainee, grace, held_on=_day(4))

    with pytest.raises(services.MentoringRefused) as refused:
        services.mentor_assignment_end(assignment=assignment, by=lead, reason="x", on=_day(8))

    assert refused.value.message == (
        f"Grace Okafor logged a meeting with Ada Okoro on {_day(4):%-d %B %Y}: "
        "the mentoring cannot end before that."
    )


# Mentoring: meetings inside the assignment


def test_a_meeting_before_the_mentoring_started_is_refused(lead, trainee, grace):
    assign(trainee, grace, by=lead, on=_day(5))

    with pytest.raises(services.MentoringRefused) as refused:
        log_meeting(trainee, grace, held_on=_day(6))

    assert refused.value.message == (
        f"Grace Okafor has mentored Ada Okoro since {_day(5):%-d %B %Y}: "
        "a meeting cannot be before that."
    )
    assert not MentorMeeting.objects.exists()


def test_the_mentor_is_told_why_a_meeting_before_the_mentoring_is_refused(
    client, lead, trainee, grace
):
    assign(trainee, grace, by=lead, on=_day(5))
    client.force_login(grace)

    response = client.post(
        reverse("supervision:meeting-create", args=[trainee.pk]),
        {
            "held_on": _day(6).isoformat(),
            "minutes": "45",
            "kind": "meeting",
            "mode": "in_person",
            "form_token": str(uuid.uuid4()),
        },
    )

    assert "a meeting cannot be before that." in response.content.decode()
    assert not MentorMeeting.objects.exists()


def test_a_meeting_cannot_be_moved_before_the_mentoring_started(lead, trainee, grace):
    assign(trainee, grace, by=lead, on=_day(5))
    meeting = log_meeting(trainee, grace, held_on=_day(2))

    with pytest.raises(services.MentoringRefused, match="cannot be before that"):
        services.mentor_meeting_update(meeting=meeting, by=grace, held_on=_day(6))

    meeting.refresh_from_db()
    assert meeting.held_on == _day(2)


# Supervision: the dates of the assignment


def test_the_supervision_form_offers_today_as_the_start_date(client, lead, worker, sam):
    client.force_login(lead)

    page = client.get(reverse("supervision:supervision-assign", args=[worker.pk])).content.decode()

    assert "Date the supervision started" in page
    assert f'value="{timezone.localdate().isoformat()}"' in page


def test_the_lead_records_a_supervision_that_started_earlier(client, lead, worker, sam):
    client.force_login(lead)

    client.post(
        reverse("supervision:supervision-assign", args=[worker.pk]),
        {"supervisor": sam.pk, "frequency_days": "28", "started_on": _day(20).isoformat()},
    )

    assert SupervisionAssignment.objects.get(person=worker).started_on == _day(20)


def test_a_supervision_cannot_start_in_the_future(lead, worker, sam):
    with pytest.raises(services.SupervisionRefused, match="cannot start in the future"):
        supervise(worker, sam, by=lead, on=_day(-1))


def test_a_supervision_cannot_start_before_the_peer_worker_started_in_post(lead, worker, sam):
    started = worker.appointments.get().start_date

    with pytest.raises(services.SupervisionRefused) as refused:
        supervise(worker, sam, by=lead, on=started - timedelta(days=1))

    assert refused.value.message == (
        f"Lena Ward started in post on {started:%-d %B %Y}: supervision cannot start before that."
    )


def test_a_new_supervision_cannot_start_before_the_current_one_started(
    lead, worker, sam, programme
):
    supervise(worker, sam, by=lead, on=_day(10))

    with pytest.raises(services.SupervisionRefused) as refused:
        supervise(worker, supervisor(programme, "Kim Other"), by=lead, on=_day(20))

    assert refused.value.message == (
        f"Sam Rivers has supervised Lena Ward since {_day(10):%-d %B %Y}: "
        "the new supervision cannot start before that."
    )


def test_the_lead_records_the_day_a_supervision_ended(client, lead, worker, sam):
    assignment = supervise(worker, sam, by=lead, on=_day(30))
    client.force_login(lead)

    client.post(
        reverse("supervision:supervision-end", args=[assignment.pk]),
        {"reason": "Moved to another trust", "ended_on": _day(2).isoformat()},
    )

    assignment.refresh_from_db()
    assert assignment.ended_on == _day(2)


def test_a_supervision_cannot_end_before_it_started(lead, worker, sam):
    assignment = supervise(worker, sam, by=lead, on=_day(10))

    with pytest.raises(services.SupervisionRefused) as refused:
        services.supervision_end(assignment=assignment, by=lead, reason="x", on=_day(11))

    assert refused.value.message == (
        f"This supervision started on {_day(10):%-d %B %Y}: it cannot end before that."
    )


def test_a_supervision_cannot_end_before_a_session_held_in_it(lead, worker, sam):
    assignment = supervise(worker, sam, by=lead, on=_day(30))
    record_session(sam, [worker], held_on=_day(3))

    with pytest.raises(services.SupervisionRefused) as refused:
        services.supervision_end(assignment=assignment, by=lead, reason="x", on=_day(7))

    assert refused.value.message == (
        f"Sam Rivers recorded a session with Lena Ward on {_day(3):%-d %B %Y}: "
        "the supervision cannot end before that."
    )


# Supervision: sessions inside the assignment


def test_a_session_before_the_supervision_started_is_refused(lead, worker, sam):
    supervise(worker, sam, by=lead, on=_day(5))

    with pytest.raises(services.SupervisionRefused) as refused:
        record_session(sam, [worker], held_on=_day(6))

    assert refused.value.message == (
        f"Sam Rivers has supervised Lena Ward since {_day(5):%-d %B %Y}: "
        "a session with them cannot be before that."
    )


def test_a_session_cannot_be_moved_before_the_supervision_started(lead, worker, sam):
    supervise(worker, sam, by=lead, on=_day(5))
    session = record_session(sam, [worker], held_on=_day(1))

    with pytest.raises(services.SupervisionRefused, match="cannot be before that"):
        services.supervision_session_update(
            session=session, by=sam, attendees=[worker], held_on=_day(9)
        )
