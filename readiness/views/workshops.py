"""Team preparation: each service's preparation workshops."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from peerprog.core.access import has_role, role_required
from peerprog.core.once import create_view
from peerprog.core.pages import attempt, form_page
from readiness import selectors, services
from readiness.forms import WorkshopForm
from readiness.selectors import WORKSHOP_READERS, WORKSHOP_WRITERS


@role_required(*WORKSHOP_READERS)
def service_readiness_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "readiness/services.html",
        {
            "rows": selectors.service_readiness_list(user=request.user),
            "months": selectors.PREPARED_WITHIN_MONTHS,
        },
    )


@role_required(*WORKSHOP_READERS)
def service_readiness(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.get_service_for_user(user=request.user, pk=pk)
    workshops = list(selectors.workshops_for_service(service=service))
    return render(
        request,
        "readiness/service.html",
        {
            "service": service,
            "workshops": [
                (workshop, selectors.attended(workshop=workshop)) for workshop in workshops
            ],
            "warning": selectors.preparation_warning(service=service),
            "can_write": has_role(request.user, *WORKSHOP_WRITERS),
        },
    )


@role_required(*WORKSHOP_WRITERS)
@create_view(sample="tests.readiness.samples.workshop")
def workshop_create(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.get_service_for_user(user=request.user, pk=pk)
    form = WorkshopForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.workshop_record(
                service=service, by=request.user, attendance=form.attendance(), **form.values()
            ),
        )
    ):
        messages.success(request, f"The preparation workshop for {service.name} is recorded.")
        return redirect("readiness:service-readiness", pk=service.pk)
    return form_page(
        request,
        form,
        title=f"Record a preparation workshop for {service.name}",
        intro="A workshop with the team before a peer worker starts, co-delivered by a peer "
        "worker where possible. Give the staff who came as counts by role, or list their names.",
        back_url=reverse("readiness:service-readiness", args=[service.pk]),
    )


@role_required(*WORKSHOP_WRITERS)
def workshop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = selectors.get_workshop_for_user(user=request.user, pk=pk)
    form = WorkshopForm(request.POST or None, instance=workshop)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.workshop_update(
                workshop=workshop, by=request.user, attendance=form.attendance(), **form.values()
            ),
        )
    ):
        messages.success(request, "The preparation workshop has been saved.")
        return redirect("readiness:service-readiness", pk=workshop.service_id)
    return form_page(
        request,
        form,
        title=f"Change the preparation workshop for {workshop.service.name}",
        back_url=reverse("readiness:service-readiness", args=[workshop.service_id]),
    )
