from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from selfservice.access import person_required
from selfservice.records import my_records


@require_GET
@person_required
def home(request: HttpRequest) -> HttpResponse:
    """A person's starting point: their applications, course and job, in
    each programme their account holds a record in."""
    return render(request, "selfservice/home.html", {"mine": my_records(request.user)})
