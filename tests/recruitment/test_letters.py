from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from peerprog.core import letters
from peerprog.core.letters import LetterError
from peerprog.core.models import Letter, User
from peerprog.core.outbox.models import OutboxEmail
from peerprog.core.tasks import outbox_deliver
from recruitment import services
from recruitment.models import Application, Cohort, UnsuccessfulReason
from tests.conftest import World
from tests.core.factories import AdjustmentFactory, PersonFactory, SensitiveFactsFactory
from tests.recruitment.factories import ApplicationFactory, CohortFactory, DeferralReasonFactory

Stage = Application.Stage
SECRETS = (
    "Anxiety; finds crowded rooms hard",
    "Medication makes early mornings hard",
    "PRIVATE STATEMENT",
    "Struggles after a hospital stay",
)


@pytest.fixture
def lead(world: World) -> User:
    return world.users["lead"]


@pytest.fixture
def cohort(world: World) -> Cohort:
    return CohortFactory(
        programme=world.programme,
        name="Cohort 2, autumn",
        training_start=date(2027, 9, 6),
        training_end=date(2027, 11, 29),
    )


def applicant(world: World, cohort: Cohort, *, stage: str, email_allowed: bool = False) -> Any:
    person = PersonFactory(
        programme=world.programme,
        first_name="Margaret",
        preferred_name="Peggy",
        last_name="Osei",
        email="peggy.osei@example.org",
        email_allowed=email_allowed,
    )
    SensitiveFactsFactory(person=person)
    AdjustmentFactory(person=person)
    reason = UnsuccessfulReason.objects.create(
        programme=world.programme,
        label="Struggles after a hospital stay",
        category=UnsuccessfulReason.Category.NOT_READY_FOR_TRAINING,
    )
    return ApplicationFactory(
        cohort=cohort,
        person=person,
        stage=stage,
        statement="PRIVATE STATEMENT",
        unsuccessful_reason=reason if stage == Stage.UNSUCCESSFUL else None,
    )


def test_offer_letter_names_the_person_the_cohort_and_the_dates(
    world: World, cohort: Cohort, lead: User
) -> None:
    application = applicant(world, cohort, stage=Stage.OFFERED)
    letter = services.application_letter_issue(application=application, by=lead)
    assert letter.subject == f"Your place on the {world.programme.name} training"
    assert "Dear Peggy," in letter.body
    assert "Cohort 2, autumn" in letter.body
    assert "6 September 2027" in letter.body
    assert "29 November 2027" in letter.body
    assert lead.full_name in letter.body


def test_unsuccessful_letter_gives_the_reason_kindly_not_the_staff_wording(
    world: World, cohort: Cohort, lead: User
) -> None:
    application = applicant(world, cohort, stage=Stage.UNSUCCESSFUL)
    letter = services.application_letter_issue(application=application, by=lead)
    assert "now may not be the right time for you" in letter.body
    assert "hospital" not in letter.body


def test_deferral_letter_names_the_later_cohort(world: World, cohort: Cohort, lead: User) -> None:
    application = applicant(world, cohort, stage=Stage.RECEIVED)
    later = CohortFactory(
        programme=world.programme,
        name="Cohort 3, spring",
        training_start=date(2028, 3, 6),
        training_end=date(2028, 5, 29),
    )
    reason = DeferralReasonFactory(programme=world.programme)
    services.application_defer(application=application, to_cohort=later, reason=reason, by=lead)
    application.refresh_from_db()
    letter = services.application_letter_issue(application=application, by=lead)
    assert "Cohort 3, spring" in letter.body
    assert "6 March 2028" in letter.body


@pytest.mark.parametrize("stage", [Stage.OFFERED, Stage.UNSUCCESSFUL])
def test_letters_never_carry_sensitive_facts(
    world: World, cohort: Cohort, lead: User, stage: str
) -> None:
    application = applicant(world, cohort, stage=stage)
    letter = services.application_letter_issue(application=application, by=lead)
    for secret in SECRETS:
        assert secret not in letter.body
        assert secret not in letter.subject


