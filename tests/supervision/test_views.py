"""The object rule: a mentor reaches only the trainees they mentor now.
Every object URL tried as the wrong mentor and as a former mentor is a 404;
list pages never show other mentors' trainees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import MentorMeeting
from tests.supervision.factories import assign, lead_of, log_meeting, mentor
from tests.training.factories import CohortFactory, enrol


@pytest.fixture
def setting(programme):
    cohort = CohortFactory(programme=programme, name="Cohort 2")
    ada = enrol(cohort, first_name="Ada", last_name="Okoro")
    ben = enrol(cohort, first_name="Ben", last_name="Shaw")
    grace = mentor(programme, "Grace Okafor")
    daniel = mentor(programme, "Daniel Hughes")
    assign(ada, grace)
    assign(ben, daniel)
    meeting = log_meeting(ada, grace, timezone.localdate(), notes="Private words")
    return {"ada": ada, "ben": ben, "grace": grace, "daniel": daniel, "meeting": meeting}


def _object_urls(setting):
    ada, meeting = setting["ada"], setting["meeting"]
    return [
        reverse("supervision:mentee", args=[ada.pk]),
        reverse("supervision:meeting-create", args=[ada.pk]),
        reverse("supervision:meeting-edit", args=[meeting.pk]),
    ]


def test_every_object_url_is_not_found_for_the_wrong_mentor(client, setting):
    client.force_login(setting["daniel"])

    for url in _object_urls(setting):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"minutes": "30"}).status_code == 404, url
    assert MentorMeeting.objects.count() == 1


def test_every_object_url_is_not_found_for_a_former_mentor(client, setting, programme):
    assign(setting["ada"], mentor(programme, "Sam New"))
    client.force_login(setting["grace"])

    for url in _object_urls(setting):
        assert client.get(url).status_code == 404, url


def test_the_lead_only_pages_are_forbidden_to_mentors(client, setting):
    client.force_login(setting["grace"])
    ada = setting["ada"]
    assignment = ada.mentor_assignments.get()
    urls = [
        reverse("supervision:mentoring"),
        reverse("supervision:mentors"),
        reverse("supervision:cohort", args=[ada.cohort_id]),
        reverse("supervision:cohort-settings", args=[ada.cohort_id]),
        reverse("supervision:mentor-assign", args=[ada.pk]),
        reverse("supervision:assignment-end", args=[assignment.pk]),
        reverse("supervision:mentor-profile", args=[setting["grace"].pk]),
    ]

    for url in urls:
        assert client.get(url).status_code == 403, url


def test_the_mentors_page_shows_only_their_own_mentees(client, setting):
    client.force_login(setting["grace"])

    page = client.get(reverse("supervision:my-mentees")).content.decode()

    assert "Ada Okoro" in page
    assert "Ben Shaw" not in page


def test_the_mentors_page_shows_attendance_and_portfolio_state(client, setting):
    from tests.training.factories import past_session
    from training import services as training_services

    ada = setting["ada"]
    session = past_session(ada.cohort, days_ago=3)
    training_services.attendance_record(
        session=session,
        marks={ada.pk: "present", setting["ben"].pk: "absent"},
        by=lead_of(ada.cohort.programme),
    )
    client.force_login(setting["grace"])

    page = client.get(reverse("supervision:my-mentees")).content.decode()

    assert "100%" in page
    assert "No draft yet" in page
    assert "1 of 3 meetings" in page


def test_the_lead_sees_the_cohort_summary(client, setting, programme):
    client.force_login(lead_of(programme))
    ada = setting["ada"]

    response = client.get(reverse("supervision:cohort", args=[ada.cohort_id]))

    summary = response.context["summary"]
    assert summary.mentors == 2
    assert summary.mentors_with_several == 0
    assert [row.mentor.full_name for row in summary.rows] == ["Grace Okafor", "Daniel Hughes"]


def test_a_mentor_with_two_trainees_is_counted_in_the_summary(client, setting, programme):
    third = enrol(setting["ada"].cohort, first_name="Cara", last_name="Wynn")
    assign(third, setting["grace"])
    client.force_login(lead_of(programme))

    response = client.get(reverse("supervision:mentoring"))

    (summary,) = response.context["summaries"]
    assert (summary.mentors, summary.mentors_with_several) == (2, 1)


def test_the_lead_changes_the_cohorts_minimum(client, setting, programme):
    cohort = setting["ada"].cohort
    client.force_login(lead_of(programme))

    response = client.post(
        reverse("supervision:cohort-settings", args=[cohort.pk]), {"minimum_meetings": "4"}
    )

    assert response.status_code == 302
    cohort.mentoring.refresh_from_db()
    assert cohort.mentoring.minimum_meetings == 4


def test_the_lead_sets_up_a_mentor_profile(client, programme):
    from peerprog.core.models import Role
    from tests.core.factories import UserFactory

    newcomer = UserFactory(programme=programme, roles=[Role.MENTOR], full_name="Sam New")
    client.force_login(lead_of(programme))

    response = client.post(
        reverse("supervision:mentor-profile", args=[newcomer.pk]),
        {
            "background": "management",
            "preparatory_training_on": (timezone.localdate() - timedelta(days=9)).isoformat(),
            "capacity": "2",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert newcomer.mentor_profile.background == "management"
    assert newcomer.mentor_profile.capacity == 2
