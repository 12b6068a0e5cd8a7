"""Assigning mentors: warnings the lead must accept, reassignment history,
one active mentor per trainee."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import Role
from supervision import services
from supervision.models import MentorAssignment
from tests.core.factories import UserFactory
from tests.supervision.factories import assign, lead_of, leave, mentor
from tests.training.factories import CohortFactory, enrol


@pytest.fixture
def cohort(programme):
    return CohortFactory(programme=programme, name="Cohort 2")


@pytest.fixture
def lead(programme):
    return lead_of(programme)


@pytest.fixture
def trainee(cohort):
    return enrol(cohort, first_name="Ada", last_name="Okoro")


def test_a_trained_mentor_with_room_is_assigned_without_warnings(trainee, lead, programme):
    grace = mentor(programme, "Grace Okafor", capacity=2)

    assignment = services.mentor_assign(enrolment=trainee, mentor=grace, by=lead)

    assert assignment.mentor == grace
    assert assignment.is_active
    assert assignment.warnings_accepted == ""


def test_a_mentor_at_capacity_is_warned_about(trainee, lead, cohort, programme):
    grace = mentor(programme, "Grace Okafor", capacity=1)
    assign(enrol(cohort), grace)

    with pytest.raises(services.MentorWarnings) as warned:
        services.mentor_assign(enrolment=trainee, mentor=grace, by=lead)

    assert warned.value.warnings == [
        "Grace Okafor already mentors 1 trainee and can take 1: this would put them over capacity."
    ]
    assert not MentorAssignment.objects.filter(enrolment=trainee).exists()


def test_a_mentor_without_preparatory_training_is_warned_about(trainee, lead, programme):
    grace = mentor(programme, "Grace Okafor", preparatory_training_on=None)

    with pytest.raises(services.MentorWarnings) as warned:
        services.mentor_assign(enrolment=trainee, mentor=grace, by=lead)

    assert warned.value.warnings == [
        "Grace Okafor has not attended the preparatory training for mentors."
    ]


def test_a_mentor_without_a_profile_is_warned_about(trainee, lead, programme):
    newcomer = UserFactory(programme=programme, roles=[Role.MENTOR], full_name="Sam New")

    with pytest.raises(services.MentorWarnings) as warned:
        services.mentor_assign(enrolment=trainee, mentor=newcomer, by=lead)

    assert "Sam New has no mentor profile yet" in warned.value.warnings[0]


def test_accepted_warnings_are_kept_on_the_assignment(trainee, lead, programme):
    grace = mentor(programme, "Grace Okafor", preparatory_training_on=None, is_active=False)

    assignment = services.mentor_assign(
        enrolment=trainee, mentor=grace, by=lead, accept_warnings=True
    )

    assert assignment.warnings_accepted.splitlines() == [
        "Grace Okafor is marked as not taking trainees at the moment.",
        "Grace Okafor has not attended the preparatory training for mentors.",
    ]


def test_reassignment_ends_the_current_mentoring_and_keeps_it(trainee, lead, programme):
    grace = mentor(programme, "Grace Okafor")
    daniel = mentor(programme, "Daniel Hughes")
    start = timezone.localdate() - timedelta(days=20)
    first = services.mentor_assign(enrolment=trainee, mentor=grace, by=lead, on=start)

    second = services.mentor_assign(
        enrolment=trainee, mentor=daniel, by=lead, reason="Grace moved to another site"
    )

    first.refresh_from_db()
    assert first.ended_on == timezone.localdate()
    assert first.end_reason == "Grace moved to another site"
    assert second.started_on == timezone.localdate()
    assert list(
        MentorAssignment.objects.filter(enrolment=trainee).values_list(
            "mentor__full_name", "ended_on"
        )
    ) == [("Daniel Hughes", None), ("Grace Okafor", timezone.localdate())]


def test_the_same_mentor_cannot_be_assigned_twice(trainee, lead, programme):
    grace = mentor(programme, "Grace Okafor")
    services.mentor_assign(enrolment=trainee, mentor=grace, by=lead)

    with pytest.raises(services.MentoringRefused, match="already Ada Okoro's mentor"):
        services.mentor_assign(enrolment=trainee, mentor=grace, by=lead)


def test_the_database_allows_one_active_mentor_per_trainee(trainee, lead, programme):
    grace = mentor(programme, "Grace Okafor")
    daniel = mentor(programme, "Daniel Hughes")
    services.mentor_assign(enrolment=trainee, mentor=grace, by=lead)

    with pytest.raises(IntegrityError), transaction.atomic():
        MentorAssignment.objects.create(enrolment=trainee, mentor=daniel, assigned_by=lead)


def test_a_trainee_who_left_gets_no_mentor(trainee, lead, programme):
    leave(trainee)

    with pytest.raises(services.MentoringRefused, match="has left the course"):
        services.mentor_assign(enrolment=trainee, mentor=mentor(programme), by=lead)


def test_a_mentor_of_another_programme_cannot_be_assigned(trainee, lead, other_programme):
    with pytest.raises(services.MentoringRefused, match="mentor of this programme"):
        services.mentor_assign(
            enrolment=trainee, mentor=mentor(other_programme), by=lead, accept_warnings=True
        )


def test_ending_a_mentoring_keeps_it_as_history(trainee, lead, programme):
    assignment = assign(trainee, mentor(programme), by=lead)

    services.mentor_assignment_end(assignment=assignment, by=lead, reason="Left the course")

    assignment.refresh_from_db()
    assert assignment.ended_on == timezone.localdate()
    assert assignment.end_reason == "Left the course"


# The assignment page


def _assign_page(client, trainee):
    return reverse("supervision:mentor-assign", args=[trainee.pk])


def test_the_lead_sees_the_warnings_and_confirms(client, trainee, lead, programme):
    grace = mentor(programme, "Grace Okafor", preparatory_training_on=None)
    client.force_login(lead)
    url = _assign_page(client, trainee)

    warned = client.post(url, {"mentor": grace.pk})

    assert warned.status_code == 200
    assert "has not attended the preparatory training" in warned.content.decode()
    assert "I have read the warnings" in warned.content.decode()
    assert not MentorAssignment.objects.exists()

    confirmed = client.post(url, {"mentor": grace.pk, "accept_warnings": "on"})

    assert confirmed.status_code == 302
    assert MentorAssignment.objects.get().mentor == grace


def test_the_assignment_page_lists_each_mentors_background_load_and_capacity(
    client, trainee, lead, cohort, programme
):
    grace = mentor(programme, "Grace Okafor", capacity=3)
    assign(enrol(cohort), grace)
    client.force_login(lead)

    page = client.get(_assign_page(client, trainee)).content.decode()

    assert "Grace Okafor (Clinical; mentors 1 of 3)" in page


def test_the_lead_sees_the_history_on_the_trainees_page(client, trainee, lead, programme):
    grace = mentor(programme, "Grace Okafor")
    daniel = mentor(programme, "Daniel Hughes")
    assign(trainee, grace, by=lead, on=timezone.localdate() - timedelta(days=3))
    services.mentor_assign(enrolment=trainee, mentor=daniel, by=lead, reason="Shift pattern")
    client.force_login(lead)

    page = client.get(reverse("supervision:mentee", args=[trainee.pk])).content.decode()

    assert "Mentors over time" in page
    assert "Shift pattern" in page
    assert "Grace Okafor" in page and "Daniel Hughes" in page
