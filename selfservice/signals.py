from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerprog.core.access import OWN_PAGES_SESSION_KEY, has_own_pages


def remember_own_pages(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At sign-in, remember whether the account holds a person record, so the
    menu offers "My pages" without a query on every page."""
    if request is not None and hasattr(request, "session"):
        request.session[OWN_PAGES_SESSION_KEY] = has_own_pages(user)
