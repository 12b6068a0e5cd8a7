"""What supervision's pages share: the form page and showing a service's
refusal on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peerprog.core.services import DomainError

T = TypeVar("T")


def form_page(
    request: HttpRequest, form: Any, title: str, back_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "supervision/form_page.html",
        {"form": form, "title": title, "back_url": back_url, **extra},
    )


def attempt(form: Any, action: Callable[[], T]) -> T | None:
    """Run a service; a refusal goes on the form as a non-field error."""
    try:
        return action()
    except DomainError as refused:
        form.add_error(None, refused.message)
        return None
