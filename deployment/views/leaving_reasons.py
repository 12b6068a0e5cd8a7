"""The programme's list of leaving reasons: reading it, adding to it and
changing (or archiving) a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from deployment import selectors, services
from deployment.forms import LeavingReasonForm
from deployment.views.common import READERS, WRITERS
from peerprog.core.access import has_role, role_required
from peerprog.core.once import create_view
from peerprog.core.pages import attempt, form_page


@role_required(*READERS)
def leaving_reason_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "deployment/leaving_reason_list.html",
        {
            "reasons": selectors.leaving_reason_list(user=request.user),
            "can_write": has_role(request.user, *WRITERS),
        },
    )


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples.leaving_reason")
def leaving_reason_create(request: HttpRequest) -> HttpResponse:
    form = LeavingReasonForm(request.POST or None, programme=request.user.programme)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.leaving_reason_create(
                programme=request.user.programme, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The leaving reason has been added.")
        return redirect("deployment:leaving-reasons")
    return form_page(
        request,
        form,
        title="Add a leaving reason",
        back_url=reverse("deployment:leaving-reasons"),
    )


@role_required(*WRITERS)
def leaving_reason_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reason = selectors.get_leaving_reason_for_user(user=request.user, pk=pk)
    form = LeavingReasonForm(
        request.POST or None, instance=reason, programme=request.user.programme
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.leaving_reason_update(
                reason=reason, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The leaving reason has been saved.")
        return redirect("deployment:leaving-reasons")
    return form_page(
        request,
        form,
        title=f"Change the leaving reason “{reason.label}”",
        intro="Reasons in use are archived, never deleted, so past leavers keep theirs.",
        back_url=reverse("deployment:leaving-reasons"),
    )
