"""A trainee's own portfolio: handing in drafts and the final portfolio,
reading released feedback and the decision, and nobody else's records."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerprog.core.models import Notification, User
from selfservice.portfolio_page import own_portfolio_enrolment
from tests.conftest import World
from tests.core.once_helpers import FormClient
from tests.selfservice.world import people_world
from tests.training.factories import mark, pdf_bytes, upload
from training import services
from training.models import Enrolment, PortfolioDraft, PortfolioSubmission
from training.selectors.trainee_portfolio import own_enrolment, trainee_portfolio

pytestmark = pytest.mark.django_db

FEEDBACK = "Your reflection on the first placement week is honest and clear."


@pytest.fixture(scope="module")
def people(module_world: World, django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        return people_world(module_world)


@pytest.fixture
def trainee(module_world: World) -> User:
    return module_world.users["trainee"]


@pytest.fixture
def enrolment(people: dict[str, Any]) -> Enrolment:
    return people["trainee_enrolment"]


def _client(user: User) -> FormClient:
    client = FormClient()
    client.force_login(user)
    return client


def _page(enrolment: Enrolment) -> str:
    return reverse("selfservice:portfolio", kwargs={"pk": enrolment.pk})


def _hand_in_draft(client: FormClient, enrolment: Enrolment, content: bytes | None = None) -> Any:
    file = SimpleUploadedFile("my draft.pdf", pdf_bytes() if content is None else content)
    return client.post(
        reverse("selfservice:portfolio-draft-create", kwargs={"pk": enrolment.pk}),
        {"draft-file": file},
        follow=True,
    )


def _hand_in_final(client: FormClient, enrolment: Enrolment) -> Any:
    return client.post(
        reverse("selfservice:portfolio-submission-create", kwargs={"pk": enrolment.pk}),
        {"final-file": SimpleUploadedFile("final.pdf", pdf_bytes()), "final-confirm": "on"},
        follow=True,
    )


# Handing in


def test_trainee_hands_in_a_draft_and_the_history_names_them(trainee, enrolment):
    response = _hand_in_draft(_client(trainee), enrolment)

    assert response.status_code == 200
    assert "Your draft has been handed in." in response.content.decode()
    draft = PortfolioDraft.objects.get(enrolment=enrolment)
    assert draft.recorded_by == trainee
    assert draft.history.get().history_user == trainee
    assert draft.file_name == "my draft.pdf"


def test_the_draft_form_is_on_the_portfolio_page_with_its_one_time_token(trainee, enrolment):
    html = _client(trainee).get(_page(enrolment)).content.decode()

    draft_url = reverse("selfservice:portfolio-draft-create", kwargs={"pk": enrolment.pk})
    assert f'action="{draft_url}"' in html
    assert 'name="once_token"' in html
    assert 'name="draft-file"' in html


def test_a_file_that_is_not_a_document_is_refused_with_the_message(trainee, enrolment):
    response = _hand_in_draft(_client(trainee), enrolment, content=b"just some text")

    assert response.status_code == 200
    assert "This file is not a PDF, DOCX or ODT document." in response.content.decode()
    assert not PortfolioDraft.objects.filter(enrolment=enrolment).exists()


def test_a_word_file_with_macros_is_refused(trainee, enrolment):
    from tests.training.factories import docx_bytes

    response = _hand_in_draft(_client(trainee), enrolment, content=docx_bytes(macros=True))

    assert "This file is not a PDF, DOCX or ODT document." in response.content.decode()
    assert not PortfolioDraft.objects.filter(enrolment=enrolment).exists()


def test_trainee_hands_in_the_final_portfolio_to_both_assessors(trainee, enrolment):
    response = _hand_in_final(_client(trainee), enrolment)

    assert "sent to the two assessors" in response.content.decode()
    submission = PortfolioSubmission.objects.get(enrolment=enrolment)
    assert submission.recorded_by == trainee
    assert submission.history.get().history_user == trainee
    assert submission.assessments.count() == 2


def test_the_final_portfolio_cannot_be_handed_in_twice(trainee, enrolment):
    client = _client(trainee)
    _hand_in_final(client, enrolment)

    response = _hand_in_final(client, enrolment)

    assert "Your final portfolio has been handed in. It cannot be replaced." in (
        response.content.decode()
    )
    assert PortfolioSubmission.objects.filter(enrolment=enrolment).count() == 1


def test_the_final_portfolio_needs_the_confirmation(trainee, enrolment):
    response = _client(trainee).post(
        reverse("selfservice:portfolio-submission-create", kwargs={"pk": enrolment.pk}),
        {"final-file": SimpleUploadedFile("final.pdf", pdf_bytes())},
    )

    assert "Tick the box to confirm this is the version to assess." in response.content.decode()
    assert not PortfolioSubmission.objects.filter(enrolment=enrolment).exists()


def test_a_former_trainee_reads_their_portfolio_but_cannot_hand_anything_in(module_world, people):
    former = module_world.users["former_trainee"]
    enrolment = people["former_trainee_enrolment"]
    client = _client(former)

    page = client.get(_page(enrolment)).content.decode()
    response = _hand_in_draft(client, enrolment)

    assert "Your course has ended, so nothing more can be handed in here." in page
    assert 'name="draft-file"' not in page
    assert "Your course has ended, so nothing more can be handed in here." in (
        response.content.decode()
    )
    assert not PortfolioDraft.objects.filter(enrolment=enrolment).exists()


# Nobody else's


def test_another_trainees_portfolio_is_not_found(trainee, people):
    other = people["trainee_other_cohort_enrolment"]
    client = _client(trainee)

    assert client.get(_page(other)).status_code == 404
    response = client.post(
        reverse("selfservice:portfolio-draft-create", kwargs={"pk": other.pk}),
        {"draft-file": upload()},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("selfservice:portfolio-submission-create", kwargs={"pk": other.pk}),
        {"final-file": upload(), "final-confirm": "on"},
    )
    assert response.status_code == 404
    assert not PortfolioDraft.objects.filter(enrolment=other).exists()


def test_another_persons_draft_and_final_portfolio_files_are_not_found(
    module_world, people, trainee
):
    someone = module_world.users["trainee_other_cohort"]
    other = people["trainee_other_cohort_enrolment"]
    draft = services.draft_record(enrolment=other, upload=upload(), by=someone)
    submission = services.submission_record(
        enrolment=other,
        upload=upload(),
        by=someone,
        first_assessor=module_world.users["assessor"],
        second_assessor=_second_assessor(module_world),
    )
    client = _client(trainee)

    draft_url = reverse("selfservice:portfolio-draft-file", kwargs={"pk": draft.pk})
    final_url = reverse("selfservice:portfolio-submission-file", kwargs={"pk": submission.pk})
    assert client.get(draft_url).status_code == 404
    assert client.get(final_url).status_code == 404
    owner = _client(someone)
    assert owner.get(draft_url).status_code == 200
    assert owner.get(final_url).status_code == 200


def _second_assessor(world: World) -> User:
    from tests.training.factories import assessor

    return assessor(world.programme, "Second Assessor For Owen")


def test_the_trainee_downloads_their_own_draft_privately(trainee, enrolment):
    draft = services.draft_record(enrolment=enrolment, upload=upload(), by=trainee)

    response = _client(trainee).get(
        reverse("selfservice:portfolio-draft-file", kwargs={"pk": draft.pk})
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]


# Feedback


def test_feedback_is_hidden_until_the_facilitator_releases_it(module_world, trainee, enrolment):
    facilitator = module_world.users["facilitator"]
    draft = services.draft_record(enrolment=enrolment, upload=upload(), by=trainee)
    services.draft_feedback(draft=draft, feedback=FEEDBACK, by=facilitator)
    client = _client(trainee)

    assert FEEDBACK not in client.get(_page(enrolment)).content.decode()

    staff = _client(facilitator)
    response = staff.post(
        reverse("training:draft-feedback-release", kwargs={"pk": draft.pk}), follow=True
    )

    assert "The feedback has been released" in response.content.decode()
    assert FEEDBACK in client.get(_page(enrolment)).content.decode()
    draft.refresh_from_db()
    assert draft.feedback_released_by == facilitator
    assert draft.history.first().history_user == facilitator


def test_the_trainee_is_told_in_their_notifications_when_feedback_is_released(
    module_world, trainee, enrolment
):
    facilitator = module_world.users["facilitator"]
    draft = services.draft_record(enrolment=enrolment, upload=upload(), by=trainee)
    services.draft_feedback(draft=draft, feedback=FEEDBACK, by=facilitator)

    services.draft_feedback_release(draft=draft, by=facilitator)

    notification = Notification.objects.get(recipient=trainee)
    assert notification.title == (
        f"Feedback on your draft of {draft.received_on:%-d %B %Y} is ready to read."
    )
    assert notification.link == _page(enrolment)
    assert FEEDBACK not in notification.title


def test_feedback_cannot_be_released_before_it_is_written(module_world, trainee, enrolment):
    draft = services.draft_record(enrolment=enrolment, upload=upload(), by=trainee)

    response = _client(module_world.users["lead"]).post(
        reverse("training:draft-feedback-release", kwargs={"pk": draft.pk}), follow=True
    )

    assert "Write the feedback before releasing it to the trainee." in response.content.decode()
    draft.refresh_from_db()
    assert not draft.feedback_is_released


def test_an_assessor_cannot_release_feedback(module_world, trainee, enrolment):
    draft = services.draft_record(enrolment=enrolment, upload=upload(), by=trainee)
    services.draft_feedback(draft=draft, feedback=FEEDBACK, by=module_world.users["facilitator"])

    with pytest.raises(services.TrainingError):
        services.draft_feedback_release(draft=draft, by=module_world.users["assessor"])


# The decision


def _assessors(enrolment: Enrolment) -> tuple[User, User]:
    training = enrolment.cohort.training
    return training.facilitator, training.second_assessor


def test_the_decision_is_hidden_until_both_assessors_have_marked(trainee, enrolment):
    client = _client(trainee)
    _hand_in_final(client, enrolment)
    submission = PortfolioSubmission.objects.get(enrolment=enrolment)
    first, second = _assessors(enrolment)

    mark(submission, first, "pass")
    after_one = client.get(_page(enrolment)).content.decode()
    mark(submission, second, "pass")
    after_both = client.get(_page(enrolment)).content.decode()

    assert "Being assessed" in after_one
    assert "Decision:" not in after_one
    assert "Decision: Pass" in after_both


def test_the_decision_is_hidden_while_the_lead_moderates(module_world, trainee, enrolment):
    client = _client(trainee)
    _hand_in_final(client, enrolment)
    submission = PortfolioSubmission.objects.get(enrolment=enrolment)
    first, second = _assessors(enrolment)
    mark(submission, first, "pass")
    mark(submission, second, "referral")

    during = client.get(_page(enrolment)).content.decode()
    services.submission_moderate(
        submission=submission,
        outcome="referral",
        reason="The reflection on supervision is missing.",
        by=module_world.users["lead"],
    )
    after = client.get(_page(enrolment)).content.decode()

    assert "Being assessed" in during
    assert "Decision:" not in during
    assert "Pass" not in during
    assert "Decision: Referral" in after
    assert "Resubmission due" in after
    assert "The reflection on supervision is missing." not in after


# Queries


def _queries_for_page(client: FormClient, enrolment: Enrolment) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_page(enrolment))
    assert response.status_code == 200
    return len(queries)


def test_the_portfolio_page_takes_the_same_queries_for_1_and_10_drafts(
    module_world, trainee, enrolment
):
    client = _client(trainee)
    facilitator = module_world.users["facilitator"]
    draft = services.draft_record(enrolment=enrolment, upload=upload(), by=trainee)
    services.draft_feedback(draft=draft, feedback=FEEDBACK, by=facilitator)
    services.draft_feedback_release(draft=draft, by=facilitator)
    _hand_in_final(client, enrolment)
    one = _queries_for_page(client, enrolment)

    for _ in range(9):
        draft = services.draft_record(enrolment=enrolment, upload=upload(), by=trainee)
        services.draft_feedback(draft=draft, feedback=FEEDBACK, by=facilitator)
        services.draft_feedback_release(draft=draft, by=facilitator)
    ten = _queries_for_page(client, enrolment)

    assert one == ten == PORTFOLIO_PAGE_QUERIES


# Session, user, the enrolment with its cohort's training settings, the
# drafts, the submissions; then the page frame's roles and unread
# notifications.
PORTFOLIO_PAGE_QUERIES = 7


def test_the_enrolment_read_once_gives_the_portfolio_the_orm_gives(
    module_world, trainee, enrolment
):
    """The enrolment and its training settings read through the kept query
    give the trainee's portfolio that the enrolment read by the ORM gives;
    nobody else's enrolment is read."""
    kept = own_portfolio_enrolment(user=trainee, pk=enrolment.pk)
    orm = own_enrolment(user=trainee, pk=enrolment.pk)

    assert (kept.pk, kept.status, kept.cohort.name) == (orm.pk, orm.status, orm.cohort.name)
    assert trainee_portfolio(user=trainee, enrolment=kept) == trainee_portfolio(
        user=trainee, enrolment=orm
    )
    with pytest.raises(Http404):
        own_portfolio_enrolment(user=module_world.users["trainee_other_cohort"], pk=enrolment.pk)


