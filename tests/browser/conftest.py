"""Fixtures for browser tests: Playwright driving Debian's Chromium against
pytest-django's ``live_server``, with axe-core on every page.

How to write a browser test
---------------------------

Put it in ``tests/browser/`` (any ``test_*.py``). Every test collected here is
marked ``browser`` and ``django_db(transaction=True)`` automatically:
``live_server`` serves from another thread, so the data a test creates must
be committed for the server to see it, and is flushed after the test. Run
only these tests with ``-m browser``, or leave them out with
``-m "not browser"``::

    from tests.browser.support import check_accessible, sign_in

    def test_lead_sees_people(page, live_server):
        ctx = seed_demo()                      # or factories; all committed
        sign_in(page, live_server, ctx.users["lead"].email, ctx.password)
        check_accessible(page)                 # the home page
        page.get_by_role("link", name="People").first.click()
        check_accessible(page)                 # the people page
        expect(page.get_by_role("heading", name="People")).to_be_visible()

The fixtures and helpers:

``page`` (and every page of any context made with ``new_context``)
    Playwright's page, watched: every main-frame navigation (links, form
    posts, the end of a redirect, htmx's ``hx-push-url``) is recorded, and
    the test fails at teardown if it visited an address it never checked
    with ``check_accessible``. So axe runs on every page a browser test
    visits, by construction. To test the plain-form fallback, use a context
    that loads none of the app's scripts: ``block_scripts(context)``
    (``tests.browser.support``). Reuse a signed-in session in a second
    context with ``new_context(storage_state=context.storage_state())``.

``check_accessible(page)`` (``tests.browser.support``)
    Runs axe-core (``node_modules/axe-core/axe.min.js``, installed by
    ``npm ci`` in ``scripts/assets.sh``) on the page as it is now, with the
    app's Content-Security-Policy left on, and fails on any violation of
    impact "serious" or "critical", listing the rule, its help text and the
    failing elements. Call it after each navigation, and after an htmx swap
    worth checking.

``sign_in(page, live_server, email, password)`` (``tests.browser.support``)
    Opens the sign-in page, checks it with axe, fills "E-mail address" and
    "Password" and presses "Sign in". The page is left where sign-in lands
    (home, or the form with its error): check it yourself. Use ``force_login``
    only in client tests; browser tests sign in through the form.

``live_server``
    pytest-django's server (session-wide); ``live_server.url`` is its base.

The browser is Debian's Chromium at ``/usr/bin/chromium``, headless; one
browser per session, a fresh context per test. Keep browser tests few and
broad: one sign-in per role and a walk through its pages, not one test per
button (use the Django test client for that).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.support import AxeTracker

# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse database calls from it (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_HERE = os.path.dirname(os.path.abspath(__file__))


def pytest_configure(config: pytest.Config) -> None:
    # pytest-base-url (pulled in by pytest-playwright) defines its session
    # fixture in a way pytest 9 warns about; nothing for us to change.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods"
        ":pytest.PytestRemovedIn10Warning",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not str(item.path).startswith(_HERE + os.sep):
            continue
        if item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def axe_tracker(request: pytest.FixtureRequest) -> Iterator[AxeTracker]:
    """Every page the test visits must have been checked with axe."""
    tracker = AxeTracker()
    yield tracker
    rep_call = getattr(request.node, "rep_call", None)
    if rep_call is None or rep_call.failed:
        # The test failed or never ran: its own error is the one to read.
        return
    unchecked = list(tracker.pending)
    assert not unchecked, (
        "These pages were visited but never checked with check_accessible(page): "
        + ", ".join(unchecked)
    )


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext], axe_tracker: AxeTracker
) -> Callable[..., BrowserContext]:
    def _new_context(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.on("page", axe_tracker.watch)
        return context

    return _new_context


@pytest.fixture
def page(context: BrowserContext, axe_tracker: AxeTracker) -> Iterator[Page]:
    page = context.new_page()
    # Watching twice is harmless (the context already did); this makes sure
    # the page is watched even if the context came from elsewhere.
    axe_tracker.watch(page)
    yield page
    # Let events of a last navigation arrive before the tracker is read.
    page.wait_for_load_state("load")
