"""A trainee's mentoring page: their mentor and how to reach them, their
meetings without the mentor's notes, their own note and confirmation on a
meeting (audited with the trainee as the actor), and nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from selfservice.kept import own_rows
from selfservice.mentoring_page import _enrolment, _meetings, my_mentoring_page
from supervision.models import MentorMeeting
from supervision.selectors import with_mentoring
from tests.selfservice.course_world import MENTOR_NOTES, course_object
from tests.selfservice.world import people_world
from tests.supervision.factories import log_meeting
from training.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    return course_object(world, "trainee_meeting")


@pytest.fixture
def trainee(world, meeting):
    return world.users["trainee"]


def _page(enrolment_pk):
    return reverse("selfservice:mentoring", kwargs={"pk": enrolment_pk})


def test_the_trainee_sees_their_mentor_and_meetings_without_the_mentors_notes(
    client, meeting, trainee
):
    client.force_login(trainee)

    response = client.get(_page(meeting.assignment.enrolment_id))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Mona Mentor" in page
    assert meeting.assignment.mentor.email in page
    assert "50 minutes" in page
    assert "Meeting on" in page
    assert MENTOR_NOTES not in page
    assert "Not confirmed by you yet" in page
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert f"{tomorrow.day} {tomorrow:%B %Y}" in page


def test_another_persons_mentoring_page_is_not_found(client, world, meeting):
    client.force_login(world.users["trainee_other_cohort"])

    response = client.get(_page(meeting.assignment.enrolment_id))

    assert response.status_code == 404


def test_the_trainee_adds_their_own_note(client, meeting, trainee):
    client.force_login(trainee)

    response = client.post(
        reverse("selfservice:meeting-note", kwargs={"pk": meeting.pk}),
        {f"meeting-{meeting.pk}-note": "  It helped to plan my   placement. "},
        follow=True,
    )

    meeting.refresh_from_db()
    assert meeting.trainee_note == "It helped to plan my placement."
    assert meeting.notes == MENTOR_NOTES
    assert "Your note is saved." in response.content.decode()
    assert meeting.history.latest().history_user == trainee


def test_the_trainee_confirms_a_meeting_once(client, meeting, trainee):
    client.force_login(trainee)
    url = reverse("selfservice:meeting-confirm", kwargs={"pk": meeting.pk})

    client.post(url)
    response = client.post(url, follow=True)

    meeting.refresh_from_db()
    assert meeting.trainee_confirmed_at is not None
    assert meeting.history.latest().history_user == trainee
    assert "You have already confirmed this meeting." in response.content.decode()


def test_a_meeting_counts_towards_the_minimum_whether_confirmed_or_not(client, meeting, trainee):
    def held() -> int:
        return (
            with_mentoring(enrolments=Enrolment.objects.filter(pk=enrolment_pk)).get().meetings_held
        )

    enrolment_pk = meeting.assignment.enrolment_id
    before = held()
    client.force_login(trainee)

    client.post(reverse("selfservice:meeting-confirm", kwargs={"pk": meeting.pk}))

    assert before == 1
    assert held() == before


@pytest.mark.parametrize("action", ["meeting-note", "meeting-confirm"])
def test_anyone_elses_meeting_is_not_found(client, world, meeting, action):
    from tests.supervision.factories import supervision_object

    others = supervision_object(world, "mentor_meeting")
    client.force_login(world.users["trainee"])

    response = client.post(reverse(f"selfservice:{action}", kwargs={"pk": others.pk}))

    assert response.status_code == 404
    others.refresh_from_db()
    assert others.trainee_confirmed_at is None and others.trainee_note == ""


def test_a_former_trainee_reads_their_meetings_only(client, world):
    people = people_world(world)
    client.force_login(world.users["former_trainee"])

    response = client.get(_page(people["former_trainee_enrolment"].pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your course has ended" in page
    assert "Save my note" not in page


def test_the_mentoring_page_costs_the_same_queries_for_2_and_12_meetings(
    client, meeting, trainee, django_assert_max_num_queries
):
    enrolment = meeting.assignment.enrolment
    mona = meeting.assignment.mentor
    client.force_login(trainee)
    counts = []
    for size in (2, 12):
        while MentorMeeting.objects.filter(assignment__enrolment=enrolment).count() < size:
            log_meeting(enrolment, mona, held_on=enrolment.cohort.training_start)
        with django_assert_max_num_queries(50) as captured:
            response = client.get(_page(enrolment.pk))
        assert response.content.decode().count("Save my note") == size
        counts.append(len(captured.captured_queries))

    assert counts == [6, 6]


def test_the_kept_rows_are_those_of_the_queries_built_afresh_and_nobody_elses(
    world, meeting, trainee
):
    enrolment = meeting.assignment.enrolment
    page = my_mentoring_page(user=trainee, pk=enrolment.pk)
    mine = {"user": trainee.pk, "pk": enrolment.pk}

    assert own_rows(name="mentoring", build=_enrolment, **mine) == [
        tuple(row) for row in _enrolment(**mine)
    ]
    assert own_rows(name="meetings", build=_meetings, **mine) == [
        tuple(row) for row in _meetings(**mine)
    ]
    assert page.mentor is not None and page.mentor.full_name == "Mona Mentor"
    assert [m.pk for m in page.meetings] == [meeting.pk]
    assert not hasattr(page.meetings[0], "notes") or not page.meetings[0].notes
    other = world.users["trainee_other_cohort"]
    theirs = {"user": other.pk, "pk": enrolment.pk}
    assert own_rows(name="mentoring", build=_enrolment, **theirs) == []
    assert own_rows(name="meetings", build=_meetings, **theirs) == []


def test_a_trainee_who_left_cannot_change_their_meetings(client, meeting, trainee):
    from tests.supervision.factories import leave
    from tests.training.factories import ApplicationFactory, CohortFactory

    enrolment = meeting.assignment.enrolment
    # They have applied to a later cohort, so their account stays on.
    ApplicationFactory(
        cohort=CohortFactory(programme=enrolment.cohort.programme, name="Autumn cohort"),
        person=enrolment.person,
        stage="received",
    )
    leave(enrolment)
    client.force_login(trainee)

    response = client.post(
        reverse("selfservice:meeting-confirm", kwargs={"pk": meeting.pk}), follow=True
    )

    meeting.refresh_from_db()
    assert meeting.trainee_confirmed_at is None
    assert "Your course has ended" in response.content.decode()


def test_only_the_trainee_adds_their_part_to_a_meeting(world, meeting):
    from supervision.services.mentoring import MentoringRefused, mentor_meeting_trainee_note

    with pytest.raises(MentoringRefused):
        mentor_meeting_trainee_note(
            meeting=meeting, by=meeting.assignment.mentor, note="Written by the mentor"
        )
    meeting.refresh_from_db()
    assert meeting.trainee_note == ""


def test_the_mentor_reads_the_trainees_note_and_confirmation(client, world, meeting, trainee):
    client.force_login(trainee)
    client.post(
        reverse("selfservice:meeting-note", kwargs={"pk": meeting.pk}),
        {f"meeting-{meeting.pk}-note": "Useful to plan my placement."},
    )
    client.post(reverse("selfservice:meeting-confirm", kwargs={"pk": meeting.pk}))
    client.force_login(meeting.assignment.mentor)

    page = client.get(
        reverse("supervision:mentee", args=[meeting.assignment.enrolment_id])
    ).content.decode()

    assert "Useful to plan my placement." in page
    assert "confirmed it took place" in page
