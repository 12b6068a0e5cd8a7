"""Appointing a recent graduate to an acute inpatient service warns HR to
pair them with an experienced peer worker, and shows who could be the pair."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deployment.models import Appointment, Post
from peerprog.core.models import Service
from tests.core.factories import ServiceFactory
from tests.core.once_helpers import FormClient
from tests.deployment.factories import (
    AppointmentFactory,
    CandidateFactory,
    InterviewFactory,
    PeerPostFactory,
    RecruitmentDayFactory,
    VacancyFactory,
    graduate,
    months_ago,
)

pytestmark = pytest.mark.django_db

PAIR_THEM = "Pair them with a peer worker who has been in post for 12 months or more"


def client_for(user) -> FormClient:
    client = FormClient()
    client.force_login(user)
    return client


def interview_for(programme, *, setting: str, passed_on) -> object:
    service = ServiceFactory(programme=programme, name="Cedar Ward", setting=setting)
    vacancy = VacancyFactory(post=PeerPostFactory(service=service))
    person = graduate(programme, passed_on=passed_on, first_name="Nia", last_name="New")
    return InterviewFactory(
        # The day has been held: its decisions are recorded after it.
        day=RecruitmentDayFactory(
            programme=programme, date=timezone.localdate() - timedelta(days=7)
        ),
        candidate=CandidateFactory(vacancy=vacancy, person=person),
    )


def appoint(client, interview):
    return client.post(
        reverse("deployment:interview-outcome", args=[interview.pk]),
        {"outcome": "appoint", "notes": "", "reserve_months": ""},
        follow=True,
    )


def test_appointing_a_recent_graduate_to_an_acute_ward_warns_and_lists_experienced_pairs(
    programme, hr
):
    interview = interview_for(
        programme, setting=Service.Setting.ACUTE_INPATIENT, passed_on=months_ago(3)
    )
    ward = interview.candidate.vacancy.post.service
    experienced = AppointmentFactory(
        post=PeerPostFactory(service=ward, status=Post.Status.FILLED), start_date=months_ago(18)
    )
    recent = AppointmentFactory(
        post=PeerPostFactory(service=ward, status=Post.Status.FILLED), start_date=months_ago(6)
    )

    response = appoint(client_for(hr), interview)

    page = response.content.decode()
    assert PAIR_THEM in page
    assert "Peer workers in post for 12 months or more" in page
    assert experienced.person.display_name in page
    assert recent.person.display_name not in page
    assert response.redirect_chain[-1][0] == reverse(
        "deployment:appointment-pairing", args=[Appointment.objects.get(interview=interview).pk]
    )


def test_the_decision_form_warns_before_appointing(programme, hr):
    interview = interview_for(
        programme, setting=Service.Setting.ACUTE_INPATIENT, passed_on=months_ago(2)
    )

    page = client_for(hr).get(reverse("deployment:interview-outcome", args=[interview.pk]))

    assert PAIR_THEM in page.content.decode()


def test_no_warning_for_a_community_service(programme, hr):
    interview = interview_for(programme, setting=Service.Setting.COMMUNITY, passed_on=months_ago(2))

    response = appoint(client_for(hr), interview)

    assert PAIR_THEM not in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "deployment:day-detail", args=[interview.day_id]
    )


def test_no_warning_for_someone_who_completed_the_course_more_than_12_months_ago(programme, hr):
    interview = interview_for(
        programme,
        setting=Service.Setting.ACUTE_INPATIENT,
        passed_on=months_ago(12) - timedelta(days=1),
    )

    assert PAIR_THEM not in appoint(client_for(hr), interview).content.decode()


def test_the_periods_and_service_kinds_are_settings(programme, hr, settings):
    settings.PAIRING_SERVICE_SETTINGS = ["rehab_inpatient"]
    settings.PAIRING_NEW_GRADUATE_MONTHS = 24
    settings.PAIRING_EXPERIENCED_MONTHS = 6
    interview = interview_for(
        programme, setting=Service.Setting.REHAB_INPATIENT, passed_on=months_ago(18)
    )

    page = appoint(client_for(hr), interview).content.decode()

    assert "less than 24 months ago" in page
    assert "Peer workers in post for 6 months or more" in page


def test_same_service_pairs_come_first(programme, hr):
    interview = interview_for(
        programme, setting=Service.Setting.ACUTE_INPATIENT, passed_on=timezone.localdate()
    )
    ward = interview.candidate.vacancy.post.service
    elsewhere = AppointmentFactory(
        post=PeerPostFactory(
            service=ServiceFactory(programme=programme, setting=Service.Setting.COMMUNITY),
            status=Post.Status.FILLED,
        ),
        start_date=months_ago(40),
    )
    same = AppointmentFactory(
        post=PeerPostFactory(service=ward, status=Post.Status.FILLED), start_date=months_ago(13)
    )

    page = appoint(client_for(hr), interview).content.decode()

    assert page.index(same.person.display_name) < page.index(elsewhere.person.display_name)
    assert "(same service)" in page
