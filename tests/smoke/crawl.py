"""Crawl every page a signed-in user is shown a link to, and check each
answers.

``crawl(client)`` walks breadth-first from the home page, following every
same-site ``<a href>`` (GET only; never the sign-out, the Django admin,
static or media files), and reports every page that does not answer 200.
A redirect to another page of the site is followed; one to the sign-in page
is a failure. The programme-isolation test uses it with pytest's database;
run as a script, it crawls as every demo user::

    DEBUG=true python -m tests.smoke.crawl

and prints each page visited, exiting non-zero when any page failed.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

SKIP_PREFIXES = ("/static/", "/media/", "/system-admin/")
SITE_HOSTS = {"", "testserver", "localhost", "127.0.0.1"}
MAX_PAGES = 2000
# Addresses per URL pattern when run as a script (see crawl's docstring).
SCRIPT_PER_ROUTE = 25


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


@dataclass
class Visit:
    url: str
    status: int
    found_on: str
    html: str = ""


@dataclass
class CrawlResult:
    visits: list[Visit] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    truncated: bool = False
    sampled_out: int = 0

    @property
    def urls(self) -> list[str]:
        return [visit.url for visit in self.visits]


def _normalise(href: str, base: str) -> str | None:
    """The site-relative address of a link, or None when it is not one to
    follow."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.hostname not in SITE_HOSTS | {None}:
        return None
    if parts.path.startswith(SKIP_PREFIXES) or parts.path == _logout_path():
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _logout_path() -> str:
    from django.urls import reverse

    return reverse("logout")


def _route(url: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return url


def crawl(
    client: Any,
    start: str = "/",
    *,
    max_pages: int = MAX_PAGES,
    per_route: int | None = None,
) -> CrawlResult:
    """Visit every page reachable from ``start`` by links, as ``client``'s
    user. Each page is fetched once; its HTML is kept for the caller.

    ``per_route`` caps the addresses visited per URL pattern (say, 20 person
    pages of the hundreds a large demo has), so the crawl covers every kind
    of page in a time that does not grow with the data.
    """
    from django.urls import reverse

    login_path = reverse("login")
    result = CrawlResult()
    per_route_count: dict[str, int] = {}
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    seen = {start}
    while queue:
        if len(result.visits) >= max_pages:
            result.truncated = True
            break
        url, found_on = queue.popleft()
        try:
            response = client.get(url)
        except Exception as error:
            # Keep crawling: one broken page should not hide the others.
            result.visits.append(Visit(url, 500, found_on))
            result.failures.append(
                f"{url} (linked from {found_on}) raised {type(error).__name__}: {error}"
            )
            continue
        html = ""
        if response.streaming:
            # Reading to the end lets the test client close the response
            # (closing it here would close the test's database connection).
            b"".join(response.streaming_content)
        elif response.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode(response.charset or "utf-8")
        result.visits.append(Visit(url, response.status_code, found_on, html))
        targets: list[str] = []
        if response.status_code in (301, 302, 303, 307, 308):
            location = _normalise(response["Location"], url)
            if location is None or urlsplit(location).path == login_path:
                result.failures.append(
                    f"{url} (linked from {found_on}) redirects to {response['Location']}"
                )
            else:
                targets = [location]
        elif response.status_code != 200:
            result.failures.append(
                f"{url} (linked from {found_on}) answered {response.status_code}"
            )
        else:
            targets = [t for t in (_normalise(h, url) for h in links_in(html)) if t]
        for target in targets:
            if target in seen:
                continue
            seen.add(target)
            if per_route is not None:
                route = _route(target)
                if per_route_count.get(route, 0) >= per_route:
                    result.sampled_out += 1
                    continue
                per_route_count[route] = per_route_count.get(route, 0) + 1
            queue.append((target, url))
    return result


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerprog.settings")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from peerprog.core.models import User
    from peerprog.core.second_factor import SESSION_KEY
    from peerprog.devtools.demo import DEMO_DOMAIN

    # The test client's host and an in-memory mailbox, as in tests.
    setup_test_environment()
    users = User.objects.filter(email__endswith="@" + DEMO_DOMAIN, is_active=True).order_by("pk")
    if not users:
        print("No demo users: run manage.py seed_demo first.", file=sys.stderr)
        return 2
    failed = False
    for user in users:
        client = Client()
        client.force_login(user)
        # As after entering the code from their authenticator app: the crawl
        # is of the pages each role is offered once fully signed in.
        session = client.session
        session[SESSION_KEY] = "totp"
        session.save()
        result = crawl(client, per_route=SCRIPT_PER_ROUTE)
        for visit in result.visits:
            print(f"  {visit.status} {visit.url}")
        for failure in result.failures:
            print(f"FAILED {user.email}: {failure}")
        if result.truncated:
            print(f"FAILED {user.email}: stopped after {MAX_PAGES} pages")
        failed = failed or bool(result.failures) or result.truncated
        print(f"CRAWLED {user.email} {len(result.visits)} (not sampled: {result.sampled_out})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
