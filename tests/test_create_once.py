"""Every create page is safe to submit twice (``peerprog.core.once``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from peerprog.core import once


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
