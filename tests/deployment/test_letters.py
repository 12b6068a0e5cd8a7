"""Recruitment-day outcome letters from editable wording."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from deployment import services
from deployment.services import DeploymentError
from peerprog.core import letters
from peerprog.core.letters import LetterError
from peerprog.core.models import Letter
from tests.core.factories import PersonFactory, ServiceFactory
from tests.deployment.factories import (
    CandidateFactory,
    InterviewFactory,
    PeerPostFactory,
    RecruitmentDayFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(programme):
    post = PeerPostFactory(
        service=ServiceFactory(programme=programme, name="Rowan House"),
        job_title="Lived Experience Practitioner",
    )
    person = PersonFactory(programme=programme, first_name="Aisha", preferred_name="Ash")
    return InterviewFactory(
        day=RecruitmentDayFactory(programme=programme, date=date(2026, 5, 12)),
        candidate=CandidateFactory(vacancy=VacancyFactory(post=post), person=person),
        notes="Spoke about a hospital stay",
    )


def test_an_offer_letter_names_the_post_and_never_the_panels_notes(interview, hr):
    services.interview_record_outcome(
        interview=interview, outcome="appoint", notes=interview.notes, by=hr
    )

    letter = services.interview_letter_issue(interview=interview, by=hr)

    assert letter.kind == "deployment.appoint"
    assert "Dear Ash" in letter.body
    assert "Lived Experience Practitioner with Rowan House" in letter.body
    assert "12 May 2026" in letter.body
    assert "hospital" not in letter.body


def test_a_reserve_letter_says_how_long_the_place_stands(interview, hr):
    services.interview_record_outcome(
        interview=interview, outcome="reserve", reserve_months=6, by=hr
    )

    letter = services.interview_letter_issue(interview=interview, by=hr)

    assert "reserve list until 12 November 2026" in letter.body


def test_a_letter_is_issued_once_per_decision(interview, hr):
    services.interview_record_outcome(interview=interview, outcome="not_appointed", by=hr)
    services.interview_letter_issue(interview=interview, by=hr)

    with pytest.raises(LetterError, match="already been issued"):
        services.interview_letter_issue(interview=interview, by=hr)


def test_no_letter_before_the_decision(interview, hr):
    with pytest.raises(DeploymentError, match="Record the panel's decision"):
        services.interview_letter_issue(interview=interview, by=hr)


def test_someone_who_has_not_agreed_to_email_gets_a_letter_to_post(interview, hr):
    services.interview_record_outcome(interview=interview, outcome="not_appointed", by=hr)

    letter = services.interview_letter_issue(interview=interview, by=hr)

    assert letter.channel == Letter.Channel.POST
    assert letter.status == Letter.Status.TO_POST


def test_hr_reword_a_letter_and_the_next_one_uses_it(interview, hr, programme):
    letters.letter_template_update(
        programme=programme,
        kind="deployment.not_appointed",
        subject="About {{ job_title }}",
        body="Hello {{ preferred_name }}, thank you.",
        by=hr,
    )
    services.interview_record_outcome(interview=interview, outcome="not_appointed", by=hr)

    letter = services.interview_letter_issue(interview=interview, by=hr)

    assert letter.subject == "About Lived Experience Practitioner"
    assert letter.body == "Hello Ash, thank you.\n"


def test_a_placeholder_outside_the_letters_list_is_refused(hr):
    client = Client()
    client.force_login(hr)

    response = client.post(
        reverse("deployment:letter-template-edit", args=["deployment.appoint"]),
        {"subject": "Offer", "body": "Dear {{ preferred_name }}, {{ disability_details }}"},
    )

    assert response.status_code == 200
    assert "cannot be used in this letter" in response.content.decode()


def test_the_day_page_offers_the_letter_then_links_to_it(interview, hr):
    client = Client()
    client.force_login(hr)
    services.interview_record_outcome(interview=interview, outcome="reserve", by=hr)
    day_url = reverse("deployment:day-detail", args=[interview.day_id])

    assert "Issue the outcome letter" in client.get(day_url).content.decode()
    response = client.post(reverse("deployment:interview-letter", args=[interview.pk]))
    assert response.status_code == 302
    assert "Letter issued" in client.get(day_url).content.decode()
