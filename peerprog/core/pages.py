"""What every app's pages share: the form page, a service's refusal shown on
the form or as a message, and a safe place to send the user back to.

Views bind a form and call one service; these helpers keep the rest of that
pattern (the page around the form, the ``except DomainError``) in one place
so every app words and renders it the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from peerprog.core import once
from peerprog.core.services import DomainError

T = TypeVar("T")

# The notes a form page shows above a form that holds special-category
# information. Pages with a narrower note (an application's personal
# statement, a wellbeing plan) pass their own words.
SPECIAL_CATEGORY = (
    "This is special-category information. Only HR and programme leads can see it. "
    "Record only what the person has chosen to tell us."
)
MAY_HOLD_SPECIAL_CATEGORY = (
    "This page may hold special-category information. Only HR and programme leads can "
    "see it. Record only what is needed."
)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    back_url: str = "",
    back_label: str = "Back",
    intro: str = "",
    warning: str = "",
    sensitive: str = "",
    extra: dict[str, Any] | None = None,
    template: str = "core/form_page.html",
) -> HttpResponse:
    """Render a page holding one form: a back link, the heading, an optional
    introduction, warning and special-category note, then the form.

    ``template`` names a page that extends ``core/form_page.html`` to add a
    block of its own; ``extra`` is that page's further context. On a create
    view's page the form carries its one-time token (``peerprog.core.once``).
    """
    context = {
        "form": once.form_with_token(request, form),
        "title": title,
        "back_url": back_url,
        "back_label": back_label,
        "intro": intro,
        "warning": warning,
        "sensitive": sensitive,
        **(extra or {}),
    }
    return render(request, template, context)


def attempt(form: forms.BaseForm, action: Callable[[], T], *, field: str | None = None) -> T | None:
    """Run a service for a bound form. A refusal goes on the form (as a
    non-field error unless ``field`` is named) and gives None; otherwise the
    service's result."""
    try:
        return action()
    except DomainError as refused:
        form.add_error(field, refused.message)
        return None


def act(
    request: HttpRequest, action: Callable[[], T], *, done: str | Callable[[T], str]
) -> T | None:
    """Run a service for an action button (a post without a form to show).
    A refusal becomes an error message and gives None; otherwise ``done``
    (a message, or a function of the result giving one) becomes a success
    message and the service's result is returned."""
    try:
        result = action()
    except DomainError as refused:
        messages.error(request, refused.message)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return result


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` the page was given, when it stays on this site; otherwise
    ``default``. A ``next`` to another host would make us an open redirect."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# A number no record has, standing for the id in an address pattern.
_ANY_ID = 987654321


def address_pattern(url_name: str) -> str:
    """The address of ``url_name`` with ``{}`` for the record's id, so that
    a list of many rows formats its links rather than reversing each one."""
    return reverse(url_name, args=[_ANY_ID]).replace(str(_ANY_ID), "{}")
