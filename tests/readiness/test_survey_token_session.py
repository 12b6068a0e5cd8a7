"""A survey link's token leaves the address bar at once: the first visit
exchanges it for the browser's session and sends the respondent to an
address without it, where they answer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from readiness import services
from readiness.models import SurveyAnswer, SurveyRespondent
from tests.core.once_helpers import FormClient
from tests.readiness.factories import small_instrument, survey_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_round(world, lead):
    return survey_round(
        world.programme,
        lead,
        title="Short round",
        instrument=small_instrument(world.programme, lead),
    )


@pytest.fixture
def token(short_round, lead) -> str:
    return services.respondent_links_create(survey_round=short_round, count=1, by=lead)[0]


def _answers(short_round) -> dict[str, str]:
    data = {"stakeholder_group": "service_user", "setting": "community"}
    for question in short_round.questions.all():
        data[f"q{question.pk}_happening"] = "partly"
        data[f"q{question.pk}_importance"] = "4"
    return data


def test_the_first_visit_sends_the_respondent_to_an_address_without_the_token(token):
    client = FormClient()

    response = client.get(reverse("readiness:survey-answer", args=[token]))

    assert response.status_code == 302
    assert token not in response["Location"]
    assert response["Location"] == "/readiness/survey/answer/"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_answers_save_and_no_page_after_the_first_carries_the_token(token, short_round):
    client = FormClient()
    first = client.get(reverse("readiness:survey-answer", args=[token]))
    page = client.get(first["Location"])
    assert page.status_code == 200
    assert token not in page.content.decode()

    saved = client.post(first["Location"], {**_answers(short_round), "save": "1"})
    assert saved.status_code == 302 and token not in saved["Location"]
    again = client.get(saved["Location"])
    assert again.status_code == 200 and token not in again.content.decode()
    sent = client.post(saved["Location"], {**_answers(short_round), "send": "1"})

    assert sent.status_code == 302
    assert sent["Location"] == reverse("readiness:survey-sent")
    respondent = SurveyRespondent.objects.get(round=short_round)
    assert respondent.status == SurveyRespondent.Status.SUBMITTED
    assert SurveyAnswer.objects.filter(respondent=respondent).count() == 2


def test_the_answer_page_without_a_link_in_the_session_says_to_open_the_link(token):
    response = FormClient().get("/readiness/survey/answer/")

    assert response.status_code == 403
    assert "Open the survey from the link you were sent" in response.content.decode()


def test_a_second_browser_with_the_same_link_still_gets_in_before_it_is_sent(token, short_round):
    first, second = FormClient(), FormClient()
    first.get(reverse("readiness:survey-answer", args=[token]))
    second_visit = second.get(reverse("readiness:survey-answer", args=[token]))

    assert second.get(second_visit["Location"]).status_code == 200
    first.post("/readiness/survey/answer/", {**_answers(short_round), "send": "1"})
    assert second.get("/readiness/survey/answer/").status_code == 410
    assert second.get(reverse("readiness:survey-answer", args=[token])).status_code == 410
