"""The meeting log: quick to fill, refuses impossible dates and lengths,
saves a double-sent form once, and keeps notes private."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision import services
from supervision.models import MentorMeeting
from tests.supervision.factories import assign, lead_of, log_meeting, mentor
from tests.training.factories import CohortFactory, enrol


@pytest.fixture
def trainee(programme):
    cohort = CohortFactory(programme=programme, name="Cohort 2")
    return enrol(cohort, first_name="Ada", last_name="Okoro")


@pytest.fixture
def grace(trainee, programme):
    grace = mentor(programme, "Grace Okafor")
    assign(trainee, grace)
    return grace


def _form(trainee, **values):
    data = {
        "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "minutes": "45",
        "kind": "meeting",
        "mode": "in_person",
        "notes": "Talked through the boundaries session.",
        "next_meeting_on": "",
        "form_token": str(uuid.uuid4()),
    }
    data.update(values)
    return data


def _log_url(trainee):
    return reverse("supervision:meeting-create", args=[trainee.pk])


def test_the_mentor_logs_a_meeting_from_the_form(client, trainee, grace):
    client.force_login(grace)

    response = client.post(_log_url(trainee), _form(trainee), follow=True)

    meeting = MentorMeeting.objects.get()
    assert meeting.recorded_by == grace
    assert meeting.minutes == 45
    assert "Your meeting with Ada Okoro is logged." in response.content.decode()


def test_the_form_starts_with_an_hour_and_a_meeting_in_person_and_no_date(client, trainee, grace):
    client.force_login(grace)

    form = client.get(_log_url(trainee)).context["form"]

    assert form["held_on"].value() is None
    assert form.initial["minutes"] == 60
    assert form["kind"].value() == "meeting"
    assert form["mode"].value() == "in_person"


def test_a_form_sent_twice_saves_one_meeting_and_says_so(client, trainee, grace):
    client.force_login(grace)
    data = _form(trainee)

    client.post(_log_url(trainee), data)
    again = client.post(_log_url(trainee), data, follow=True)

    assert MentorMeeting.objects.count() == 1
    assert "was already logged (the form was sent twice)" in again.content.decode()


def test_the_service_is_idempotent_for_the_same_form_token(trainee, grace):
    token = uuid.uuid4()
    day = timezone.localdate()
    first, created = services.mentor_meeting_log(
        enrolment=trainee, by=grace, form_token=token, held_on=day, minutes=30
    )
    second, created_again = services.mentor_meeting_log(
        enrolment=trainee, by=grace, form_token=token, held_on=day, minutes=30
    )

    assert (created, created_again) == (True, False)
    assert first == second


def test_a_meeting_in_the_future_is_refused(client, trainee, grace):
    client.force_login(grace)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(_log_url(trainee), _form(trainee, held_on=tomorrow.isoformat()))

    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not MentorMeeting.objects.exists()


def test_the_service_refuses_a_meeting_in_the_future(trainee, grace):
    with pytest.raises(services.MentoringRefused, match="in the future"):
        services.mentor_meeting_log(
            enrolment=trainee,
            by=grace,
            form_token=uuid.uuid4(),
            held_on=timezone.localdate() + timedelta(days=2),
            minutes=30,
        )


def test_a_meeting_before_the_course_is_refused(client, trainee, grace):
    client.force_login(grace)
    before = trainee.cohort.training_start - timedelta(days=1)

    response = client.post(_log_url(trainee), _form(trainee, held_on=before.isoformat()))

    assert "a meeting cannot be before it" in response.content.decode()
    assert not MentorMeeting.objects.exists()


def test_the_service_refuses_a_meeting_before_the_course(trainee, grace):
    with pytest.raises(services.MentoringRefused, match="cannot be before it"):
        log_meeting(trainee, grace, trainee.cohort.training_start - timedelta(days=3))


@pytest.mark.parametrize("minutes", ["-30", "0"])
def test_a_length_below_five_minutes_is_refused(client, trainee, grace, minutes):
    client.force_login(grace)

    response = client.post(_log_url(trainee), _form(trainee, minutes=minutes))

    assert "The length must be at least 5 minutes." in response.content.decode()
    assert not MentorMeeting.objects.exists()


def test_the_service_refuses_a_negative_length(trainee, grace):
    with pytest.raises(services.Refused, match="greater than or equal to 5"):
        log_meeting(trainee, grace, timezone.localdate(), minutes=-10)


def test_a_next_meeting_before_this_one_is_refused(client, trainee, grace):
    client.force_login(grace)
    day = timezone.localdate() - timedelta(days=1)

    response = client.post(
        _log_url(trainee),
        _form(trainee, held_on=day.isoformat(), next_meeting_on=(day - timedelta(1)).isoformat()),
    )

    assert "The next meeting cannot be before this one." in response.content.decode()


def test_only_the_trainees_mentor_can_log_their_meetings(trainee, grace, programme):
    other = mentor(programme, "Daniel Hughes")

    with pytest.raises(services.MentoringRefused, match="Only the trainee's mentor"):
        log_meeting(trainee, other, timezone.localdate())


def test_the_mentor_corrects_a_meeting(client, trainee, grace):
    meeting = log_meeting(trainee, grace, timezone.localdate(), minutes=30)
    client.force_login(grace)

    response = client.post(
        reverse("supervision:meeting-edit", args=[meeting.pk]),
        _form(trainee, held_on=meeting.held_on.isoformat(), minutes="50"),
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == 50


# Notes are private to the mentor and the leads


def test_the_lead_reads_the_mentors_notes(client, trainee, grace, programme):
    log_meeting(trainee, grace, timezone.localdate(), notes="Worried about the commute.")
    client.force_login(lead_of(programme))

    page = client.get(reverse("supervision:mentee", args=[trainee.pk])).content.decode()

    assert "Worried about the commute." in page


def test_a_new_mentor_does_not_read_the_earlier_mentors_notes(client, trainee, grace, programme):
    log_meeting(trainee, grace, timezone.localdate(), notes="Worried about the commute.")
    daniel = mentor(programme, "Daniel Hughes")
    assign(trainee, daniel)
    client.force_login(daniel)

    page = client.get(reverse("supervision:mentee", args=[trainee.pk])).content.decode()

    assert "Meeting on" in page
    assert "Worried about the commute." not in page
    assert "Notes kept by an earlier mentor are for the programme's leads only." in page


def test_the_mentors_own_page_shows_no_notes(client, trainee, grace):
    log_meeting(trainee, grace, timezone.localdate(), notes="Worried about the commute.")
    client.force_login(grace)

    page = client.get(reverse("supervision:my-mentees")).content.decode()

    assert "Ada Okoro" in page
    assert "Worried about the commute." not in page


def test_a_meeting_without_a_date_is_refused_and_asked_for(client, trainee, grace):
    client.force_login(grace)

    response = client.post(_log_url(trainee), _form(trainee, held_on=""))

    assert "Enter the date of the meeting." in response.content.decode()
    assert not MentorMeeting.objects.exists()


@pytest.fixture
def past_trainee(programme, grace):
    """A trainee of a course that ended 18 weeks ago, mentored by Grace."""
    start = timezone.localdate() - timedelta(weeks=30)
    cohort = CohortFactory(
        programme=programme,
        name="Cohort 1",
        training_start=start,
        training_end=start + timedelta(weeks=12),
    )
    trainee = enrol(cohort, first_name="Sam", last_name="Smith")
    assign(trainee, grace)
    return trainee


def test_a_meeting_long_after_the_course_is_asked_about_not_saved(client, past_trainee, grace):
    client.force_login(grace)

    response = client.post(_log_url(past_trainee), _form(past_trainee))

    page = response.content.decode()
    assert "Yes, this meeting took place after the course" in page
    assert "more than four weeks before this date" in page
    assert not MentorMeeting.objects.exists()


def test_a_meeting_long_after_the_course_is_saved_once_confirmed(client, past_trainee, grace):
    client.force_login(grace)

    response = client.post(
        _log_url(past_trainee), _form(past_trainee, after_course="on"), follow=True
    )

    assert "Your meeting with Sam Smith is logged." in response.content.decode()
    assert MentorMeeting.objects.get().held_on == timezone.localdate() - timedelta(days=1)


def test_a_meeting_soon_after_the_course_is_saved_without_asking(client, past_trainee, grace):
    client.force_login(grace)
    soon_after = past_trainee.cohort.training_end + timedelta(weeks=2)

    client.post(_log_url(past_trainee), _form(past_trainee, held_on=soon_after.isoformat()))

    assert MentorMeeting.objects.get().held_on == soon_after
