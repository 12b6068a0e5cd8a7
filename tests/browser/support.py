"""Helpers for browser tests: axe-core checks and signing in through the form.

The fixtures that use these live in ``tests/browser/conftest.py``; its
docstring explains how to write a browser test with them.
"""

from __future__ import annotations

import base64
import re
import time
import weakref
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import BrowserContext, Page

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Violations of these impacts fail the test; "minor" and "moderate" ones are
# left to review.
FAILING_IMPACTS = frozenset({"serious", "critical"})


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        raise RuntimeError(
            f"axe-core is missing at {AXE_PATH}. Run scripts/assets.sh (npm ci) first."
        )
    return AXE_PATH.read_text(encoding="utf-8")


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


@dataclass
class AxeTracker:
    """Remembers every page a test's browser has shown and whether axe has
    looked at it since.

    Each main-frame navigation (a link, a form post, a redirect's end, an
    htmx ``hx-push-url``) puts its address on the ``pending`` list;
    ``check_accessible`` takes the current address off it. At the end of the
    test the list must be empty.
    """

    pending: dict[str, None] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        _trackers[page] = self

        def navigated(frame: Any) -> None:
            if frame is page.main_frame and frame.url.startswith(("http://", "https://")):
                self.pending[_without_fragment(frame.url)] = None

        page.on("framenavigated", navigated)

    def mark_checked(self, url: str) -> None:
        key = _without_fragment(url)
        self.pending.pop(key, None)
        self.checked.append(key)


_trackers: weakref.WeakKeyDictionary[Page, AxeTracker] = weakref.WeakKeyDictionary()


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"Accessibility violations on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now and return every violation.

    axe is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy does not govern, so the policy stays on for the
    page under test (no ``bypass_csp``).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """async () => {
            const results = await window.axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target, failureSummary: n.failureSummary})),
            }));
        }"""
    )


def check_accessible(page: Page) -> None:
    """Fail when axe-core finds a serious or critical violation on the page
    as it is now, and record the page as checked.

    Call it after every navigation (and after an htmx swap worth checking).
    """
    page.wait_for_load_state("load")
    tracker = _trackers.get(page)
    failing = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    if tracker is not None:
        tracker.mark_checked(page.url)
    assert not failing, _format_violations(page.url, failing)


def block_scripts(context: BrowserContext) -> None:
    """Make a browser context load none of the app's scripts (htmx,
    Bootstrap), to test the plain-HTML fallback.

    This stands in for ``java_script_enabled=False``: with JavaScript off
    Chromium also stops the timers axe-core needs, so axe could not check
    those pages. With the app's scripts blocked, the pages behave exactly as
    without JavaScript, and axe still runs through the DevTools protocol.
    """
    context.route("**/*.js", lambda route: route.abort())


def sign_in(page: Page, live_server: Any, email: str, password: str) -> None:
    """Sign in through the sign-in form, as a person would, checking the form
    page with axe on the way. Leaves the page where the sign-in lands (the
    home page after a success, the form with its error after a failure);
    the caller checks that page.

    When the account's role needs a second factor, it is passed as a person
    would: with the code their authenticator app would show now, or, with
    no app yet, by setting one up from the key the set-up page shows and
    going on past the recovery codes. Each of those pages is checked with
    axe too."""
    page.goto(live_server.url + reverse("login"))
    check_accessible(page)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    path = urlsplit(page.url).path
    if path == reverse("core:second-factor-verify"):
        check_accessible(page)
        _enter_code(page, app_code(email=email))
    elif path == reverse("core:second-factor-setup"):
        check_accessible(page)
        key = page.locator("#second-factor-key").inner_text()
        _enter_code(page, _code(_key_from_text(key), after=-1))
        check_accessible(page)
        with page.expect_navigation():
            page.get_by_role("link", name=re.compile("I have saved my recovery codes")).click()


def _enter_code(page: Page, code: str) -> None:
    page.get_by_label("Code from your authenticator app").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Continue|Confirm")).click()


def _key_from_text(text: str) -> bytes:
    key = "".join(text.split())
    return base64.b32decode(key + "=" * (-len(key) % 8))


def _code(key: bytes, *, after: int) -> str:
    """The app's code for the first time step after ``after`` (a code is
    accepted once, so a second sign-in within 30 seconds uses the next
    step, which the app's tolerance of one step still accepts)."""
    totp = TOTP(key, 30, 0, 6, 0)
    now = int(time.time())
    totp.time = now
    if totp.t() <= after:
        totp.time = now + 30 * (after + 1 - totp.t())
    return f"{totp.token():06d}"


def app_code(*, email: str) -> str:
    """The code the person's authenticator app would show now."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    return _code(device.bin_key, after=device.last_t)


def follow_menu(page: Page, section: str, link: str) -> None:
    """Follow ``link`` in the main navigation, opening its section's menu first
    when the section has more than one entry (a section of one is a plain link)."""
    nav = page.get_by_role("navigation", name="Main")
    # The open section's button also says "(this section)" to screen readers.
    toggle = nav.get_by_role(
        "button", name=re.compile(rf"^{re.escape(section)}( \(this section\))?$")
    )
    if toggle.count():
        toggle.click()
    with page.expect_navigation():
        nav.get_by_role("link", name=link, exact=True).click()
