"""No page is wider than the window, on a laptop (1280x800) or a phone
(390x844), and each role's menu opens and reaches its pages at both sizes.

The pages are those each persona of the access-rule and isolation tests is
linked to (the same crawl as the programme-isolation test, over the same
``world``); each address is opened once per size, as the first persona that
reaches it. Wide tables must scroll inside their own container, not widen the
page.

axe-core runs on each role's home page at both sizes with the menu open, and
on the first page of each of the role's menu groups at the phone size (axe on
every one of the hundred-odd pages at both sizes would take several minutes;
the other browser tests check each page's content with axe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from peerprog.core.navigation import sections_for
from tests.browser.support import AxeTracker, check_accessible, sign_in
from tests.conftest import World, build_other_programme, build_programme, build_world
from tests.selfservice.world import people_world
from tests.smoke.crawl import _route, crawl

PASSWORD = "a-long-test-password"
# Whoever reaches a page first opens it, so the order puts the widest
# reach first.
PERSONAS = [
    "lead",
    "hr",
    "admin",
    "mentor",
    "supervisor",
    "facilitator",
    "assessor",
    "trainee",
    "peer_worker",
    "sysadmin",
]


@dataclass(frozen=True)
class Size:
    name: str
    width: int
    height: int


LAPTOP = Size("laptop", 1280, 800)
PHONE = Size("phone", 390, 844)
SIZES = (LAPTOP, PHONE)

TOO_WIDE = """() => {
    const root = document.documentElement;
    if (root.scrollWidth <= window.innerWidth) return null;
    // Name the widest elements that stick out, to say what to fix.
    const culprits = Array.from(document.querySelectorAll('main *'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((el) => getComputedStyle(el).position === 'absolute'
            || !el.closest('.table-responsive')
            || el.classList.contains('table-responsive'))
        .slice(0, 3)
        .map((el) => el.tagName.toLowerCase()
            + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
    return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, culprits};
}"""


def _pages_by_persona(world: World) -> dict[str, list[str]]:
    """One page of each kind (URL pattern) linked for some persona, assigned
    to the first persona that reaches it."""
    assigned: dict[str, list[str]] = {}
    seen: set[str] = set()
    for persona in PERSONAS:
        client = Client()
        client.force_login(world.users[persona])
        result = crawl(client, per_route=1)
        assert not result.failures, f"{persona}: " + "; ".join(result.failures)
        pages = [
            visit.url
            for visit in result.visits
            if visit.status == 200 and visit.html and _route(visit.url) not in seen
        ]
        seen.update(_route(url) for url in pages)
        assigned[persona] = pages
    return assigned


def _fits(page: Page, url: str, size: Size, persona: str) -> str | None:
    too_wide = page.evaluate(TOO_WIDE)
    if too_wide is None:
        return None
    return (
        f"{url} at {size.width}x{size.height} as {persona}: the page is "
        f"{too_wide['scrollWidth']}px wide in a {too_wide['innerWidth']}px window "
        f"(sticking out: {', '.join(too_wide['culprits']) or 'the menu'})"
    )


def _open_menu(page: Page, size: Size) -> None:
    """On a phone the menu hides behind its button: open it."""
    toggler = page.get_by_role("button", name="Menu", exact=True)
    if size is PHONE:
        expect(toggler).to_be_visible()
        toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")
    else:
        expect(toggler).to_be_hidden()


def _in_window(page: Page, locator: Any) -> bool:
    box = locator.bounding_box()
    width = page.evaluate("() => window.innerWidth")
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def _check_navigation(page: Page, live_server: Any, user: Any, size: Size) -> list[str]:
    """Open each group of the role's menu and check its entries can be
    reached; the account menu and Sign out are on screen."""
    problems: list[str] = []
    base = live_server.url
    page.goto(base + reverse("core:home"))
    nav = page.get_by_role("navigation", name="Main")

    account = nav.get_by_role("button", name=re.compile("your account"))
    expect(account).to_be_visible()
    if not _in_window(page, account):
        problems.append(f"{user.email} at {size.name}: the account menu is off screen")
    account.click()
    sign_out = nav.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    if not _in_window(page, sign_out):
        problems.append(f"{user.email} at {size.name}: Sign out is off screen")
    page.keyboard.press("Escape")

    _open_menu(page, size)
    expect(nav.get_by_role("link", name="Home", exact=True)).to_be_visible()
    for section in sections_for(user, reverse("core:home")):
        if section.single:
            link = nav.get_by_role("link", name=section.single.label, exact=True)
            expect(link).to_be_visible()
            continue
        toggle = nav.get_by_role("button", name=section.label, exact=True)
        expect(toggle).to_be_visible()
        # From the keyboard, as someone without a mouse would.
        toggle.focus()
        page.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        for entry in section.entries:
            link = nav.get_by_role("link", name=entry.label, exact=True)
            expect(link).to_be_visible()
            expect(link).to_have_attribute("href", entry.url)
            if not _in_window(page, link):
                problems.append(f"{user.email} at {size.name}: {entry.label} is off screen")
        problem = _fits(page, "home with the menu open", size, user.email)
        if problem:
            problems.append(problem)
        page.keyboard.press("Escape")
        expect(toggle).to_have_attribute("aria-expanded", "false")
    if size is PHONE:
        # Axe on the home page with the whole menu open.
        check_accessible(page)
    else:
        sections = [s for s in sections_for(user, reverse("core:home")) if not s.single]
        if sections:
            nav.get_by_role("button", name=sections[0].label, exact=True).click()
        check_accessible(page)
    return problems


def test_no_page_is_wider_than_the_window_and_every_menu_opens(
    browser: Browser, live_server: Any
) -> None:
    world = build_world(build_programme(), build_other_programme())
    people_world(world)
    pages = _pages_by_persona(world)
    assert sum(len(urls) for urls in pages.values()) >= 50

    problems: list[str] = []
    opened = 0
    for persona in PERSONAS:
        user = world.users[persona]
        context = browser.new_context(viewport={"width": LAPTOP.width, "height": LAPTOP.height})
        page = context.new_page()
        AxeTracker().watch(page)
        sign_in(page, live_server, user.email, PASSWORD)
        # Staff land on the home page, trainees and peer workers on their own.
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        for size in SIZES:
            page.set_viewport_size({"width": size.width, "height": size.height})
            problems += _check_navigation(page, live_server, user, size)
            for url in pages[persona]:
                response = page.goto(live_server.url + url, wait_until="load")
                assert response is not None and response.status == 200, url
                opened += 1
                problem = _fits(page, url, size, persona)
                if problem:
                    problems.append(problem)
        # One page of each group of the role's menu, checked with axe.
        for section in sections_for(user, reverse("core:home")):
            page.goto(live_server.url + section.entries[0].url)
            check_accessible(page)
        context.close()

    assert opened >= 100
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
