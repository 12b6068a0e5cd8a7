"""A person's home page: their own applications, course and job, and
nothing of anyone else's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from selfservice.home_rows import _rows, my_home
from selfservice.kept import own_rows
from tests.conftest import World
from tests.selfservice.world import people_world
from tests.training.factories import ApplicationFactory, CohortFactory

pytestmark = pytest.mark.django_db


def test_a_person_without_a_staff_role_starts_on_their_own_pages(client, world: World) -> None:
    people_world(world)
    client.force_login(world.users["trainee"])

    response = client.get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("selfservice:home")


def test_a_peer_worker_who_supervises_starts_on_the_staff_home_with_my_pages_in_the_menu(
    client, world: World
) -> None:
    people_world(world)
    client.force_login(world.users["peer_worker_supervisor"])

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert f'href="{reverse("selfservice:home")}"' in response.content.decode()


def test_the_trainee_sees_their_course_and_the_peer_worker_their_job(client, world: World) -> None:
    people = people_world(world)
    client.force_login(world.users["trainee"])
    page = client.get(reverse("selfservice:home")).content.decode()
    assert people["trainee_enrolment"].cohort.name in page
    assert "My job" not in page

    client.force_login(world.users["peer_worker"])
    page = client.get(reverse("selfservice:home")).content.decode()
    assert "My job" in page
    assert people["peer_worker_appointment"].post.service.name in page
    assert "My course" not in page


def test_staff_without_a_person_record_are_refused(client, world: World) -> None:
    client.force_login(world.users["lead"])

    assert client.get(reverse("selfservice:home")).status_code == 403


def test_the_home_page_reads_a_fixed_number_of_queries(
    client, world: World, django_assert_num_queries
) -> None:
    people = people_world(world)
    person = people["trainee_person"]
    client.force_login(world.users["trainee"])
    client.get(reverse("selfservice:home"))
    with django_assert_num_queries(5) as one:
        client.get(reverse("selfservice:home"))
    for n in range(5):
        ApplicationFactory(
            cohort=CohortFactory(programme=world.programme, name=f"Later {n}"),
            person=person,
            stage="received",
        )
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("selfservice:home")).content.decode()
    assert "Later 4" in page


def test_the_lists_come_in_their_order_and_as_the_queries_built_afresh_give_them(
    world: World,
) -> None:
    """Applications newest first, courses by latest start; the rows read
    through the kept SQL are those of the query built afresh."""
    people = people_world(world)
    person = people["trainee_person"]
    user = world.users["trainee"]
    first = ApplicationFactory(
        cohort=CohortFactory(programme=world.programme, name="Earlier"),
        person=person,
        stage="shortlisted",
    )
    second = ApplicationFactory(
        cohort=CohortFactory(programme=world.programme, name="Later"),
        person=person,
        stage="offered",
    )
    ApplicationFactory(
        cohort=CohortFactory(programme=world.programme, name="Withdrawn from"),
        person=person,
        stage="withdrawn",
    )

    home = my_home(user=user)

    assert [(a.pk, a.name, a.status_label) for a in home.open_applications] == [
        (second.pk, "Later", "Offered a place"),
        (first.pk, "Earlier", "Shortlisted"),
    ]
    assert [e.pk for e in home.enrolments] == [people["trainee_enrolment"].pk]
    assert home.appointments == []
    fresh = sorted(tuple(row) for row in _rows(user=user.pk))
    assert sorted(own_rows(name="home", build=_rows, user=user.pk)) == fresh
    assert [(row[0], row[2], row[3]) for row in fresh] == [
        (1, second.pk, "Later"),
        (1, first.pk, "Earlier"),
        (2, people["trainee_enrolment"].pk, people["trainee_enrolment"].cohort.name),
    ]
