"""The search sources keep their SQL once built (per programme and number
of words) and ask it with each search's words: the hits are those of the
query built afresh, whatever the words hold (LIKE's own characters, quotes,
a word that looks like another's stand-in), and never another programme's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db.models import QuerySet

from deployment.selectors.search import _found as found_posts
from deployment.selectors.search import posts
from peerprog.core.models import Person, Programme, Role, User
from peerprog.core.search import LIMIT, found_rows, name_matches
from peerprog.core.search_sources import people
from recruitment.selectors.search import applications
from tests.core.factories import PersonFactory, UserFactory
from tests.deployment.factories import PeerPostFactory
from tests.training.factories import ApplicationFactory, CohortFactory, enrol
from training.selectors.search import trainees

pytestmark = pytest.mark.django_db

WORDS = [
    ["an"],
    ["AN", "ma"],
    ["50%"],
    ["o_b"],
    ["back\\slash"],
    ["o'brien"],
    ["peerprogsearchwordb", "an"],
    ["a", "n", "o", "r", "e"],
]


@pytest.fixture
def lead(programme: Programme, other_programme: Programme) -> User:
    cohort = CohortFactory(programme=programme, name="Spring intake")
    for first, last in [
        ("Anna", "Mann"),
        ("Dan", "O'Brien"),
        ("Rosa", "50% Smith"),
        ("Joan", "Oxb"),
        ("Obi", "O_b back\\slash"),
        ("Peer", "peerprogsearchwordb an"),
    ]:
        person = PersonFactory(programme=programme, first_name=first, last_name=last)
        ApplicationFactory(cohort=cohort, person=person)
        enrol(cohort, first_name=first, last_name=last)
    PersonFactory(programme=other_programme, first_name="Anna", last_name="Elsewhere")
    PeerPostFactory(service__programme=programme, position_number="LXP-50%", job_title="Manager")
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD, Role.HR])


def _people(user: User, words: list[str]) -> QuerySet:
    return (
        Person.objects.filter(programme_id=user.programme_id)
        .filter(name_matches(words))
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "preferred_name", "last_name", "email")[: LIMIT + 1]
    )


@pytest.mark.parametrize("words", WORDS)
def test_kept_rows_are_those_of_the_query_built_afresh(lead: User, words: list[str]) -> None:
    expected = [tuple(row) for row in _people(lead, words)]
    for _ in range(2):
        found = found_rows("test_people", lead.programme_id, words, lambda w: _people(lead, w))
        assert [tuple(row) for row in found] == expected
    expected_posts = [tuple(row) for row in found_posts(lead, words)]
    kept_posts = found_rows("test_posts", lead.programme_id, words, lambda w: found_posts(lead, w))
    assert [tuple(row) for row in kept_posts] == expected_posts


@pytest.mark.parametrize("source", [people, applications, trainees, posts])
def test_each_source_finds_the_same_after_its_sql_is_kept(
    lead: User, source: Callable[..., list]
) -> None:
    seen = [source(user=lead, words=words) for words in WORDS]
    assert any(seen)
    assert [source(user=lead, words=words) for words in WORDS] == seen
    assert all("Elsewhere" not in hit.title for hits in seen for hit in hits)


def test_the_stand_in_of_a_later_word_in_a_search_is_searched_as_it_is(lead: User) -> None:
    hits = people(user=lead, words=["peerprogsearchwordb", "an"])
    assert hits
    assert {hit.title for hit in hits} == {"Peer peerprogsearchwordb an"}
