"""My details: a person changes their own contact details and how they want
to be contacted, on each of their records, and nobody else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerprog.core.models import Person, User
from tests.conftest import World
from tests.core.factories import PersonFactory
from tests.selfservice.world import people_world

URL = reverse("selfservice:details")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def details(person: Person, **values: Any) -> dict[str, Any]:
    prefix = f"person-{person.pk}-"
    form = {
        "record": str(person.pk),
        f"{prefix}preferred_name": "Tee",
        f"{prefix}phone": "07700 900456",
        f"{prefix}address": "1 High Street\nLeeds",
        f"{prefix}email_allowed": "on",
    }
    form.update({f"{prefix}{name}": value for name, value in values.items()})
    return {key: value for key, value in form.items() if value is not None}


@pytest.fixture
def people(world: World) -> dict[str, Any]:
    return people_world(world)


def test_a_trainee_changes_their_own_details(world: World, people: dict[str, Any]) -> None:
    person = people["trainee_person"]

    response = signed_in(world.users["trainee"]).post(
        URL, details(person, hard_copy_letters="on"), follow=True
    )

    person.refresh_from_db()
    assert "Your details have been saved." in response.content.decode()
    assert person.preferred_name == "Tee"
    assert person.phone == "07700 900456"
    assert person.address == "1 High Street\nLeeds"
    assert person.email_allowed
    assert person.hard_copy_letters


def test_the_change_is_recorded_with_the_person_as_its_author(
    world: World, people: dict[str, Any]
) -> None:
    person = people["trainee_person"]

    signed_in(world.users["trainee"]).post(URL, details(person))

    latest = person.history.latest()
    assert latest.history_user == world.users["trainee"]
    assert latest.phone == "07700 900456"


def test_the_sign_in_address_and_name_are_not_offered(world: World, people: dict[str, Any]) -> None:
    person = people["trainee_person"]

    page = signed_in(world.users["trainee"]).get(URL).content.decode()
    signed_in(world.users["trainee"]).post(
        URL, {**details(person), f"person-{person.pk}-email": "new@example.org"}
    )

    assert f'name="person-{person.pk}-email"' not in page
    assert "To change the e-mail address you sign in with, ask your programme lead" in page
    assert Person.objects.get(pk=person.pk).email == world.users["trainee"].email


def test_agreeing_to_e_mail_needs_an_address(world: World, people: dict[str, Any]) -> None:
    person = people["trainee_person"]
    Person.objects.filter(pk=person.pk).update(email="", email_allowed=False)

    response = signed_in(world.users["trainee"]).post(URL, details(person))

    assert response.status_code == 200
    assert "We have no e-mail address of yours to write to." in response.content.decode()
    assert not Person.objects.get(pk=person.pk).email_allowed


def test_someone_elses_record_gives_404(world: World, people: dict[str, Any]) -> None:
    other = people["trainee_other_cohort_person"]

    response = signed_in(world.users["trainee"]).post(URL, details(other))

    assert response.status_code == 404
    assert Person.objects.get(pk=other.pk).phone == other.phone


def test_staff_without_a_person_record_are_refused(world: World) -> None:
    assert signed_in(world.users["lead"]).get(URL).status_code == 403


def test_each_record_in_each_programme_has_its_own_form(
    world: World, people: dict[str, Any]
) -> None:
    worker = world.users["peer_worker"]
    elsewhere = PersonFactory(programme=world.other_programme, user=worker, email=worker.email)

    page = signed_in(worker).get(URL).content.decode()
    response = signed_in(worker).post(URL, details(elsewhere, phone="0113 496 0000"))

    assert world.other_programme.name in page
    assert world.programme.name in page
    assert response.status_code == 302
    assert Person.objects.get(pk=elsewhere.pk).phone == "0113 496 0000"
    assert Person.objects.get(pk=people["peer_worker_person"].pk).phone != "0113 496 0000"


def test_the_home_page_and_the_menu_link_to_my_details(
    world: World, people: dict[str, Any]
) -> None:
    client = Client()
    client.post(
        reverse("login"),
        {"username": world.users["trainee"].email, "password": "a-long-test-password"},
    )

    page = client.get(reverse("selfservice:home")).content.decode()

    assert page.count(f'href="{URL}"') == 2


def test_my_details_costs_the_same_queries_with_more_records(
    world: World, people: dict[str, Any], django_assert_num_queries: Any
) -> None:
    worker = world.users["peer_worker"]
    client = signed_in(worker)
    client.get(URL)  # the session's second-factor decision is taken once
    with django_assert_num_queries(MY_DETAILS_QUERIES):
        assert client.get(URL).status_code == 200

    PersonFactory(programme=world.other_programme, user=worker, email=worker.email)
    with django_assert_num_queries(MY_DETAILS_QUERIES):
        assert client.get(URL).status_code == 200


MY_DETAILS_QUERIES = 6
