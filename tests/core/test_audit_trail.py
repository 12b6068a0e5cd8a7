"""The audit trail as people read it: records named by whom they are about,
creations in one line, filters, the demo's own author, and each person's
history tab."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core import audit, services
from peerprog.core.audit import acting_as, demo_data, demo_user
from peerprog.core.models import Person, Role, SensitiveFacts, User
from tests.conftest import World
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory
from tests.demo_once import seed_demo_once

AUDIT = reverse("core:audit")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def audit_page(world: World, **filters: str) -> str:
    return signed_in(world.users["admin"]).get(AUDIT, filters).content.decode()


def test_a_record_is_named_by_the_person_it_is_about_and_its_kind(world: World, lead: User) -> None:
    services.sensitive_facts_update(
        person=world.person, by=lead, disability_details="Bipolar disorder"
    )

    page = audit_page(world)

    assert "Ada Lovelace: sensitive facts" in page
    assert "Person&#x27;s sensitive facts #" not in page
    assert "Bipolar disorder" not in page


def test_a_record_about_no_one_person_is_named_by_its_kind_and_name(
    world: World, lead: User
) -> None:
    services.service_update(service=world.objects["service"], by=lead, site="Hill")

    assert "Service: Willow Ward" in audit_page(world, kind="core.service")


def test_a_creation_shows_as_created_not_as_every_field_changed(world: World, lead: User) -> None:
    with acting_as(lead):
        services.person_create(
            programme=world.programme,
            by=lead,
            first_name="Grace",
            last_name="Hopper",
            phone="0161 496 0999",
        )

    page = audit_page(world, person="Hopper")

    assert "Grace Hopper: personal details" in page
    assert "Created" in page
    assert "0161 496 0999" not in page
    assert "First name:" not in page


def test_the_trail_can_be_narrowed_to_one_persons_records(world: World, lead: User) -> None:
    other = PersonFactory(programme=world.programme, first_name="Mary", last_name="Seacole")
    services.person_update(person=other, by=lead, phone="0161 496 0123")
    services.person_update(person=world.person, by=lead, phone="0161 496 0456")

    page = audit_page(world, person="Seacole")

    assert "Mary Seacole: personal details" in page
    assert "0161 496 0123" in page
    assert "Ada Lovelace" not in page


def test_the_trail_can_be_narrowed_to_whoever_made_the_change(world: World) -> None:
    with acting_as(world.users["hr"]):
        services.person_update(person=world.person, by=world.users["hr"], phone="0161 496 0001")
    with acting_as(world.users["lead"]):
        services.person_update(person=world.person, by=world.users["lead"], phone="0161 496 0002")

    page = audit_page(world, actor=str(world.users["hr"].pk))

    assert "(blank) → 0161 496 0001" in page
    assert "0161 496 0002" not in page


def test_the_trail_can_be_narrowed_to_dates(world: World, lead: User) -> None:
    services.person_update(person=world.person, by=lead, phone="0161 496 0003")
    today = timezone.localdate()

    earlier = audit_page(world, until=(today - timedelta(days=1)).isoformat())
    from_today = audit_page(world, since=today.isoformat())

    assert "0161 496 0003" not in earlier
    assert "No changes recorded that match these filters" in earlier
    assert "0161 496 0003" in from_today


def test_a_date_that_is_not_a_date_is_explained_and_shows_nothing(world: World) -> None:
    page = audit_page(world, since="31 February")

    assert "Enter a valid date." in page
    assert "No changes recorded that match these filters" in page


def test_changes_made_as_demo_data_are_credited_to_demo_data(world: World) -> None:
    with demo_data():
        services.person_update(person=world.person, by=demo_user(), phone="0161 496 0004")

    page = audit_page(world)

    assert "demo data" in page
    assert "scheduled work" not in page
    assert world.person.history.latest().history_user == demo_user()


def test_the_demo_seed_credits_its_records_to_demo_data(db: Any) -> None:
    programme = seed_demo_once().programme

    authors = set(
        Person.history.filter(programme=programme).values_list("history_user__email", flat=True)
    )

    assert authors == {audit.DEMO_USER_EMAIL}


def test_records_are_linked_to_the_person_they_are_about() -> None:
    paths = {entry.key: entry.person_path for entry in audit.registered()}

    assert paths["core.person"] == "id"
    assert paths["core.sensitivefacts"] == "person"
    assert paths["training.attendance"] == "enrolment__person"
    assert paths["supervision.mentormeeting"] == "assignment__enrolment__person"
    assert paths["deployment.absencehealth"] == "absence__appointment__person"
    assert paths["core.service"] == ""
    assert paths["core.user"] == ""


def history_url(person: Person) -> str:
    return reverse("core:person-history", kwargs={"pk": person.pk})


def test_a_persons_history_tab_shows_only_their_records(world: World, lead: User) -> None:
    other = PersonFactory(programme=world.programme, first_name="Mary", last_name="Seacole")
    services.person_update(person=other, by=lead, phone="0161 496 0123")
    services.sensitive_facts_update(
        person=world.person, by=lead, disability_details="Bipolar disorder"
    )

    page = signed_in(lead).get(history_url(world.person)).content.decode()

    assert "Ada Lovelace: sensitive facts" in page
    assert "Disability details changed (value hidden)" in page
    assert "Bipolar disorder" not in page
    assert "Seacole" not in page


def test_a_persons_page_links_to_their_history(world: World, lead: User) -> None:
    page = signed_in(lead).get(reverse("core:person-detail", kwargs={"pk": world.person.pk}))

    assert history_url(world.person) in page.content.decode()


def test_a_long_history_is_paged(world: World, lead: User) -> None:
    with acting_as(lead):
        for number in range(55):
            services.person_update(person=world.person, by=lead, phone=f"0161 496 {number:04}")
    client = signed_in(lead)

    first = client.get(history_url(world.person)).content.decode()
    second = client.get(history_url(world.person), {"page": "2"}).content.decode()

    assert "Older changes" in first
    assert "0161 496 0054" in first
    assert "0161 496 0054" not in second
    assert "Newer changes" in second
    assert "Ada Lovelace: sensitive facts" in second


# Session, user (with their programme) and roles; the person and their adjustments (the person's
# page's own selector); the list (one UNION over the history tables, with the
# names of the authors and of the people named); one for each of the two
# kinds of record on the page; the unread count; saving the session.
HISTORY_PAGE_QUERIES = 9


@pytest.mark.parametrize("changes", [10, 120])
def test_a_persons_history_costs_the_same_queries_however_long(
    db: Any, changes: int, django_assert_num_queries: Any
) -> None:
    programme = ProgrammeFactory()
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    person = PersonFactory(programme=programme)
    SensitiveFacts.objects.create(person=person)
    with acting_as(lead):
        for number in range(changes):
            services.person_update(person=person, by=lead, phone=f"0161 496 {number:04}")
        # The newest change, so that the first page holds the same two kinds
        # of record however long the history.
        services.sensitive_facts_update(person=person, by=lead, disability_details="Touched")
    client = signed_in(lead)

    with django_assert_num_queries(HISTORY_PAGE_QUERIES):
        response = client.get(history_url(person))

    assert response.status_code == 200
    assert response.content.decode().count("Phone:") == min(changes, 49)
