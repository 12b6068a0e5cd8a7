"""The editable lists of reasons."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peerprog.core.access import can_read_sensitive, role_required
from peerprog.core.once import create_view
from peerprog.core.pages import act, form_page
from peerprog.core.services import DomainError
from recruitment import services
from recruitment.forms import (
    ReasonForm,
)
from recruitment.selectors import reasons as reason_selectors
from recruitment.views.common import (
    LEAD,
    READERS,
    is_lead,
)

REASON_KINDS = {
    "unsuccessful": "Unsuccessful reasons",
    "withdrawal": "Withdrawal reasons",
    "deferral": "Deferral reasons",
}


@role_required(*READERS)
def reason_list(request: HttpRequest) -> HttpResponse:
    lists = [
        (kind, title, reason_selectors.reason_list(user=request.user, kind=kind))
        for kind, title in REASON_KINDS.items()
    ]
    return render(
        request,
        "recruitment/reason_list.html",
        {
            "lists": lists,
            "can_edit": is_lead(request),
            "can_read_sensitive": can_read_sensitive(request.user),
        },
    )


def _check_kind(kind: str) -> None:
    if kind not in REASON_KINDS:
        raise Http404("No such list of reasons.")


@role_required(LEAD)
@create_view(sample="tests.recruitment.samples.reason")
def reason_create(request: HttpRequest, kind: str) -> HttpResponse:
    _check_kind(kind)
    form = ReasonForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.reason_create(
                programme=request.user.programme, kind=kind, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, "The reason has been added.")
            return redirect("recruitment:reason-list")
    return form_page(
        request,
        form,
        title=f"Add to the {REASON_KINDS[kind].lower()}",
        back_url=reverse("recruitment:reason-list"),
    )


@role_required(LEAD)
def reason_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _check_kind(kind)
    reason = reason_selectors.reason_for_user(user=request.user, kind=kind, pk=pk)
    form = ReasonForm(
        request.POST or None,
        kind=kind,
        initial={
            "label": reason.label,
            "category": reason.category,
            "reveals_health": reason.reveals_health,
            "order": reason.order,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reason_update(reason=reason, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, "The reason has been saved.")
            return redirect("recruitment:reason-list")
    return form_page(
        request, form, title=f"Change “{reason.label}”", back_url=reverse("recruitment:reason-list")
    )


@require_POST
@role_required(LEAD)
def reason_archive(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Archive a reason, or bring it back (the button says which)."""
    _check_kind(kind)
    reason = reason_selectors.reason_for_user(user=request.user, kind=kind, pk=pk)
    archive = not reason.is_archived
    services.reason_set_archived(reason=reason, archived=archive, by=request.user)
    state = "archived: it stays on past applications" if archive else "back in use"
    messages.success(request, f"“{reason.label}” is {state}.")
    return redirect("recruitment:reason-list")


@require_POST
@role_required(LEAD)
def reason_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _check_kind(kind)
    reason = reason_selectors.reason_for_user(user=request.user, kind=kind, pk=pk)
    act(
        request,
        lambda: services.reason_delete(reason=reason, by=request.user),
        done=f"“{reason.label}” has been deleted.",
    )
    return redirect("recruitment:reason-list")
