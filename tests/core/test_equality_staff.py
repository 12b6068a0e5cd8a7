"""Leads and HR record and read a person's equality monitoring as codes,
person by person, and see each answer in words."""

from __future__ import annotations

from django.urls import reverse

from peerprog.core.equality import AgeBand, EthnicCategory, GenderIdentity, Sex
from peerprog.core.models import SensitiveFacts, User
from tests.conftest import World
from tests.core.test_sensitive_facts import sensitive_form, signed_in


def test_a_lead_records_coded_answers_on_the_persons_page(world: World, lead: User) -> None:
    url = reverse("core:person-sensitive", kwargs={"pk": world.person.pk})

    response = signed_in(lead).post(
        url,
        sensitive_form(
            ethnic_group=EthnicCategory.MIXED_WHITE_ASIAN,
            sex=Sex.PREFER_NOT_TO_SAY,
            gender_identity=GenderIdentity.SAME,
        ),
    )

    assert response.status_code == 302
    facts = SensitiveFacts.objects.get(person=world.person)
    assert facts.ethnic_group == EthnicCategory.MIXED_WHITE_ASIAN
    assert facts.sex == Sex.PREFER_NOT_TO_SAY
    assert facts.gender_identity == GenderIdentity.SAME
    assert facts.age_band == AgeBand.AGE_35_44


def test_an_answer_that_is_not_a_code_is_refused(world: World, lead: User) -> None:
    url = reverse("core:person-sensitive", kwargs={"pk": world.person.pk})

    response = signed_in(lead).post(url, sensitive_form(ethnic_group="White British"))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert SensitiveFacts.objects.get(person=world.person).ethnic_group == "99"


def test_the_form_offers_the_code_lists_with_labels(world: World, hr: User) -> None:
    url = reverse("core:person-sensitive", kwargs={"pk": world.person.pk})

    page = signed_in(hr).get(url).content.decode()

    assert '<option value="A">White: British</option>' in page
    assert "Prefer not to say" in page
    assert 'name="gender"' not in page


def test_hr_reads_each_answer_in_words_on_the_persons_page(world: World, hr: User) -> None:
    SensitiveFacts.objects.filter(person=world.person).update(
        ethnic_group=EthnicCategory.BLACK_CARIBBEAN, sex=Sex.FEMALE, age_band=AgeBand.AGE_65_PLUS
    )
    url = reverse("core:person-detail", kwargs={"pk": world.person.pk})

    page = signed_in(hr).get(url).content.decode()

    assert "Black or Black British: Caribbean" in page
    assert "Female" in page
    assert "65 or over" in page
