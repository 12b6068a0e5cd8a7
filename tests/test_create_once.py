"""Every create page is safe to submit twice (``peerprog.core.once``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import import_string

from peerprog.core import once
from tests.conftest import build_other_programme, build_programme, build_world
from tests.core.once_helpers import (
    Sample,
    post_concurrently,
    post_with_changed_token,
    session_cookie,
)


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def create_views() -> list[tuple[str, str]]:
    """Every named URL whose view is marked ``create_view``, with its sample."""
    return sorted(
        (name, once.sample_of(pattern.callback))
        for name, pattern in _patterns(get_resolver())
        if once.sample_of(pattern.callback)
    )


# Create pages that are not marked, and why. A new page whose name says it
# adds something fails the coverage test until it is marked or listed here.
NOT_CREATE_FORMS: dict[str, str] = {}
CREATE_WORDS = ("create", "add", "new")


def _looks_like_create(name: str, pattern: URLPattern) -> bool:
    words = name.split(":")[-1].split("-")
    route = str(pattern.pattern)
    return any(word in words for word in CREATE_WORDS) or any(
        f"/{word}/" in f"/{route}" for word in CREATE_WORDS
    )


def _moved(pattern: URLPattern) -> bool:
    """Old addresses that only redirect to their new place."""
    return pattern.callback.__module__ == "readiness.views.moved"


def test_every_create_page_is_marked_as_one() -> None:
    # The Django admin's add pages (system administrators only) are Django's own.
    unmarked = [
        name
        for name, pattern in _patterns(get_resolver())
        if not name.startswith("admin:")
        and _looks_like_create(name, pattern)
        and not once.sample_of(pattern.callback)
        and not _moved(pattern)
        and name not in NOT_CREATE_FORMS
    ]

    assert unmarked == []


def test_every_marked_page_has_a_sample_of_valid_form_data() -> None:
    for name, sample in create_views():
        assert callable(import_string(sample)), name


def test_the_walk_covers_the_reported_form() -> None:
    assert "core:adjustment-create" in dict(create_views())


def test_twenty_identical_posts_at_once_save_once_on_every_create_page(
    transactional_db: None, live_server: Any
) -> None:
    """For every create page: the form opened once, sent twenty times at the
    same moment, adds its record once; every answer is a redirect to the
    same page, none an error. A changed token saves nothing."""
    started = time.monotonic()
    world = build_world(build_programme(), build_other_programme())
    browsers: dict[str | None, dict[str, str]] = {None: {}}
    problems: list[str] = []
    for name, sample_path in create_views():
        sample: Sample = import_string(sample_path)(world)
        if sample.user not in browsers:
            browsers[sample.user] = session_cookie(world.users[sample.user])
        cookies = {**browsers[sample.user], **sample.cookies}
        before = sample.rows()
        refused = post_with_changed_token(live_server.url, sample, cookies)
        if not 200 <= refused < 400 or sample.rows() != before:
            problems.append(f"{name}: a changed token answered {refused} or saved something")
            continue
        answers = post_concurrently(live_server.url, sample, cookies)
        added = sample.rows() - before
        statuses = sorted({answer.status for answer in answers})
        places = {answer.location for answer in answers}
        if added != sample.new_rows:
            problems.append(f"{name}: {added} rows added, not {sample.new_rows}")
        if any(not 200 <= status < 400 for status in statuses):
            problems.append(f"{name}: answered {statuses}")
        if len(places) != 1 or not next(iter(places)):
            problems.append(f"{name}: sent to {places}")
    elapsed = time.monotonic() - started

    assert problems == []
    assert len(create_views()) >= 37
    print(f"{len(create_views())} create pages walked in {elapsed:.1f}s")
