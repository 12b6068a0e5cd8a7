"""Cohorts, their board and their information events."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from peerprog.core.access import role_required
from peerprog.core.once import create_view
from peerprog.core.pages import attempt, form_page
from peerprog.core.services import DomainError
from recruitment import selectors, services
from recruitment.forms import (
    CohortForm,
    EventForm,
)
from recruitment.selectors import work
from recruitment.views.common import (
    LEAD,
    READERS,
    board_context,
    is_lead,
)


@role_required(*READERS)
def cohort_list(request: HttpRequest) -> HttpResponse:
    """Every cohort; ``?window=soon`` keeps those whose application window
    opens or closes in the next fortnight."""
    cohorts = selectors.cohort_list(user=request.user)
    window_soon = request.GET.get("window") == "soon"
    if window_soon:
        cohorts = work.window_changing(cohorts=cohorts, today=timezone.localdate())
    return render(
        request,
        "recruitment/cohort_list.html",
        {"cohorts": cohorts, "can_edit": is_lead(request), "window_soon": window_soon},
    )


@role_required(LEAD)
@create_view(sample="tests.recruitment.samples.cohort")
def cohort_create(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST or None, programme=request.user.programme)
    if request.method == "POST" and form.is_valid():
        cohort = services.cohort_create(
            programme=request.user.programme, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{cohort.name} has been created.")
        return redirect("recruitment:cohort-detail", pk=cohort.pk)
    return form_page(
        request, form, title="Plan a cohort", back_url=reverse("recruitment:cohort-list")
    )


@role_required(*READERS)
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort, figures, events = selectors.cohort_page(user=request.user, pk=pk)
    context = {
        "cohort": cohort,
        "figures": figures,
        "events": events,
        "can_edit": is_lead(request),
    }
    return render(request, "recruitment/cohort_detail.html", context)


@role_required(LEAD)
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk)
    form = CohortForm(request.POST or None, instance=cohort, programme=cohort.programme)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.cohort_update(cohort=cohort, by=request.user, **form.cleaned_data),
        )
    ):
        messages.success(request, f"{cohort.name} has been saved.")
        return redirect("recruitment:cohort-detail", pk=cohort.pk)
    return form_page(
        request,
        form,
        title=f"Change {cohort.name}",
        back_url=reverse("recruitment:cohort-detail", args=[cohort.pk]),
    )


@role_required(LEAD)
def cohort_close(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.cohort_close(cohort=cohort, by=request.user)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, f"{cohort.name} is now closed.")
            return redirect("recruitment:cohort-detail", pk=cohort.pk)
    return render(request, "recruitment/cohort_close.html", {"cohort": cohort, "error": error})


@role_required(*READERS)
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """The cohort's applications in a column per stage: one request."""
    cohort = selectors.cohort_for_user(user=request.user, pk=pk)
    context = board_context(request, cohort)
    if request.htmx:
        return render(request, "recruitment/board.html#board", context)
    return render(request, "recruitment/board.html", context)


# Information events.


@role_required(LEAD)
@create_view(sample="tests.recruitment.samples.event")
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk)
    form = EventForm(request.POST or None, cohort=cohort)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form, lambda: services.event_create(cohort=cohort, by=request.user, **form.cleaned_data)
        )
    ):
        messages.success(request, "The event has been added.")
        return redirect("recruitment:cohort-detail", pk=cohort.pk)
    return form_page(
        request,
        form,
        title=f"Add an information event for {cohort.name}",
        back_url=reverse("recruitment:cohort-detail", args=[cohort.pk]),
    )


@role_required(LEAD)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_user(user=request.user, pk=pk)
    form = EventForm(request.POST or None, instance=event, cohort=event.cohort)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form, lambda: services.event_update(event=event, by=request.user, **form.cleaned_data)
        )
    ):
        messages.success(request, "The event has been saved.")
        return redirect("recruitment:cohort-detail", pk=event.cohort_id)
    return form_page(
        request,
        form,
        title=f"{event.get_kind_display()} on {event.held_on:%-d %B %Y}",
        back_url=reverse("recruitment:cohort-detail", args=[event.cohort_id]),
    )
