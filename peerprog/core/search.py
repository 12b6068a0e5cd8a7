"""Search for staff across the programme: people, applications, posts.

Apps add a source in ``AppConfig.ready``; a source takes the signed-in user
and the words searched for, and returns ``SearchHit`` items for the records
that user may open, each linking to its page. A source decides access
itself through its app's scoped selectors: a mentor's source finds only
their own mentees, and no source reaches another programme. Each source
costs a fixed number of queries and returns at most ``LIMIT`` hits.

A hit carries a name, the kind of record and a short plain detail (a
cohort, a stage, a service): never a health fact, a statement or a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from peerprog.core.kept_queries import kept_statement

# Hits per source; the page says when a source had more.
LIMIT = 20
# The longest query kept, and the most words searched for.
MAX_LENGTH = 100
MAX_WORDS = 5
MIN_LENGTH = 2


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    url: str
    detail: str = ""


# Called as ``source(user=..., words=...)``.
Source = Callable[..., Iterable[SearchHit]]

_sources: list[tuple[int, str, Source]] = []


def add(heading: str, source: Source, *, order: int = 100) -> None:
    """Register a source whose hits the results page shows under
    ``heading`` ("People", "Applications")."""
    entry = (order, heading, source)
    if entry not in _sources:
        _sources.append(entry)


def words_of(query: str) -> list[str]:
    """The words to search for: at most ``MAX_WORDS``, from a query cut to
    ``MAX_LENGTH`` characters; none when it is shorter than ``MIN_LENGTH``."""
    query = query.strip()[:MAX_LENGTH]
    if len(query) < MIN_LENGTH:
        return []
    return query.split()[:MAX_WORDS]


def name_matches(words: list[str], prefix: str = "") -> Q:
    """Every word in the first, preferred or last name (or the e-mail)."""
    condition = Q()
    for word in words:
        condition &= (
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}preferred_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}email__icontains": word})
        )
    return condition


# Stand-ins for the words while a source's query is built: letters only,
# so that the pattern of a "contains" lookup holds them as they are. They
# are replaced in one pass, so a word is never read for a stand-in.
_STAND_INS = tuple(f"peerprogsearchword{letter}" for letter in "abcde"[:MAX_WORDS])
_STAND_IN = re.compile("peerprogsearchword([a-e])")


def found_rows(
    name: str, key: Hashable, words: list[str], build: Callable[[list[str]], QuerySet]
) -> list[tuple[Any, ...]]:
    """The rows of the ``values_list`` query ``build(words)`` returns, its
    SQL built once for each ``key`` (everything else the query reads, such
    as the user's programme) and number of words, and asked with these
    words every time. Building a source's query in the ORM cost more than
    running it. The words must be matched with "contains" lookups
    (``icontains``), whose patterns hold them escaped for LIKE; the rows
    are plain values, as the database gives them."""
    stand_ins = list(_STAND_INS[: len(words)])
    try:
        sql, params = kept_statement(
            name, (key, len(words)), lambda: build(stand_ins).query.sql_with_params()
        )
    except EmptyResultSet:
        return []
    escaped = {
        stand_in[-1]: connection.ops.prep_for_like_query(word)
        for stand_in, word in zip(stand_ins, words, strict=True)
    }
    asked = [
        _STAND_IN.sub(lambda found: escaped[found.group(1)], param)
        if isinstance(param, str)
        else param
        for param in params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, asked)
        return cursor.fetchall()


@dataclass
class SearchGroup:
    heading: str
    hits: list[SearchHit]

    @property
    def more(self) -> bool:
        return len(self.hits) > LIMIT

    @property
    def shown(self) -> list[SearchHit]:
        return self.hits[:LIMIT]


def search(*, user: Any, query: str) -> list[SearchGroup]:
    """The hits of every source, grouped by heading; groups with no hit
    are left out. Sources return up to ``LIMIT + 1`` hits so the page can
    say there were more."""
    words = words_of(query)
    if not words:
        return []
    groups: dict[str, SearchGroup] = {}
    for _, heading, source in sorted(_sources, key=lambda entry: (entry[0], entry[1])):
        hits = list(source(user=user, words=words))
        if hits:
            groups.setdefault(heading, SearchGroup(heading, [])).hits.extend(hits)
    return list(groups.values())


_DETAIL = '<br><span class="small text-muted">{}</span>'


def results_html(groups: list[SearchGroup]) -> SafeString:
    """The results page's groups, drawn in Python from one pattern per line
    (each value escaped once) rather than a template loop per hit."""
    parts = []
    for number, group in enumerate(groups, start=1):
        lines = "".join(
            f'<li class="mb-2"><a href="{escape(hit.url)}">{escape(hit.title)}</a>'
            + (_DETAIL.format(escape(hit.detail)) if hit.detail else "")
            + "</li>\n"
            for hit in group.shown
        )
        more = (
            format_html(
                '<p class="small">More than {} found: add another word to narrow the search.</p>',
                len(group.shown),
            )
            if group.more
            else ""
        )
        parts.append(
            format_html(
                '<section class="mt-4" aria-labelledby="results-{0}">\n'
                '<h2 class="h5" id="results-{0}">{1}</h2>\n'
                '<ul class="list-unstyled">\n{2}</ul>\n{3}</section>\n',
                number,
                group.heading,
                mark_safe(lines),  # noqa: S308 - every value above is escaped
                more,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - built with format_html
