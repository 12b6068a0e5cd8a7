"""The home page's role cards, drawn in Python: each card is a few lines of
one pattern per queue line and page, each value escaped once, rather than
template loops over every line of every role."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_QUEUE_LINE = (
    '<li class="d-flex align-items-baseline gap-2 mb-2">\n'
    '<span class="badge rounded-pill {badge} work-count" aria-hidden="true">{count}</span>\n'
    '<span><a href="{url}"><span class="visually-hidden">{count} </span>{label}</a>{hint}</span>\n'
    "</li>\n"
)
_PAGE_LINE = '<li><a href="{url}">{label}</a>{description}</li>\n'
_NOTE = '<br><span class="small text-muted">{}</span>'
_NOTHING_YET = (
    '<p class="mb-0 text-muted">Your pages for this role will appear here as they are set up '
    "for your programme.</p>\n"
)


def role_name(label: str) -> str:
    """ "As programme lead", but "As HR": a label in capitals keeps them."""
    return label if label.upper() == label else label.lower()


def _queue(items: list[Any]) -> str:
    lines = "".join(
        _QUEUE_LINE.format(
            badge="text-bg-primary" if item.count else "text-bg-light border",
            count=escape(item.count),
            url=escape(item.url),
            label=escape(item.label),
            hint=_NOTE.format(escape(item.hint)) if item.hint else "",
        )
        for item in items
    )
    return (
        '<h3 class="h6 mt-3">Needs you today</h3>\n'
        f'<ul class="list-unstyled work-queue mb-3">\n{lines}</ul>\n'
    )


def _pages(entries: list[Any]) -> str:
    lines = "".join(
        _PAGE_LINE.format(
            url=escape(entry.url),
            label=escape(entry.label),
            description=_NOTE.format(escape(entry.description)) if entry.description else "",
        )
        for entry in entries
    )
    return (
        '<h3 class="h6 mt-3">Your pages</h3>\n'
        f'<ul class="list-unstyled card-link-list mb-0">\n{lines}</ul>\n'
    )


def sections_html(sections: list[dict[str, Any]]) -> SafeString:
    """One card per role: what needs the user today, then their pages."""
    cards = []
    for number, section in enumerate(sections, start=1):
        items = section["queue"].items if section["queue"] else []
        entries = section["entries"]
        body = (_queue(items) if items else "") + (
            _pages(entries) if entries else ("" if items else _NOTHING_YET)
        )
        cards.append(
            f'<section class="col-md-6 col-xl-4" aria-labelledby="role-{number}">\n'
            '<div class="card h-100">\n<div class="card-body">\n'
            f'<h2 class="h5 card-title" id="role-{number}">'
            f"As {escape(role_name(str(section['role'].label)))}</h2>\n"
            f"{body}</div>\n</div>\n</section>\n"
        )
    return mark_safe("".join(cards))  # noqa: S308 - every value above is escaped
