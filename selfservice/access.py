"""The door to a person's own pages (re-exported from the kernel, where the
scope rules live with the others), and ``own_page``, the same door for a
page that reads one of the account's own records."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from peerprog.core.access import has_own_pages, own_or_404, own_records, person_required

__all__ = ["has_own_pages", "own_or_404", "own_page", "own_records", "person_required"]

REFUSED = "These pages are for people on the programme."


def own_page(view: Any) -> Any:
    """Decorate a page that reads one of the account's own records (by
    ``own_or_404``): it answers as ``person_required`` does (403 for an
    account without a person record, 404 for a record not its own), but
    asks whether the account holds a person record only when the page
    found no record of its own, which an account without one never has.
    For read-only pages: the view runs before that question."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if not has_own_pages(request.user):
                raise PermissionDenied(REFUSED) from None
            raise

    wrapped.required_roles = ("person",)  # type: ignore[attr-defined]
    return wrapped
