"""A NUL character in the address or a form is refused with 400 and a
plain page on every URL, never a 500 (PostgreSQL cannot store one, and the
database driver raises on it)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from peerprog.core.models import Person
from tests.conftest import World
from tests.test_access_rules import RULES

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def urls(module_world: World) -> dict[str, str]:
    """Every URL of the access-rule table, for the module's world. Its
    objects are all built here, before any test runs."""
    return {
        name: reverse(name, kwargs=rule.kwargs(module_world) if rule.kwargs else None)
        for name, rule in RULES.items()
    }


REFUSED = "The address or form contained a character that is not allowed."


def signed_in(world: World, persona: str) -> Client:
    # A 500 is counted, not raised, so that every URL is tried.
    client = Client(raise_request_exception=False)
    client.force_login(world.users[persona])
    return client


def with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


def refusals(client: Client, requests: list[tuple[str, str, str, dict[str, str]]]) -> list[str]:
    """Each request as (name, method, url, form); the ones not refused."""
    wrong = []
    for name, method, url, form in requests:
        # Each request in a savepoint of its own, rolled back after it, so
        # that a database error in one (a 500) does not break the next.
        with transaction.atomic():
            response = client.post(url, form) if method == "post" else client.get(url)
            transaction.set_rollback(True)
        if response.status_code != 400 or REFUSED not in response.content.decode():
            wrong.append(f"{name} {method.upper()} {url}: {response.status_code}")
    return wrong


@pytest.mark.parametrize("persona", ["admin", "lead"])
def test_a_nul_in_the_query_string_is_refused_on_every_url(
    persona: str, module_world: World, urls: dict[str, str]
) -> None:
    requests = [(name, "get", with_query(urls[name], "q=%00"), {}) for name in sorted(RULES)]

    wrong = refusals(signed_in(module_world, persona), requests)

    assert not wrong, "Not refused with 400:\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", ["admin", "lead"])
def test_a_nul_in_a_form_field_is_refused_on_every_url(
    persona: str, module_world: World, urls: dict[str, str]
) -> None:
    form = {"q": "\x00", "name": "Willow\x00Ward", "first_name": "Ada\x00"}
    requests = [(name, "post", urls[name], form) for name in sorted(RULES)]

    wrong = refusals(signed_in(module_world, persona), requests)

    assert not wrong, "Not refused with 400:\n" + "\n".join(wrong)


def test_a_nul_in_the_path_is_refused(module_world: World) -> None:
    response = signed_in(module_world, "lead").get("/people/%00/")

    assert response.status_code == 400


def test_a_raw_nul_in_the_query_string_is_refused(module_world: World) -> None:
    response = signed_in(module_world, "lead").get(reverse("core:people"), QUERY_STRING="q=\x00")

    assert response.status_code == 400


def test_a_nul_is_refused_before_signing_in(module_world: World) -> None:
    response = Client().post(
        reverse("login"), {"username": "lead@example.org\x00", "password": "x"}
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_nothing_is_stored_from_a_refused_form(module_world: World) -> None:
    before = Person.objects.count()

    signed_in(module_world, "lead").post(
        reverse("core:person-create"), {"first_name": "Ada\x00", "last_name": "Byron"}
    )

    assert Person.objects.count() == before
