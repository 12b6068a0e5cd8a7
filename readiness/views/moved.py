"""Team readiness's pages used to live under ``/deployment/``. Survey links
have been e-mailed and pages bookmarked with those addresses, so each old
address answers with a permanent redirect to its new one.

A GET (or HEAD) gets 301. Any other method gets 308, which keeps the method
and body: a survey page opened before the move and sent after it still
arrives with its answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from peerprog.core.access import public


def moved_to(url_name: str, *, private: bool = False) -> Callable[..., HttpResponse]:
    """A view that sends the old address to ``url_name`` with the same URL
    arguments and query string. ``private`` marks a page whose address is a
    key (a respondent's link): not cached, and sent to no other site."""

    # The redirect changes nothing; the new address checks the CSRF token
    # of a form that is re-sent there.
    @public
    @csrf_exempt
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        location = reverse(url_name, kwargs=kwargs or None)
        query = request.META.get("QUERY_STRING", "")
        if query:
            location = f"{location}?{query}"
        response = HttpResponsePermanentRedirect(location)
        if request.method not in ("GET", "HEAD"):
            response.status_code = 308
        if private:
            response["Referrer-Policy"] = "same-origin"
            response["Cache-Control"] = "no-store"
        return response

    view.__name__ = f"moved_to_{url_name.replace(':', '_').replace('-', '_')}"
    return view