def test_a_referred_trainee_sees_the_resubmission_date_and_hands_in_the_resubmission(
    trainee, enrolment
):
    client = _client(trainee)
    _hand_in_final(client, enrolment)
    submission = PortfolioSubmission.objects.get(enrolment=enrolment)
    first, second = _assessors(enrolment)
    mark(submission, first, "referral")
    mark(submission, second, "referral")
    submission.refresh_from_db()

    page = client.get(_page(enrolment)).content.decode()
    response = _hand_in_final(client, enrolment)

    assert f"{submission.resubmission_due:%-d %B %Y}" in page
    assert "Hand in your resubmitted portfolio" in page
    assert "sent to the two assessors" in response.content.decode()
    resubmission = PortfolioSubmission.objects.get(enrolment=enrolment, attempt=2)
    assert resubmission.recorded_by == trainee


def test_the_home_page_links_to_the_trainees_portfolio(trainee, enrolment):
    html = _client(trainee).get(reverse("selfservice:home")).content.decode()

    assert f'href="{_page(enrolment)}"' in html


def test_every_page_the_trainee_reaches_shows_nobody_elses_records(
    module_world, people, trainee, enrolment
):
    from tests.smoke.crawl import crawl

    someone = module_world.users["trainee_other_cohort"]
    services.draft_record(enrolment=enrolment, upload=upload("mine.pdf"), by=trainee)
    services.draft_record(
        enrolment=people["trainee_other_cohort_enrolment"],
        upload=upload("owens-reflections.pdf"),
        by=someone,
    )

    result = crawl(_client(trainee))

    assert not result.failures
    assert _page(enrolment) in result.urls
    seen = "\n".join(visit.html for visit in result.visits)
    for foreign in (
        "Othercohort",
        "owens-reflections",
        "Lovelace",
        module_world.other_programme.name,
    ):
        assert foreign not in seen
