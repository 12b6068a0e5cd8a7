"""Every page a signed-in person opens is marked ``Cache-Control: no-store,
private``, so no browser or proxy keeps a copy of it: walked over every URL
of the access-rule table, whatever the answer (a page, a redirect, a
refusal). Anonymous public pages and static files keep their defaults."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

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


PERSONAS = ("lead", "admin")


def directives(value: str) -> set[str]:
    return {part.strip().lower() for part in value.split(",") if part.strip()}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_for_a_signed_in_person_is_not_stored(
    persona: str, module_world: World, urls: dict[str, str]
) -> None:
    client = Client()
    client.force_login(module_world.users[persona])
    wrong = []
    for url_name, rule in sorted(RULES.items()):
        url = urls[url_name]
        response = client.post(url) if rule.method == "post" else client.get(url)
        found = directives(response.get("Cache-Control", ""))
        if not {"no-store", "private"} <= found:
            wrong.append(f"{url_name} ({url}, {response.status_code}): {found or 'none'}")
        if url_name == "logout":
            client.force_login(module_world.users[persona])
    assert not wrong, "Pages a signed-in person may keep a copy of:\n" + "\n".join(wrong)


def test_the_page_after_signing_in_is_not_stored(module_world: World) -> None:
    response = Client().post(
        reverse("login"),
        {"username": module_world.users["lead"].email, "password": "a-long-test-password"},
        REMOTE_ADDR="203.0.113.50",
        follow=True,
    )

    assert response.wsgi_request.user.is_authenticated
    assert directives(response["Cache-Control"]) == {"no-store", "private"}


def test_an_anonymous_public_page_keeps_its_defaults(module_world: World) -> None:
    response = Client().get(reverse("core:about"))

    assert response.status_code == 200
    assert "no-store" not in directives(response.get("Cache-Control", ""))


def test_static_files_are_untouched_for_a_signed_in_person(module_world: World) -> None:
    client = Client()
    client.force_login(module_world.users["lead"])

    response = client.get("/static/css/peerprog.css")

    assert response.status_code == 200
    assert "no-store" not in directives(response.get("Cache-Control", ""))
