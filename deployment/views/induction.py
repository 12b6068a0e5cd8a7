"""The induction checklist: ticking items off on an appointment, the
inductions still in progress, and the programme's editable template."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from deployment import selectors
from deployment.exports_in_post import INDUCTIONS
from deployment.forms_in_post import InductionChecklistForm, InductionTemplateItemForm
from deployment.selectors import induction
from deployment.services import induction as services
from deployment.views.common import READERS, WRITERS
from peerprog.core.access import has_role, role_required
from peerprog.core.exports import serve
from peerprog.core.once import create_view
from peerprog.core.pages import attempt, form_page


@role_required(*WRITERS)
def appointment_induction(request: HttpRequest, pk: int) -> HttpResponse:
    """HR ticks the items done, each with the day it was done."""
    appointment = selectors.get_appointment_for_user(user=request.user, pk=pk)
    items = list(appointment.induction_items.all())
    form = InductionChecklistForm(request.POST or None, items=items)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.induction_checklist_update(
                appointment=appointment, done=form.done(), by=request.user
            ),
        )
        is not None
    ):
        messages.success(request, "The induction checklist has been saved.")
        return redirect("deployment:appointment-detail", pk=appointment.pk)
    today = timezone.localdate()
    return render(
        request,
        "deployment/induction_checklist.html",
        {
            "appointment": appointment,
            "form": form,
            "progress": induction.induction_progress(appointment=appointment, today=today),
            "today": today,
        },
    )


@role_required(*READERS)
def induction_list(request: HttpRequest) -> HttpResponse:
    """Inductions in progress, most overdue first; ``?show=overdue`` only
    those with an item overdue."""
    today = timezone.localdate()
    rows = induction.inductions_in_progress(user=request.user, today=today)
    overdue_only = request.GET.get("show") == "overdue"
    if overdue_only:
        rows = rows.filter(overdue__gt=0)
    return render(
        request,
        "deployment/induction_list.html",
        {"appointments": list(rows[:500]), "today": today, "overdue_only": overdue_only},
    )


@role_required(*READERS)
def induction_template(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "deployment/induction_template.html",
        {
            "items": induction.induction_template(user=request.user),
            "can_write": has_role(request.user, *WRITERS),
        },
    )


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples_in_post.induction_template_item")
def induction_template_create(request: HttpRequest) -> HttpResponse:
    form = InductionTemplateItemForm(request.POST or None, programme=request.user.programme)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.induction_template_item_create(
                programme=request.user.programme, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The item has been added to the induction template.")
        return redirect("deployment:induction-template")
    return form_page(
        request,
        form,
        title="Add an induction item",
        intro="New checklists get the item; checklists already started keep theirs.",
        back_url=reverse("deployment:induction-template"),
    )


@role_required(*WRITERS)
def induction_template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = induction.get_template_item_for_user(user=request.user, pk=pk)
    form = InductionTemplateItemForm(
        request.POST or None, instance=item, programme=request.user.programme
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.induction_template_item_update(
                item=item, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The induction item has been saved.")
        return redirect("deployment:induction-template")
    return form_page(
        request,
        form,
        title=f"Change the induction item “{item.title}”",
        intro="Checklists already started keep the item as it was.",
        back_url=reverse("deployment:induction-template"),
    )


def induction_export(request: HttpRequest) -> HttpResponseBase:
    """Each checklist's progress as CSV or Excel, filtered like the list."""
    return serve(request, INDUCTIONS)