def test_a_template_cannot_use_a_placeholder_outside_the_fixed_set(
    world: World, lead: User
) -> None:
    for attempt in (
        "{{ statement }}",
        "{{ person.sensitive.disability_details }}",
        "{{ application.person.adjustments }}",
        "{{ reason.label }}",
    ):
        with pytest.raises(ValidationError, match="cannot be used in this letter"):
            letters.letter_template_update(
                programme=world.programme,
                kind="recruitment.offer",
                subject="Offer",
                body=f"Dear {{{{ preferred_name }}}}, {attempt}",
                by=lead,
            )


def test_rendering_reaches_only_the_strings_it_is_given() -> None:
    text = "{{ preferred_name }}|{{ person.sensitive }}|{{ __class__ }}|{{ reason }}"
    rendered = letters.render_text(text, {"preferred_name": "Peggy", "reason": object()})
    assert rendered == "Peggy|||"


def test_a_programmes_own_wording_is_used(world: World, cohort: Cohort, lead: User) -> None:
    letters.letter_template_update(
        programme=world.programme,
        kind="recruitment.offer",
        subject="Good news, {{ preferred_name }}",
        body="Hello {{ preferred_name }}, see you on {{ training_start }}.",
        by=lead,
    )
    application = applicant(world, cohort, stage=Stage.OFFERED)
    letter = services.application_letter_issue(application=application, by=lead)
    assert letter.subject == "Good news, Peggy"
    assert letter.body == "Hello Peggy, see you on 6 September 2027.\n"


def test_a_person_who_agreed_to_email_gets_it_by_email_once(
    world: World, cohort: Cohort, lead: User, django_capture_on_commit_callbacks: Any
) -> None:
    application = applicant(world, cohort, stage=Stage.OFFERED, email_allowed=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = services.application_letter_issue(application=application, by=lead)
    assert letter.channel == Letter.Channel.EMAIL
    assert len(callbacks) == 1
    letter.refresh_from_db()
    assert letter.delivery == "Waiting to be e-mailed"
    assert outbox_deliver.run() == 1
    assert outbox_deliver.run() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["peggy.osei@example.org"]
    assert "Dear Peggy," in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Message-ID"] == letter.email.message_id
    letter.refresh_from_db()
    assert letter.status == Letter.Status.EMAIL
    assert letter.email.state == OutboxEmail.State.ACCEPTED
    assert letter.delivery.startswith("E-mailed on ")


def test_a_person_who_has_not_agreed_to_email_gets_it_by_post(
    world: World, cohort: Cohort, lead: User, django_capture_on_commit_callbacks: Any
) -> None:
    application = applicant(world, cohort, stage=Stage.OFFERED, email_allowed=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = services.application_letter_issue(application=application, by=lead)
    assert letter.channel == Letter.Channel.POST
    assert letter.status == Letter.Status.TO_POST
    assert callbacks == []
    letters.letter_mark_posted(letter=letter, by=lead)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.POSTED


def test_the_same_letter_is_issued_once(world: World, cohort: Cohort, lead: User) -> None:
    application = applicant(world, cohort, stage=Stage.OFFERED)
    services.application_letter_issue(application=application, by=lead)
    with pytest.raises(LetterError, match="already been issued"):
        services.application_letter_issue(application=application, by=lead)


def test_a_stage_without_a_letter_is_refused(world: World, cohort: Cohort, lead: User) -> None:
    application = applicant(world, cohort, stage=Stage.SHORTLISTED)
    with pytest.raises(services.RecruitmentError, match="no outcome letter"):
        services.application_letter_issue(application=application, by=lead)


def test_the_print_page_shows_the_letter(world: World, cohort: Cohort, lead: User) -> None:
    application = applicant(world, cohort, stage=Stage.OFFERED)
    client = Client()
    client.force_login(lead)
    response = client.post(reverse("recruitment:letter-issue", args=[application.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Dear Peggy," in page.content.decode()
    assert "Mark as posted" in page.content.decode()


def test_the_wording_page_refuses_an_unknown_placeholder(world: World, lead: User) -> None:
    client = Client()
    client.force_login(lead)
    response = client.post(
        reverse("recruitment:letter-template-edit", args=["recruitment.offer"]),
        {"subject": "Offer", "body": "Dear {{ disability }}"},
    )
    assert response.status_code == 200
    assert "cannot be used in this letter" in response.content.decode()
