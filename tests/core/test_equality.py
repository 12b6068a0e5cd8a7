"""Equality monitoring: answers in words are read as codes, the form asks
every question optionally with "Prefer not to say", and recording the
answers names who gave them."""

from __future__ import annotations

import pytest

from peerprog.core.equality import (
    CODES,
    AgeBand,
    EqualityMonitoringForm,
    EthnicCategory,
    GenderIdentity,
    ReligionOrBelief,
    Sex,
    SexualOrientation,
    answer_from_text,
    sex_and_identity_from_gender,
)
from peerprog.core.models import SensitiveFacts
from peerprog.core.services import DomainError, equality_record
from tests.conftest import World
from tests.core.factories import PersonFactory


@pytest.mark.parametrize(
    ("codes", "text", "code"),
    [
        (EthnicCategory, "white british", "A"),
        (EthnicCategory, "White - British", "A"),
        (EthnicCategory, "WHITE: BRITISH", "A"),
        (EthnicCategory, "A", "A"),
        (EthnicCategory, "Mixed: White and Asian", "F"),
        (EthnicCategory, "Prefer not to say", "Z"),
        (EthnicCategory, "Klingon", "99"),
        (Sex, "woman", "F"),
        (Sex, "Female", "F"),
        (Sex, "f", "F"),
        (Sex, "Man", "M"),
        (SexualOrientation, "Gay or lesbian", "2"),
        (SexualOrientation, "straight", "1"),
        (ReligionOrBelief, "Roman Catholic", "christian"),
        (ReligionOrBelief, "no religion", "none"),
        (AgeBand, "16 to 24", "16-24"),
        (AgeBand, "37", "35-44"),
        (AgeBand, "65 and over", "65+"),
        (AgeBand, "", "X"),
    ],
)
def test_answers_in_words_are_read_as_codes(codes: type, text: str, code: str) -> None:
    assert answer_from_text(codes, text) == code


def test_trans_says_gender_differs_without_saying_the_sex() -> None:
    assert sex_and_identity_from_gender("trans man") == (Sex.NOT_KNOWN, GenderIdentity.DIFFERENT)
    assert sex_and_identity_from_gender("Woman") == (Sex.FEMALE, GenderIdentity.NOT_KNOWN)


def test_every_question_offers_prefer_not_to_say_and_none_is_required() -> None:
    form = EqualityMonitoringForm()

    for field in form.fields.values():
        assert not field.required
        assert "Prefer not to say" in [label for _, label in field.choices]
        assert "Not known" not in [label for _, label in field.choices]


def test_questions_left_unanswered_are_stored_as_not_known() -> None:
    form = EqualityMonitoringForm(data={"sex": "F", "disability": "prefer_not"})

    assert form.is_valid()
    assert form.cleaned_data["sex"] == Sex.FEMALE
    assert form.cleaned_data["disability"] == SensitiveFacts.Disclosure.PREFER_NOT
    assert form.cleaned_data["ethnic_group"] == EthnicCategory.NOT_KNOWN
    assert form.cleaned_data["age_band"] == AgeBand.NOT_KNOWN


def test_answered_holds_only_the_questions_answered() -> None:
    form = EqualityMonitoringForm(data={"age_band": "65+", "religion_or_belief": ""})

    assert form.is_valid()
    assert form.answered == {"age_band": AgeBand.AGE_65_PLUS}


def test_the_form_refuses_a_made_up_code() -> None:
    form = EqualityMonitoringForm(data={"ethnic_group": "white british"})

    assert not form.is_valid()
    assert "ethnic_group" in form.errors


def test_the_form_renders_radio_buttons_with_labels() -> None:
    html = str(EqualityMonitoringForm())

    assert 'type="radio"' in html
    assert "What is your ethnic group?" in html
    assert "<select" not in html


def test_initial_answers_leave_not_known_unticked() -> None:
    facts = SensitiveFacts(sex=Sex.MALE)

    assert EqualityMonitoringForm.initial_from(facts) == {"sex": Sex.MALE}


def test_every_code_list_has_prefer_not_to_say_and_not_known() -> None:
    for codes in CODES.values():
        assert codes.PREFER_NOT_TO_SAY.label == "Prefer not to say"
        assert codes.NOT_KNOWN.label == "Not known"


@pytest.mark.django_db
def test_an_applicant_on_the_public_form_records_answers_with_no_user() -> None:
    person = PersonFactory()

    facts = equality_record(
        person=person, by=None, ethnic_group=EthnicCategory.CHINESE, sex=Sex.FEMALE
    )

    assert facts.ethnic_group == EthnicCategory.CHINESE
    assert facts.religion_or_belief == ReligionOrBelief.NOT_KNOWN
    row = facts.history.get()
    assert row.history_user is None
    assert row.history_type == "+"


@pytest.mark.django_db
def test_staff_recording_answers_are_named_in_the_history(world: World) -> None:
    lead = world.users["lead"]

    equality_record(person=world.person, by=lead, age_band=AgeBand.AGE_35_44)

    facts = SensitiveFacts.objects.get(person=world.person)
    assert facts.age_band == AgeBand.AGE_35_44
    assert facts.disability == SensitiveFacts.Disclosure.YES
    assert facts.history.latest().history_user == lead


@pytest.mark.django_db
def test_recording_refuses_a_question_that_is_not_equality_monitoring(world: World) -> None:
    with pytest.raises(DomainError, match="disability_details"):
        equality_record(person=world.person, by=None, disability_details="Anything")


@pytest.mark.django_db
def test_recording_refuses_a_code_not_in_the_list(world: World) -> None:
    with pytest.raises(DomainError):
        equality_record(person=world.person, by=None, ethnic_group="white british")
