"""Who has read my records: every read of the account's special-category
facts by someone else (their role and name, when, what kind), from the
kernel's read log. Never what they read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peerprog.core.privacy.read_log_selectors import reads_of_my_records
from selfservice.access import person_required

PAGE_SIZE = 50


@require_GET
@person_required
def my_reads(request: HttpRequest) -> HttpResponse:
    page = Paginator(reads_of_my_records(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "selfservice/my_reads.html", {"page": page})
