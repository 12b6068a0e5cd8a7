"""A user of one programme cannot see another programme's records on any
page they can reach.

Every persona crawls every page linked from their home page (the same crawl
as the SQLite demo smoke test) and no name from the other programme may
appear in any of them: not a person, a service, a member of staff or the
programme itself. The names are gathered from the database, so records that
later parts of the product add to ``world`` are covered too.
"""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from peerprog.core.models import Person, Programme, Role, Service, User
from tests.conftest import World
from tests.core.factories import PersonFactory, ServiceFactory, UserFactory
from tests.selfservice.world import PEOPLE_PERSONAS, people_world
from tests.smoke.crawl import CrawlResult, crawl

PROGRAMME_PERSONAS = [
    "lead",
    "hr",
    "mentor",
    "mentor_without_mentees",
    "supervisor",
    "admin",
    "facilitator",
    "assessor",
]


# Each test crawls in its own savepoint inside the module's world.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def isolated_world(module_world: World) -> World:
    """``world`` with unmistakable names in each programme, built once for
    the module."""
    world = module_world
    PersonFactory(programme=world.programme, first_name="Zephyrine", last_name="Quillfeather")
    ServiceFactory(programme=world.programme, name="Marigold Ward")
    UserFactory(
        programme=world.programme,
        full_name="Cordelia Ashgrove",
        email="cordelia@example.org",
        roles=[Role.MENTOR],
    )
    PersonFactory(programme=world.other_programme, first_name="Bartholomew", last_name="Nettlebed")
    ServiceFactory(programme=world.other_programme, name="Juniper Crisis Team")
    UserFactory(
        programme=world.other_programme,
        full_name="Ottoline Pemberton-Vane",
        email="ottoline@example.org",
        roles=[Role.SUPERVISOR],
    )
    people_world(world)
    return world


def _names(programme: Programme) -> set[str]:
    names = {programme.name}
    for person in Person.objects.filter(programme=programme):
        names |= {person.display_name, person.legal_name}
    names |= set(Service.objects.filter(programme=programme).values_list("name", flat=True))
    # One-word names ("Lead", "Mentor") read like ordinary words on a page.
    names |= {
        name
        for name in User.objects.filter(programme=programme).values_list("full_name", flat=True)
        if " " in name.strip()
    }
    return {name for name in names if name.strip()}


def _own_and_foreign(world: World, own: Programme) -> tuple[set[str], set[str]]:
    mine = _names(world.programme)
    theirs = _names(world.other_programme)
    # A name both programmes happen to hold proves nothing either way.
    shared = mine & theirs
    if own == world.programme:
        return mine - shared, theirs - shared
    return theirs - shared, mine - shared


def _crawl_as(user: User) -> CrawlResult:
    client = Client()
    client.force_login(user)
    result = crawl(client)
    assert not result.failures, f"{user.email}: " + "; ".join(result.failures)
    assert not result.truncated
    return result


def _leaks(result: CrawlResult, foreign: set[str]) -> list[str]:
    return [
        f"{visit.url} shows {name!r}"
        for visit in result.visits
        for name in sorted(foreign)
        if name in unescape(visit.html)
    ]


def _everything_seen(result: CrawlResult) -> str:
    return "\n".join(unescape(visit.html) for visit in result.visits)


@pytest.mark.parametrize("persona", PROGRAMME_PERSONAS)
def test_no_page_shows_another_programmes_records(persona: str, isolated_world: World) -> None:
    world = isolated_world
    _own, foreign = _own_and_foreign(world, world.programme)
    assert "Bartholomew Nettlebed" in foreign

    result = _crawl_as(world.users[persona])

    assert len(result.visits) >= 3
    leaks = _leaks(result, foreign)
    assert not leaks, f"{persona} sees another programme's records: " + "; ".join(leaks)


def test_the_other_programmes_lead_sees_none_of_this_programmes_records(
    isolated_world: World,
) -> None:
    world = isolated_world
    _own, foreign = _own_and_foreign(world, world.other_programme)
    assert "Zephyrine Quillfeather" in foreign

    result = _crawl_as(world.users["other_programme_lead"])

    leaks = _leaks(result, foreign)
    assert not leaks, "The other programme's lead sees: " + "; ".join(leaks)
    # The crawl reached pages with names on them: the lead's own people.
    assert "Bartholomew Nettlebed" in _everything_seen(result)


def test_the_crawl_reaches_the_pages_that_list_names(isolated_world: World) -> None:
    """Without this, the tests above could pass by seeing nothing at all."""
    world = isolated_world
    seen_by_lead = _everything_seen(_crawl_as(world.users["lead"]))
    seen_by_admin = _everything_seen(_crawl_as(world.users["admin"]))

    assert "Zephyrine Quillfeather" in seen_by_lead
    assert "Marigold Ward" in seen_by_lead
    assert "Cordelia Ashgrove" in seen_by_admin


@pytest.mark.parametrize("persona", PEOPLE_PERSONAS)
def test_a_person_sees_no_one_elses_records(persona: str, isolated_world: World) -> None:
    """The programme's own people see only themselves: no other person of
    either programme is named on any page they reach."""
    world = isolated_world
    user = world.users[persona]
    own_ids = set(user.people.values_list("pk", flat=True))
    assert own_ids, f"{persona} holds no person record"
    others = set()
    for person in Person.objects.exclude(pk__in=own_ids):
        others |= {person.display_name, person.legal_name}
    # A name one of their own records shares proves nothing.
    for person in Person.objects.filter(pk__in=own_ids):
        others -= {person.display_name, person.legal_name}

    result = _crawl_as(user)

    assert any(visit.url.startswith("/my/") for visit in result.visits)
    leaks = _leaks(result, {name for name in others if name.strip()})
    assert not leaks, f"{persona} sees other people's records: " + "; ".join(leaks)
