from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from selfservice.access import REFUSED, has_own_pages
from selfservice.home_rows import my_home


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """A person's starting point: their applications, course and job, in
    each programme their account holds a record in. Only accounts that hold
    a person record reach it (403 for everyone else, staff included); that
    is asked only when the account has nothing to list."""
    mine = my_home(user=request.user)
    if not mine and not has_own_pages(request.user):
        raise PermissionDenied(REFUSED)
    return render(request, "selfservice/home.html", {"mine": mine})


home.required_roles = ("person",)  # type: ignore[attr-defined]
