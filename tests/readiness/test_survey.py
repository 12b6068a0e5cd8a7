"""The organisational-conditions survey: item versions, respondent links
(single use, expiry, tampering), anonymity under 5, and the results'
arithmetic on a small known data set."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import Organisation
from readiness import results as survey_results
from readiness import services
from readiness.models import Happening, SurveyAnswer, SurveyRespondent
from readiness.services.survey import token_hash
from tests.core.factories import OrganisationFactory
from tests.core.once_helpers import FormClient
from tests.readiness.factories import respondent, small_instrument, survey_round

pytestmark = pytest.mark.django_db


LINK = re.compile(r"^/readiness/survey/(?!(?:sent|answer)/)[^/]+/$")


class _Browser(FormClient):
    """A browser that opens survey links as a person does: the link is
    exchanged for the session, and the answer page is used from then on. A
    link that no longer works answers with its own refusal."""

    def _through_link(self, path: str) -> tuple[str, Any]:
        if not LINK.match(path):
            return path, None
        opened = Client.get(self, path)
        if opened.status_code != 302:
            return path, opened
        return opened["Location"], None

    def get(self, path: str, *args: Any, **kwargs: Any) -> Any:
        path, refused = self._through_link(path)
        return refused or super().get(path, *args, **kwargs)

    def post(self, path: str, *args: Any, **kwargs: Any) -> Any:
        path, refused = self._through_link(path)
        return refused or super().post(path, *args, **kwargs)


def _client(user=None) -> Client:
    client = _Browser()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def short_round(world, lead):
    return survey_round(
        world.programme,
        lead,
        title="Short round",
        instrument=small_instrument(world.programme, lead),
    )


def _link(short_round, lead) -> tuple[str, str]:
    token = services.respondent_links_create(survey_round=short_round, count=1, by=lead)[0]
    return token, reverse("readiness:survey-answer", args=[token])


def _full_answers(short_round, **about) -> dict[str, str]:
    data = {"stakeholder_group": "service_user", "setting": "community", **about}
    for question in short_round.questions.all():
        data[f"q{question.pk}_happening"] = "partly"
        data[f"q{question.pk}_importance"] = "4"
    return data


# Item versions -----------------------------------------------------------------


def test_a_round_keeps_the_wording_it_asked_after_the_item_is_reworded(world, lead, short_round):
    question = short_round.questions.get(number=1)
    item = question.item

    services.item_update(
        item=item, wording="Condition one is fully in place.", is_active=True, by=lead
    )
    later = survey_round(
        world.programme, lead, title="Later round", instrument=short_round.instrument
    )

    question.refresh_from_db()
    assert question.item_version.wording == "Condition 1 is in place."
    assert question.item_version.number == 1
    assert later.questions.get(item=item).item_version.wording == "Condition one is fully in place."
    assert later.questions.get(item=item).item_version.number == 2
    assert list(item.versions.values_list("number", flat=True)) == [1, 2]


def test_keeping_the_same_wording_makes_no_new_version(world, lead, short_round):
    item = short_round.questions.get(number=1).item

    services.item_update(item=item, wording=item.wording, is_active=False, by=lead)

    item.refresh_from_db()
    assert item.version == 1 and not item.is_active


def test_an_item_no_longer_asked_is_left_out_of_new_rounds(world, lead, short_round):
    item = short_round.questions.get(number=2).item
    services.item_update(item=item, wording=item.wording, is_active=False, by=lead)

    later = survey_round(world.programme, lead, title="Later", instrument=short_round.instrument)

    assert later.questions.count() == 1


def test_the_suggested_instrument_has_six_domains_in_our_own_words(world, lead):
    from tests.core.factories import ProgrammeFactory

    made = services.instrument_ensure_default(programme=ProgrammeFactory(), by=lead)

    titles = list(made.domains.values_list("title", flat=True))
    assert len(titles) == 6
    wording = " ".join(made.domains.values_list("items__wording", flat=True))
    for condition in (
        "paid the same",
        "promotion",
        "communities",
        "shares an understanding",
        "teams that receive peer workers are trained",
        "supervision",
    ):
        assert condition in wording.replace("\n", " ")


# Links ---------------------------------------------------------------------------


def test_only_a_hash_of_the_token_is_stored(world, lead, short_round):
    token, _ = _link(short_round, lead)

    stored = SurveyRespondent.objects.get(round=short_round)
    assert stored.token_hash == token_hash(token=token)
    assert token not in stored.token_hash


def test_a_respondent_saves_a_draft_and_comes_back_with_the_same_link(world, lead, short_round):
    _token, url = _link(short_round, lead)
    first = short_round.questions.get(number=1)
    client = _client()

    response = client.post(
        url,
        {"stakeholder_group": "peer_worker", f"q{first.pk}_happening": "no", "save": "1"},
        follow=True,
    )

    assert "Your answers are saved" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    again = _client().get(url)
    assert again.status_code == 200
    assert 'value="no" checked' in again.content.decode()
    assert SurveyRespondent.objects.get(round=short_round).status == "draft"


def test_a_sent_link_cannot_be_used_again(world, lead, short_round):
    _token, url = _link(short_round, lead)
    client = _client()

    sent = client.post(url, {**_full_answers(short_round), "send": "1"})
    assert sent.status_code == 302 and sent["Location"] == reverse("readiness:survey-sent")

    again = client.get(url)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    resend = client.post(url, {**_full_answers(short_round, setting="other"), "send": "1"})
    assert resend.status_code == 410
    assert SurveyRespondent.objects.get(round=short_round).setting == "community"


def test_a_link_expires_after_the_rounds_closing_date(world, lead, short_round):
    _token, url = _link(short_round, lead)
    short_round.closes_on = timezone.localdate() - timedelta(days=1)
    short_round.opens_on = timezone.localdate() - timedelta(days=10)
    short_round.save()

    response = _client().post(url, {**_full_answers(short_round), "send": "1"})

    assert response.status_code == 410
    assert "This survey closed on" in response.content.decode()
    assert not SurveyAnswer.objects.filter(respondent__round=short_round).exists()


def test_a_link_stops_working_when_the_round_is_closed_early(world, lead, short_round):
    _token, url = _link(short_round, lead)
    services.round_close(survey_round=short_round, by=lead)

    assert _client().get(url).status_code == 410


def test_an_unknown_link_says_nothing_about_other_links(world, lead, short_round):
    _link(short_round, lead)

    response = _client().get(reverse("readiness:survey-answer", args=["x" * 43]))

    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_repeated_unknown_links_from_one_address_are_made_to_wait(world, lead, short_round):
    from readiness.views.survey_answer import FAILED_LINK_LIMIT

    _token, url = _link(short_round, lead)
    client = _client()
    for number in range(FAILED_LINK_LIMIT):
        client.get(reverse("readiness:survey-answer", args=[f"guess{number}"]))

    assert client.get(url).status_code == 429


def test_a_tampered_question_id_saves_nothing(world, lead, short_round):
    _token, url = _link(short_round, lead)
    other = survey_round(
        world.programme, lead, title="Other round", instrument=short_round.instrument
    )
    foreign = other.questions.get(number=1)
    data = {**_full_answers(short_round), f"q{foreign.pk}_happening": "yes", "send": "1"}

    response = _client().post(url, data)

    assert response.status_code == 200
    assert "did not match this survey" in response.content.decode()
    assert (
        not SurveyAnswer.objects.exists()
        or not SurveyAnswer.objects.filter(respondent__round=short_round).exists()
    )
    assert SurveyRespondent.objects.get(round=short_round).status == "not_started"


def test_an_answer_outside_the_scale_saves_nothing(world, lead, short_round):
    _token, url = _link(short_round, lead)
    first = short_round.questions.get(number=1)
    data = {**_full_answers(short_round), f"q{first.pk}_importance": "5", "save": "1"}

    response = _client().post(url, data)

    assert response.status_code == 200
    assert "Choose an importance from 1 to 4." in response.content.decode()
    assert not SurveyAnswer.objects.filter(respondent__round=short_round).exists()


def test_an_unknown_happening_answer_saves_nothing(world, lead, short_round):
    _token, url = _link(short_round, lead)
    first = short_round.questions.get(number=1)
    data = {**_full_answers(short_round), f"q{first.pk}_happening": "maybe", "send": "1"}

    response = _client().post(url, data)

    assert "Choose one of the answers listed." in response.content.decode()
    assert SurveyRespondent.objects.get(round=short_round).status == "not_started"


def test_sending_needs_every_question_answered(world, lead, short_round):
    _token, url = _link(short_round, lead)
    first = short_round.questions.get(number=1)
    data = _full_answers(short_round)
    del data[f"q{first.pk}_importance"]

    response = _client().post(url, {**data, "send": "1"})

    assert "Question 1: say how important this is to you." in response.content.decode()
    assert SurveyRespondent.objects.get(round=short_round).status == "not_started"


def test_an_invited_mentor_answers_by_their_link_but_cannot_open_staff_pages(
    world, lead, short_round, django_capture_on_commit_callbacks
):
    mentor = world.users["mentor"]
    with django_capture_on_commit_callbacks(execute=True):
        count = services.respondents_invite_staff(
            survey_round=short_round,
            users=[mentor],
            by=lead,
            link_for=lambda token: f"https://peerprog.example/readiness/survey/{token}/",
        )

    assert count == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [mentor.email]
    link = mail.outbox[0].body.split("do not share it): ")[1].split()[0]
    path = link.replace("https://peerprog.example", "")
    client = _client(mentor)
    assert client.get(path).status_code == 200
    assert client.get(reverse("readiness:round-results", args=[short_round.pk])).status_code == 403
    assert (
        services.respondents_invite_staff(
            survey_round=short_round, users=[mentor], by=lead, link_for=str
        )
        == 0
    )


def test_links_are_shown_once_and_work(world, lead, short_round):
    response = _client(lead).post(
        reverse("readiness:round-links", args=[short_round.pk]), {"count": "3"}
    )

    assert response.status_code == 200
    text = response.content.decode()
    links = [line for line in text.split() if "/readiness/survey/" in line]
    assert len(links) == 3
    assert SurveyRespondent.objects.filter(round=short_round).count() == 3
    path = links[0][links[0].index("/readiness/survey/") :]
    assert _client().get(path).status_code == 200


def test_survey_tokens_are_kept_out_of_logged_paths():
    from readiness.log_filters import redact

    assert redact("Not Found: /deployment/survey/abcDEF123_-xyz/") == (
        "Not Found: /deployment/survey/[link]/"
    )
    assert redact("/deployment/survey/sent/") == "/deployment/survey/sent/"


def test_survey_tokens_at_the_new_address_are_kept_out_of_logged_paths():
    from readiness.log_filters import redact

    assert redact("Not Found: /readiness/survey/abcDEF123_-xyz/") == (
        "Not Found: /readiness/survey/[link]/"
    )
    assert redact("/readiness/survey/sent/") == "/readiness/survey/sent/"
    assert redact("/readiness/surveys/rounds/4/") == "/readiness/surveys/rounds/4/"


def test_an_old_survey_link_redirects_permanently_to_the_new_address(world, lead, short_round):
    token, new_url = _link(short_round, lead)

    response = _client().get(f"/deployment/survey/{token}/")

    assert response.status_code == 301
    assert response["Location"] == new_url == f"/readiness/survey/{token}/"
    assert response["Cache-Control"] == "no-store"
    assert _client().get(response["Location"]).status_code == 200


def test_answers_sent_to_an_old_survey_link_keep_their_method(world, lead, short_round):
    token, new_url = _link(short_round, lead)

    response = _client().post(f"/deployment/survey/{token}/", _full_answers(short_round))

    assert response.status_code == 308
    assert response["Location"] == new_url


def test_old_staff_addresses_redirect_with_their_query_string(world, lead, short_round):
    response = _client(lead).get(
        f"/deployment/surveys/rounds/{short_round.pk}/results/export/?format=csv"
    )

    assert response.status_code == 301
    assert response["Location"] == (
        reverse("readiness:round-results-export", args=[short_round.pk]) + "?format=csv"
    )


# Results -----------------------------------------------------------------------


@pytest.fixture
def known(world, lead, short_round):
    """Six peer workers, five service users and two commissioners."""
    nhs = world.programme.lead_organisation
    voluntary = OrganisationFactory(name="Test Mind", kind=Organisation.Kind.VOLUNTARY)
    world.programme.partner_organisations.add(voluntary)
    for happening, importance in [
        ("yes", 4),
        ("yes", 4),
        ("partly", 3),
        ("no", 4),
        ("no", 2),
        ("dont_know", 1),
    ]:
        respondent(
            short_round,
            group="peer_worker",
            setting="acute_inpatient",
            organisation=nhs,
            answers={1: (happening, importance), 2: ("no", 4)},
        )
    for _ in range(5):
        respondent(
            short_round,
            group="service_user",
            setting="community",
            organisation=voluntary,
            answers={1: ("yes", 3), 2: ("no", 4)},
        )
    for _ in range(2):
        respondent(
            short_round,
            group="commissioner",
            setting="other",
            answers={1: ("no", 1), 2: ("no", 4)},
        )
    # A draft is never counted.
    respondent(
        short_round, group="line_manager", answers={1: ("yes", 4), 2: ("yes", 4)}, sent=False
    )
    return short_round


def test_proportions_and_mean_importance_on_a_known_data_set(known):
    results = survey_results.round_results(survey_round=known)

    assert results.respondents == 13
    first = results.items[0].tally
    assert first.answered == 13
    assert first.counts == {"yes": 7, "partly": 1, "no": 4, "dont_know": 1}
    assert first.percent(Happening.YES) == pytest.approx(100 * 7 / 13)
    assert first.percent(Happening.NOT_RELEVANT) == 0
    assert first.mean_importance == pytest.approx(35 / 13)
    assert first.importance_n == 13
    assert first.happening_score == pytest.approx(7.5 / 12)
    assert first.gap == pytest.approx(35 / 13 * (1 - 7.5 / 12))


def test_the_top_gap_is_the_important_item_that_is_not_happening(known):
    gaps = survey_results.round_results(survey_round=known).gaps

    assert [item.question.number for item in gaps] == [2, 1]
    assert gaps[0].tally.gap == pytest.approx(4.0)


def test_groups_under_five_are_suppressed_in_the_comparison(known):
    comparison = survey_results.comparison(survey_round=known, dimension="group")

    columns = {column.key: column for column in comparison.columns}
    assert columns["peer_worker"].respondents == 6
    assert columns["commissioner"].suppressed
    assert columns["line_manager"].respondents == 0
    _question, cells = comparison.rows[0]
    by_key = dict(zip([c.key for c in comparison.columns], cells, strict=True))
    assert by_key["peer_worker"].percent(Happening.YES) == pytest.approx(100 * 2 / 6)
    assert by_key["peer_worker"].mean_importance == pytest.approx(18 / 6)
    assert by_key["service_user"].percent(Happening.YES) == 100
    assert by_key["commissioner"] is None


def test_comparison_by_organisation_type(known):
    comparison = survey_results.comparison(survey_round=known, dimension="organisation")

    columns = {column.key: column.respondents for column in comparison.columns}
    assert columns["nhs_trust"] == 6
    assert columns["voluntary"] == 5
    assert columns[""] == 2
    assert columns["partnership"] == 0


def test_the_results_page_suppresses_small_groups_and_never_shows_one_answer(known, lead):
    response = _client(lead).get(reverse("readiness:round-results", args=[known.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "From 13 responses sent" in text
    assert 'Commissioner <span class="fw-normal">(fewer than 5)' in text
    assert "Gaps to work on" in text
    assert "<svg" in text


def test_a_round_with_fewer_than_five_responses_shows_no_figures(world, lead, short_round):
    for _ in range(4):
        respondent(short_round)

    response = _client(lead).get(reverse("readiness:round-results", args=[short_round.pk]))

    text = response.content.decode()
    assert "Fewer than 5 people have sent their answers" in text
    assert "Gaps to work on" not in text
    export = _client(lead).get(
        reverse("readiness:round-results-export", args=[short_round.pk]) + "?format=csv"
    )
    body = b"".join(export.streaming_content).decode()
    assert "fewer than 5" in body


def test_two_rounds_side_by_side_show_the_change(world, lead, known):
    later = survey_round(world.programme, lead, title="Autumn round", instrument=known.instrument)
    for _ in range(5):
        respondent(later, answers={1: ("yes", 4), 2: ("partly", 4)})

    rows = survey_results.change_between(survey_round=later, earlier=known)

    assert rows[0].yes_change == pytest.approx(100 - 100 * 7 / 13)
    assert rows[1].yes_change == 0
    response = _client(lead).get(
        reverse("readiness:round-results", args=[later.pk]) + f"?against={known.pk}"
    )
    assert "side by side" in response.content.decode()


def test_the_export_gives_one_row_per_question(known, world):
    hr = world.users["hr"]
    response = _client(hr).get(
        reverse("readiness:round-results-export", args=[known.pk]) + "?format=csv"
    )

    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert len(lines) == 3
    assert lines[1].startswith(
        "1,Support,Condition 1 is in place.,1,13,53.8,7.7,30.8,7.7,0.0,2.69,13,1.01"
    )


def test_the_results_page_costs_the_same_queries_at_two_sizes(world, lead, known):
    client = _client(lead)
    url = reverse("readiness:round-results", args=[known.pk]) + "?compare=setting"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for _ in range(20):
        respondent(known, group="line_manager", setting="community")
    assert count() == before


def test_a_refused_link_is_logged_without_its_token(world, caplog):
    import logging

    token = "SecretToken1234567890abcdefghijklmnopqrstu"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = _client().get(reverse("readiness:survey-answer", args=[token]))

    assert response.status_code == 404
    assert "/readiness/survey/[link]/" in caplog.text
    assert token not in caplog.text
    assert token not in caplog.text
