"""Applying online: the programme's public pages, open without signing in.

``/apply/<programme>/`` lists the cohorts taking applications today;
``/apply/<programme>/<cohort>/`` is the application form, and its
confirmation page comes after, with the way to the optional equality
questions (for the application this browser just sent, kept in its
session). The pages work without JavaScript, say nothing about who is on
record, and are not cached.

Abuse is kept small: a hidden honeypot field (a robot that fills it sees the
thanks page and nothing is stored), size limits on every field, no file
upload, and a throttle per client address and per e-mail address kept in
the shared cache (Redis), answered with 429.
"""

from __future__ import annotations

import functools
import hashlib
from typing import NamedTuple

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from peerprog.core.access import client_ip, public
from peerprog.core.equality import EqualityMonitoringForm
from peerprog.core.once import create_view
from peerprog.core.services import DomainError
from recruitment import selectors, services
from recruitment.forms import ApplyOnlineForm
from recruitment.models import Cohort

# Applications sent in an hour from one client address (a shared library or
# clinic connection may send a few), and to one e-mail address.
ADDRESS_LIMIT = 10
EMAIL_LIMIT = 3
THROTTLE_SECONDS = 60 * 60
TOO_MANY = "Too many applications from here; try again in an hour."
THROTTLE_PREFIX = "apply-throttle"
# The session key holding the application just sent from this browser, for
# the optional equality step (never an id in the address).
SESSION_KEY = "recruitment_applied"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def throttle_keys(request: HttpRequest, email: str) -> list[str]:
    """The cache keys counting this client address and this e-mail address
    (hashed: no address is kept in the cache as it was typed)."""
    keys = [f"{THROTTLE_PREFIX}:address:{client_ip(request)}"]
    if email:
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        keys.append(f"{THROTTLE_PREFIX}:email:{digest}")
    return keys


def _throttled(request: HttpRequest, email: str) -> bool:
    """Count this application; True when the address or the e-mail has sent
    its limit in the last hour already (then nothing is counted)."""
    keys = throttle_keys(request, email)
    limits = [ADDRESS_LIMIT, EMAIL_LIMIT]
    counts = cache.get_many(keys)
    if any(counts.get(key, 0) >= limit for key, limit in zip(keys, limits, strict=False)):
        return True
    for key in keys:
        if not cache.add(key, 1, THROTTLE_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, THROTTLE_SECONDS)
    return False


@public
@require_GET
def apply_index(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's cohorts taking applications today."""
    programme = selectors.programme_for_slug(slug=slug)
    cohorts = list(
        selectors.cohorts_open_for_applications(programme=programme, today=timezone.localdate())
    )
    return _private(
        render(
            request, "recruitment/apply/index.html", {"programme": programme, "cohorts": cohorts}
        )
    )


class BlankForm(NamedTuple):
    """The empty application form's markup either side of its CSRF token,
    which is the visitor's own and goes in between on each visit."""

    before_token: SafeString
    after_token: SafeString


# Stands for the visitor's CSRF token while the empty form is drawn.
_VISIT_MARK = "csrf-of-the-visit"
_TOKEN_FIELD = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_VISIT_MARK}">'


@functools.cache
def blank_form() -> BlankForm:
    """The application form as every visitor first sees it, empty: the same
    for everyone but its CSRF token, so drawn once per process. A form sent
    back with errors is drawn anew."""
    html = render_to_string(
        "recruitment/apply/_form_fields.html",
        {"form": ApplyOnlineForm(), "csrf_token": _VISIT_MARK},
    )
    before, token, after = html.partition(_TOKEN_FIELD)
    if not token or _TOKEN_FIELD in after:
        raise ValueError("The application form should hold one CSRF token field.")
    return BlankForm(before_token=SafeString(before), after_token=SafeString(after))


def _closed(request: HttpRequest, cohort: Cohort) -> HttpResponse:
    return _private(
        render(
            request,
            "recruitment/apply/closed.html",
            {"cohort": cohort, "programme": cohort.programme},
        )
    )


@public
@create_view(sample="tests.recruitment.samples.apply_online")
def apply_form(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The application form for one cohort, while its window is open."""
    cohort = selectors.cohort_for_public(slug=slug, pk=pk)
    if not services.cohort_is_open(cohort=cohort):
        return _closed(request, cohort)
    form = ApplyOnlineForm(request.POST or None)
    if request.method == "POST":
        if form.is_robot:
            # The same page a person sees, and nothing stored.
            return redirect("apply:sent", slug=slug, pk=cohort.pk)
        if form.is_valid():
            if _throttled(request, form.cleaned_data["email"]):
                return _private(
                    render(
                        request,
                        "recruitment/apply/too_many.html",
                        {"cohort": cohort, "programme": cohort.programme, "message": TOO_MANY},
                        status=429,
                    )
                )
            try:
                result = services.application_submit_online(
                    cohort=cohort,
                    person_values=form.person_values(),
                    source=form.cleaned_data["source"],
                    statement=form.cleaned_data["statement"],
                    adjustments=form.cleaned_data["adjustments"],
                )
            except DomainError:
                # The window closed while the form was open.
                return _closed(request, cohort)
            # For the optional equality step: the application just made (none
            # when they had already applied, so that step stores nothing).
            request.session[SESSION_KEY] = {
                "cohort": cohort.pk,
                "application": result.application.pk if result.application else 0,
            }
            return redirect("apply:sent", slug=slug, pk=cohort.pk)
    return _private(
        render(
            request,
            "recruitment/apply/form.html",
            {
                "cohort": cohort,
                "programme": cohort.programme,
                "form": form,
                "blank_form": None if form.is_bound else blank_form(),
            },
        )
    )


@public
@require_GET
def apply_sent(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The confirmation: the same for everyone who sent the form, with the
    way to the optional equality questions while this browser has not
    answered them."""
    cohort = selectors.cohort_for_public(slug=slug, pk=pk)
    applied = request.session.get(SESSION_KEY) or {}
    equality_url = (
        reverse("apply:equality", args=[slug, cohort.pk])
        if applied.get("cohort") == cohort.pk
        else ""
    )
    return _private(
        render(
            request,
            "recruitment/apply/sent.html",
            {"cohort": cohort, "programme": cohort.programme, "equality_url": equality_url},
        )
    )


@public
@create_view(sample="tests.recruitment.samples.apply_equality")
def apply_equality(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The optional equality-monitoring questions, after the application.
    The application is the one this browser just sent (kept in its
    session), never one named in the address."""
    cohort = selectors.cohort_for_public(slug=slug, pk=pk)
    applied = request.session.get(SESSION_KEY) or {}
    if applied.get("cohort") != cohort.pk:
        return _private(
            render(
                request,
                "recruitment/apply/equality_none.html",
                {"cohort": cohort, "programme": cohort.programme},
                status=403,
            )
        )
    form = EqualityMonitoringForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if applied.get("application"):
            services.application_equality_record(
                application_id=applied["application"], answers=form.cleaned_data
            )
        request.session.pop(SESSION_KEY, None)
        messages.success(request, "Thank you: your answers have been sent.")
        return redirect("apply:sent", slug=slug, pk=cohort.pk)
    return _private(
        render(
            request,
            "recruitment/apply/equality.html",
            {"cohort": cohort, "programme": cohort.programme, "form": form},
        )
    )
