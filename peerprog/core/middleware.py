"""The site's own middleware: answers that hold for every page.

* ``refuse_nul_bytes``: a NUL character anywhere in the address or a form
  is refused with 400 before any view runs. PostgreSQL cannot store one, and
  the database driver raises on it, which would otherwise be a 500 on any
  page that passes the value to a query.
* ``private_pages_not_stored``: every answer to a signed-in person is marked
  ``Cache-Control: no-store, private``, so neither a shared computer's
  browser nor a proxy keeps a copy of a page of people's records. Anonymous
  public pages keep their defaults; static files are served before this
  runs and are not touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict

NUL = "\x00"
NUL_REFUSED = "The address or form contained a character that is not allowed."
NUL_PAGE = (
    '<!doctype html>\n<html lang="en-GB">\n<head><meta charset="utf-8">'
    "<title>Not allowed</title></head>\n<body>\n<h1>Not allowed</h1>\n"
    f"<p>{NUL_REFUSED}</p>\n<p>Go back, remove it and try again.</p>\n</body>\n</html>\n"
)
PRIVATE_CACHE_CONTROL = "no-store, private"

Middleware = Callable[[HttpRequest], HttpResponse]


def _any_nul(texts: Iterable[str]) -> bool:
    return any(NUL in text for text in texts)


def _fields_have_nul(fields: QueryDict) -> bool:
    return any(NUL in key or _any_nul(values) for key, values in fields.lists())


def has_nul(request: HttpRequest) -> bool:
    """A NUL in the path, the query string (raw or ``%00``) or the form."""
    query = request.META.get("QUERY_STRING", "")
    if NUL in request.path_info or NUL in request.path or NUL in query or "%00" in query:
        return True
    if _fields_have_nul(request.GET):
        return True
    return request.method == "POST" and _fields_have_nul(request.POST)


def refuse_nul_bytes(get_response: Middleware) -> Middleware:
    def middleware(request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            return HttpResponseBadRequest(NUL_PAGE)
        return get_response(request)

    return middleware


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def private_pages_not_stored(get_response: Middleware) -> Middleware:
    def middleware(request: HttpRequest) -> HttpResponse:
        signed_in = _signed_in(request)
        response = get_response(request)
        # Read again after the view, so that signing in during this request
        # counts too (and signing out does not undo it).
        if signed_in or _signed_in(request):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response

    return middleware
