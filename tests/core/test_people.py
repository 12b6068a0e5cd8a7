"""People: added and changed through the pages by programme leads and HR."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from peerprog.core.models import Person, User
from tests.conftest import World
from tests.core.factories import PersonFactory
from tests.core.once_helpers import FormClient


def person_form(**values: str) -> dict[str, str]:
    form = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "preferred_name": "",
        "email": "grace@example.org",
        "phone": "07700 900123",
        "date_of_birth": "1980-03-03",
        "address": "",
    }
    form.update(values)
    return form


def signed_in(user: User) -> Client:
    client = FormClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", ["lead", "hr"])
def test_lead_and_hr_can_add_a_person(world: World, persona: str) -> None:
    response = signed_in(world.users[persona]).post(
        reverse("core:person-create"), person_form(email="Grace@Example.org ")
    )

    # The e-mail address is unique here; a made-up name of another person may be Grace.
    person = Person.objects.get(email="grace@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:person-detail", kwargs={"pk": person.pk})
    assert person.programme == world.programme
    assert person.email == "grace@example.org"


def test_hr_can_change_a_persons_details(world: World, hr: User) -> None:
    url = reverse("core:person-edit", kwargs={"pk": world.person.pk})

    response = signed_in(hr).post(
        url, person_form(first_name="Ada", last_name="Byron", email=world.person.email)
    )

    assert response.status_code == 302
    world.person.refresh_from_db()
    assert world.person.last_name == "Byron"


def test_a_missing_name_is_reported_in_plain_words(world: World, lead: User) -> None:
    response = signed_in(lead).post(reverse("core:person-create"), person_form(first_name=""))

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Person.objects.filter(last_name="Hopper").exists()


def test_an_email_already_used_in_the_programme_is_refused_ignoring_case(
    world: World, lead: User
) -> None:
    PersonFactory(programme=world.programme, email="grace@example.org")

    response = signed_in(lead).post(
        reverse("core:person-create"), person_form(email="GRACE@example.ORG")
    )

    assert response.status_code == 200
    assert "Someone in this programme already has this e-mail address." in (
        response.content.decode()
    )
    assert Person.objects.filter(email__iexact="grace@example.org").count() == 1


def test_changing_an_email_to_one_already_used_in_the_programme_is_refused(
    world: World, hr: User
) -> None:
    PersonFactory(programme=world.programme, email="grace@example.org")
    url = reverse("core:person-edit", kwargs={"pk": world.person.pk})

    response = signed_in(hr).post(
        url, person_form(first_name="Ada", last_name="Lovelace", email="Grace@example.org")
    )

    assert response.status_code == 200
    assert "Someone in this programme already has this e-mail address." in (
        response.content.decode()
    )
    world.person.refresh_from_db()
    assert world.person.email != "grace@example.org"


def test_saving_a_person_with_their_own_email_is_not_a_clash(world: World, hr: User) -> None:
    url = reverse("core:person-edit", kwargs={"pk": world.person.pk})

    response = signed_in(hr).post(
        url,
        person_form(first_name="Ada", last_name="Lovelace", email=world.person.email.upper()),
    )

    assert response.status_code == 302


def test_the_same_email_may_be_used_in_another_programme(world: World, lead: User) -> None:
    PersonFactory(programme=world.other_programme, email="grace@example.org")

    response = signed_in(lead).post(reverse("core:person-create"), person_form())

    assert response.status_code == 302
    assert Person.objects.filter(email="grace@example.org").count() == 2


def test_the_database_refuses_a_duplicate_email_even_without_the_form(world: World) -> None:
    Person.objects.create(
        programme=world.programme, first_name="A", last_name="B", email="dup@example.org"
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            programme=world.programme, first_name="C", last_name="D", email="DUP@example.org"
        )


def test_people_without_an_email_do_not_clash(world: World) -> None:
    Person.objects.create(programme=world.programme, first_name="A", last_name="B", email="")
    Person.objects.create(programme=world.programme, first_name="C", last_name="D", email="")

    assert Person.objects.filter(programme=world.programme, email="").count() == 2


def test_a_person_of_another_programme_cannot_be_changed(world: World, lead: User) -> None:
    url = reverse("core:person-edit", kwargs={"pk": world.other_person.pk})

    response = signed_in(lead).post(url, person_form())

    assert response.status_code == 404
    world.other_person.refresh_from_db()
    assert world.other_person.first_name == "Otto"
