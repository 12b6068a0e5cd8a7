"""What every training page shares: roles, the form page and showing a
service's refusal on the form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peerprog.core.models import Role
from peerprog.core.services import DomainError

LEAD = Role.PROGRAMME_LEAD
FACILITATOR = Role.FACILITATOR
COURSE_STAFF = (LEAD, FACILITATOR)
PAGE_SIZE = 50
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def form_page(
    request: HttpRequest, form: Any, title: str, back_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "core/form_page.html",
        {"form": form, "title": title, "back_url": back_url, **extra},
    )


def attempt(form: Any, action: Any) -> Any:
    """Run a service; a refusal goes on the form as a non-field error."""
    try:
        return action()
    except DomainError as refused:
        form.add_error(None, refused.message)
        return None
