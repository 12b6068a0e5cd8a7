"""Each demo role signs in through the form, sees its own home page and can
open every page its navigation offers, all passing axe-core."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from peerprog.core.models import Person
from peerprog.devtools.demo import (
    OTHER_PROGRAMME_NAME,
    PROGRAMME_NAME,
    DemoContext,
    demo_email,
)
from tests.browser.support import block_scripts, check_accessible, sign_in
from tests.core.factories import PersonFactory
from tests.demo_once import seed_demo_once


@dataclass(frozen=True)
class Expectation:
    """What a role's home page must and must not offer. Later parts of the
    product add links; these lists name the ones that tell roles apart."""

    links: tuple[str, ...] = ()
    no_links: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    no_texts: tuple[str, ...] = ()


LEAD_ONLY = ("People",)
ADMIN_ONLY = ("Staff and roles", "Audit trail")
SYSADMIN_ONLY = ("System administration",)

EXPECTATIONS: dict[str, Expectation] = {
    "lead": Expectation(
        links=("People", "Programme"),
        no_links=ADMIN_ONLY + SYSADMIN_ONLY,
        texts=("As programme lead", PROGRAMME_NAME),
    ),
    "hr": Expectation(
        links=("People", "Programme"),
        no_links=ADMIN_ONLY + SYSADMIN_ONLY,
        texts=("As HR",),
    ),
    "mentor": Expectation(
        no_links=LEAD_ONLY + ADMIN_ONLY + SYSADMIN_ONLY + ("Programme",),
        texts=("As mentor",),
        no_texts=("As programme lead",),
    ),
    "mentor2": Expectation(
        no_links=LEAD_ONLY + ADMIN_ONLY + SYSADMIN_ONLY + ("Programme",),
        texts=("As mentor",),
    ),
    "supervisor": Expectation(
        no_links=LEAD_ONLY + ADMIN_ONLY + SYSADMIN_ONLY,
        texts=("As supervisor",),
        no_texts=("As mentor",),
    ),
    "admin": Expectation(
        links=(*ADMIN_ONLY, "Programme"),
        no_links=LEAD_ONLY + SYSADMIN_ONLY,
        texts=("As admin",),
    ),
    "facilitator": Expectation(
        no_links=LEAD_ONLY + ADMIN_ONLY + SYSADMIN_ONLY,
        texts=("As facilitator", "As assessor"),
    ),
    "assessor": Expectation(
        no_links=LEAD_ONLY + ADMIN_ONLY + SYSADMIN_ONLY,
        texts=("As assessor",),
        no_texts=("As facilitator",),
    ),
    "southvale-lead": Expectation(
        links=("People",),
        no_links=ADMIN_ONLY + SYSADMIN_ONLY,
        texts=("As programme lead", OTHER_PROGRAMME_NAME),
        no_texts=(PROGRAMME_NAME,),
    ),
    "sysadmin": Expectation(
        links=(*SYSADMIN_ONLY, "Audit trail"),
        no_links=LEAD_ONLY,
        texts=("You are a system administrator",),
    ),
}


def _words(text: str) -> re.Pattern[str]:
    return re.compile(re.escape(text), re.IGNORECASE)


def _main_nav(page: Page) -> Any:
    return page.get_by_role("navigation", name="Main")


def _nav_hrefs(page: Page, base: str) -> list[str]:
    """Every same-site address the main navigation and the home page's
    role cards link to, in order, without repeats."""
    hrefs: list[str] = page.evaluate(
        """() => Array.from(
            document.querySelectorAll('nav[aria-label="Main"] a[href], main a[href]')
        ).map((a) => a.href)"""
    )
    seen: dict[str, None] = {}
    for href in hrefs:
        href = href.split("#", 1)[0]
        if href.startswith(base):
            seen[href] = None
    return list(seen)


def test_each_role_and_the_sign_in_form_on_one_seeded_demo(
    new_context: Any, live_server: Any, subtests: pytest.Subtests
) -> None:
    """The demo is seeded once (seeding and flushing it is most of a browser
    test's time) and each check below runs on it as a subtest of its own,
    in fresh browser contexts of its own (no cookie or session carries
    over), so a failure names its role or check and the others still run.

    Every role signs in and opens every page it is offered; then signing
    out, the people search (which adds people, so it comes after the walks)
    and a wrong password (last, so the failed attempt precedes no sign-in)."""
    demo = seed_demo_once()
    for role in EXPECTATIONS:
        with subtests.test(role=role):
            context = new_context()
            try:
                _walk_role(context.new_page(), live_server, role, demo.password)
            finally:
                context.close()
    with subtests.test("signing out ends the session"):
        _signing_out_ends_the_session(new_context().new_page(), live_server, demo.password)
    with subtests.test("the people search updates the list with htmx and without scripts"):
        _people_search_updates_the_list_with_htmx_and_without_scripts(
            new_context, live_server, demo
        )
    with subtests.test("a wrong password is refused in plain words"):
        _a_wrong_password_is_refused_in_plain_words(new_context().new_page(), live_server)


def _walk_role(page: Page, live_server: Any, role: str, password: str) -> None:
    sign_in(page, live_server, demo_email(role), password)
    expect(page, f"{role}: signing in lands on the home page").to_have_url(
        live_server.url + reverse("core:home")
    )
    check_accessible(page)

    expectation = EXPECTATIONS[role]
    for label in expectation.links:
        expect(
            page.get_by_role("link", name=label, exact=True).first,
            f"{role}: the home page offers the link {label!r}",
        ).to_be_visible()
    for label in expectation.no_links:
        expect(
            page.get_by_role("link", name=label, exact=True),
            f"{role}: the home page offers no link {label!r}",
        ).to_have_count(0)
    main = page.locator("main")
    for text in expectation.texts:
        expect(page.locator("body"), f"{role}: the page says {text!r}").to_contain_text(
            _words(text)
        )
    for text in expectation.no_texts:
        expect(main, f"{role}: the page does not say {text!r}").not_to_contain_text(_words(text))

    hrefs = _nav_hrefs(page, live_server.url)
    assert live_server.url + reverse("core:notifications") in hrefs, (
        f"{role}: no link to the notifications"
    )
    for href in hrefs:
        response = page.goto(href)
        assert response is not None, f"{role}: {href} gave no response"
        assert response.status == 200, f"{role}: {href} answered {response.status}"
        check_accessible(page)


def _signing_out_ends_the_session(page: Page, live_server: Any, password: str) -> None:
    sign_in(page, live_server, demo_email("lead"), password)
    check_accessible(page)

    page.get_by_role("button", name=re.compile("your account")).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    check_accessible(page)  # with the account menu open
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_server.url + reverse("login"))
    check_accessible(page)

    page.goto(live_server.url + reverse("core:people"))
    expect(page).to_have_url(re.compile(re.escape(reverse("login")) + r"\?next="))
    check_accessible(page)


def _a_wrong_password_is_refused_in_plain_words(page: Page, live_server: Any) -> None:
    sign_in(page, live_server, demo_email("lead"), "not-the-password")

    expect(page.get_by_text("The e-mail address or password is not right.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    check_accessible(page)


def _results(page: Page) -> Any:
    return page.locator("#results tbody tr")


def _people_search_updates_the_list_with_htmx_and_without_scripts(
    new_context: Any, live_server: Any, demo: DemoContext
) -> None:
    context = new_context()
    page = context.new_page()
    for first, last in (("Ada", "Lovelace"), ("Mary", "Seacole"), ("Florence", "Nightingale")):
        PersonFactory(programme=demo.programme, first_name=first, last_name=last)
    # The first page of the list holds up to 50 of the programme's people.
    first_page = min(50, Person.objects.filter(programme=demo.programme).count())
    sign_in(page, live_server, demo_email("lead"), demo.password)
    check_accessible(page)
    _main_nav(page).get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    check_accessible(page)
    expect(_results(page)).to_have_count(first_page)

    # A full page load would forget this marker; an htmx swap keeps it.
    page.evaluate("() => { window.peerprogMarker = 'still here'; }")
    page.get_by_label("Search by name or e-mail").fill("Seacole")
    expect(_results(page)).to_have_count(1)
    expect(_results(page)).to_contain_text("Mary Seacole")
    expect(page.locator("#results caption")).to_contain_text("matching “Seacole”")
    expect(page).to_have_url(re.compile(r"\?q=Seacole$"))
    assert page.evaluate("() => window.peerprogMarker") == "still here"
    check_accessible(page)

    # The same search as a plain form, in the same session, with no scripts.
    plain_context = new_context(storage_state=context.storage_state())
    block_scripts(plain_context)
    plain = plain_context.new_page()
    plain.goto(live_server.url + reverse("core:people"))
    check_accessible(plain)
    expect(_results(plain)).to_have_count(first_page)
    plain.get_by_label("Search by name or e-mail").fill("Nightingale")
    with plain.expect_navigation():
        plain.get_by_role("button", name="Search").click()
    expect(plain).to_have_url(re.compile(r"\?q=Nightingale$"))
    expect(_results(plain)).to_have_count(1)
    expect(_results(plain)).to_contain_text("Florence Nightingale")
    check_accessible(plain)
