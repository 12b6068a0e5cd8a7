"""Applying online, the service: a new person, a person already on record
(by e-mail, or by name and date of birth), a second application to the same
cohort, a closed window, and the lead's use or ignoring of the details."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from peerprog.core.models import Person, Programme, ReasonableAdjustment, Role, User
from peerprog.core.outbox.models import OutboxEmail
from recruitment import services
from recruitment.models import Application, ApplicationMove, Cohort
from recruitment.services import RecruitmentError
from tests.core.factories import PersonFactory, UserFactory
from tests.recruitment.apply_support import open_cohort
from tests.recruitment.factories import ApplicationFactory

Outcome = services.Outcome


def lead_of(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])


def values(**changes: Any) -> dict[str, Any]:
    person = {
        "first_name": "Nadia",
        "last_name": "Okafor",
        "preferred_name": "",
        "date_of_birth": None,
        "email": "nadia.okafor@example.org",
        "phone": "07700 900123",
        "address": "",
        "email_allowed": True,
        "hard_copy_letters": False,
    }
    person.update(changes)
    return person


def submit(cohort: Cohort, **changes: Any) -> services.OnlineResult:
    adjustments = changes.pop("adjustments", "")
    return services.application_submit_online(
        cohort=cohort,
        person_values=values(**changes),
        source=Application.Source.FLYER,
        statement="I want to help others as I was helped.",
        adjustments=adjustments,
    )


def counts() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        Application.objects.count(),
        ApplicationMove.objects.count(),
        ReasonableAdjustment.objects.count(),
        OutboxEmail.objects.count(),
    )


def test_a_new_applicant_gets_a_record_and_an_online_application_at_received(
    programme: Programme,
) -> None:
    cohort = open_cohort(programme)
    result = submit(cohort)
    assert result.outcome == Outcome.NEW
    application = result.application
    assert application is not None
    assert application.arrived == Application.Arrival.ONLINE
    assert application.stage == Application.Stage.RECEIVED
    assert application.source == Application.Source.FLYER
    assert application.details_given == {}
    person = application.person
    assert (person.first_name, person.email, person.email_allowed) == (
        "Nadia",
        "nadia.okafor@example.org",
        True,
    )
    move = application.moves.get()
    assert move.by is None and move.to_stage == Application.Stage.RECEIVED


def test_a_new_applicant_is_e_mailed_that_their_application_arrived(programme: Programme) -> None:
    cohort = open_cohort(programme, name="Cohort 7")
    result = submit(cohort)
    email = OutboxEmail.objects.get()
    assert email.to_address == "nadia.okafor@example.org"
    assert email.kind == "recruitment.online_application"
    assert email.recipient_person_id == result.application.person_id
    assert "We have your application" in email.subject
    assert "Thank you for applying to Cohort 7" in email.body_text
    assert "already on our records" not in email.body_text
    assert "crisis" not in email.body_text  # nothing of the statement


def test_an_applicant_without_an_e_mail_address_is_sent_nothing(programme: Programme) -> None:
    cohort = open_cohort(programme)
    result = submit(cohort, email="", email_allowed=False, hard_copy_letters=True, address="1 Road")
    assert result.outcome == Outcome.NEW
    assert result.email_wording == ""
    assert not OutboxEmail.objects.exists()


def test_a_person_known_by_e_mail_keeps_their_record_and_the_differences_are_kept(
    programme: Programme,
) -> None:
    cohort = open_cohort(programme)
    person = PersonFactory(
        programme=programme,
        first_name="Nadia",
        last_name="Okafor",
        email="Nadia.Okafor@example.org",
        phone="0161 496 0000",
    )
    people = Person.objects.count()
    result = submit(cohort, email="NADIA.OKAFOR@example.org")
    assert result.outcome == Outcome.KNOWN
    assert Person.objects.count() == people
    assert result.application.person == person
    person.refresh_from_db()
    assert person.phone == "0161 496 0000"
    assert result.application.details_given == {
        "phone": "07700 900123",
        "email_allowed": True,
    }


def test_a_person_known_by_e_mail_is_told_their_record_was_found(programme: Programme) -> None:
    cohort = open_cohort(programme)
    PersonFactory(programme=programme, email="nadia.okafor@example.org")
    submit(cohort)
    email = OutboxEmail.objects.get()
    assert "already on our records" in email.body_text
    assert "We have not changed any of your details" in email.body_text


def test_a_person_known_by_name_and_date_of_birth_keeps_their_record_with_differences(
    programme: Programme,
) -> None:
    cohort = open_cohort(programme)
    person = PersonFactory(
        programme=programme,
        first_name="Nadia",
        last_name="Okafor",
        date_of_birth=date(1990, 3, 21),
        email="n.okafor@example.net",
        address="2 Old Street",
    )
    result = submit(
        cohort,
        first_name="nadia",
        email="nadia.new@example.org",
        date_of_birth=date(1990, 3, 21),
        address="5 New Road",
    )
    assert result.outcome == Outcome.KNOWN
    assert result.application.person == person
    person.refresh_from_db()
    assert (person.email, person.address) == ("n.okafor@example.net", "2 Old Street")
    given = result.application.details_given
    assert given["email"] == "nadia.new@example.org"
    assert given["address"] == "5 New Road"
    assert "first_name" not in given  # other capitals only: the same name


def test_a_name_and_birth_date_match_is_not_revealed_to_another_e_mail_address(
    programme: Programme,
) -> None:
    cohort = open_cohort(programme)
    PersonFactory(
        programme=programme,
        first_name="Nadia",
        last_name="Okafor",
        date_of_birth=date(1990, 3, 21),
        email="n.okafor@example.net",
    )
    result = submit(cohort, email="someone.else@example.org", date_of_birth=date(1990, 3, 21))
    assert result.outcome == Outcome.KNOWN
    assert result.email_wording == Outcome.NEW
    email = OutboxEmail.objects.get()
    assert email.to_address == "someone.else@example.org"
    assert "already on our records" not in email.body_text


def test_a_second_application_to_the_same_cohort_stores_nothing_new(programme: Programme) -> None:
    cohort = open_cohort(programme)
    person = PersonFactory(programme=programme, email="nadia.okafor@example.org")
    first = ApplicationFactory(cohort=cohort, person=person, statement="My first words.")
    before = counts()
    result = submit(cohort, adjustments="A ramp, please.")
    assert result.outcome == Outcome.ALREADY
    assert result.application is None
    people, applications, moves, adjustments, emails = counts()
    assert (people, applications, moves, adjustments) == before[:4]
    assert emails == before[4] + 1
    first.refresh_from_db()
    assert first.statement == "My first words."


def test_a_second_application_is_told_it_was_not_made_twice(programme: Programme) -> None:
    cohort = open_cohort(programme, name="Cohort 8")
    person = PersonFactory(programme=programme, email="nadia.okafor@example.org")
    ApplicationFactory(cohort=cohort, person=person)
    submit(cohort)
    email = OutboxEmail.objects.get()
    assert email.subject.endswith(f"You have already applied to {programme.name}")
    assert "so we have not made a second application" in email.body_text


@pytest.mark.parametrize(
    "change",
    [
        {"applications_open": date(2020, 1, 1), "applications_close": date(2020, 2, 1)},
        {"status": Cohort.Status.PLANNING},
        {"status": Cohort.Status.CLOSED},
    ],
)
def test_a_closed_window_is_refused_and_nothing_is_written(
    programme: Programme, change: dict[str, Any]
) -> None:
    cohort = open_cohort(programme)
    Cohort.objects.filter(pk=cohort.pk).update(**change)
    before = counts()
    with pytest.raises(RecruitmentError, match="not open at the moment"):
        submit(cohort, adjustments="Breaks, please.")
    assert counts() == before


def test_the_window_includes_its_first_and_last_days(programme: Programme) -> None:
    today = timezone.localdate()
    first = open_cohort(programme, applications_open=today, name="Opens today")
    last = open_cohort(
        programme,
        applications_open=today - timedelta(days=3),
        applications_close=today,
        name="Closes today",
    )
    assert submit(first).outcome == Outcome.NEW
    assert submit(last, email="other@example.org").outcome == Outcome.NEW


def test_an_adjustment_request_is_kept_with_a_note_that_reveals_no_health(
    programme: Programme,
) -> None:
    cohort = open_cohort(programme)
    result = submit(cohort, adjustments="I have anxiety; a quiet room and breaks would help.")
    adjustment = ReasonableAdjustment.objects.get(person=result.application.person)
    assert adjustment.request == "I have anxiety; a quiet room and breaks would help."
    assert adjustment.practical_note == services.ADJUSTMENT_NOTE
    assert "anxiety" not in adjustment.practical_note
    assert "anxiety" not in OutboxEmail.objects.get().body_text


def known_with_differences(programme: Programme) -> Application:
    cohort = open_cohort(programme)
    PersonFactory(
        programme=programme,
        first_name="Nadia",
        last_name="Okafor",
        date_of_birth=date(1990, 3, 21),
        email="n.okafor@example.net",
        phone="",
    )
    return submit(
        cohort, email="nadia.new@example.org", date_of_birth=date(1990, 3, 21)
    ).application


def test_the_lead_uses_the_details_given_online(programme: Programme) -> None:
    application = known_with_differences(programme)
    services.application_details_use(application=application, by=lead_of(programme))
    application.refresh_from_db()
    person = application.person
    assert (person.email, person.phone, person.email_allowed) == (
        "nadia.new@example.org",
        "07700 900123",
        True,
    )
    assert application.details_given == {}


def test_the_lead_ignores_the_details_given_online(programme: Programme) -> None:
    application = known_with_differences(programme)
    services.application_details_ignore(application=application, by=lead_of(programme))
    application.refresh_from_db()
    assert application.details_given == {}
    assert application.person.email == "n.okafor@example.net"


def test_details_that_would_clash_with_another_record_are_refused(programme: Programme) -> None:
    application = known_with_differences(programme)
    PersonFactory(programme=programme, email="nadia.new@example.org")
    with pytest.raises(RecruitmentError, match="could not be used"):
        services.application_details_use(application=application, by=lead_of(programme))
    application.refresh_from_db()
    assert application.details_given["email"] == "nadia.new@example.org"


def test_there_is_nothing_to_use_on_an_application_keyed_by_hand(programme: Programme) -> None:
    with pytest.raises(RecruitmentError, match="no details"):
        services.application_details_use(
            application=ApplicationFactory(cohort=open_cohort(programme)),
            by=lead_of(programme),
        )


def test_applications_keyed_by_hand_and_imported_say_how_they_arrived(programme: Programme) -> None:
    cohort = open_cohort(programme)
    by_hand = services.application_create_with_person(
        cohort=cohort,
        by=lead_of(programme),
        person_values={"first_name": "Ann", "last_name": "Lee", "email": "ann@example.org"},
        application_values={},
    )
    imported, _ = services.application_import_row(
        cohort=cohort,
        by=lead_of(programme),
        person=None,
        person_values={"first_name": "Bo", "last_name": "Ray", "email": "bo@example.org"},
        application_values={"source": Application.Source.EMAIL},
    )
    assert by_hand.arrived == Application.Arrival.BY_HAND
    assert imported.arrived == Application.Arrival.IMPORTED
    assert imported.source == Application.Source.EMAIL
