"""The officer's retention pages: what the schedule has made due (approve
anonymisation in bulk, place a legal hold), the holds in place, and the
rules."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peerprog.core.access import role_required
from peerprog.core.models import Role
from peerprog.core.pages import attempt, form_page
from peerprog.core.privacy import retention, retention_selectors, retention_services
from peerprog.core.privacy.retention_forms import LegalHoldForm, RetentionRuleForm
from peerprog.core.services import DomainError

PAGE_SIZE = 100
OFFICER = Role.DATA_PROTECTION


@role_required(OFFICER)
def retention_due(request: HttpRequest) -> HttpResponse:
    """Records whose time has come, a hundred a page, optionally of one
    kind; held records are listed apart and cannot be chosen."""
    dues = retention_selectors.dues_for_officer(user=request.user)
    kinds = {kind.key: kind for kind in retention.kinds()}
    chosen = request.GET.get("kind", "")
    if chosen in kinds:
        dues = dues.filter(kind=chosen)
    else:
        chosen = ""
    page = Paginator(dues, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(due, kinds.get(due.kind)) for due in page.object_list]
    return render(
        request,
        "core/privacy/retention_due.html",
        {
            "page": page,
            "rows": rows,
            "kinds": list(kinds.values()),
            "chosen": chosen,
            "query": urlencode({"kind": chosen}) if chosen else "",
        },
    )


@require_POST
@role_required(OFFICER)
def retention_approve(request: HttpRequest) -> HttpResponse:
    """Anonymise the ticked records, or every due record of one kind."""
    kind = request.POST.get("kind", "")
    if kind:
        ids = list(
            retention_selectors.dues_for_officer(user=request.user)
            .filter(kind=kind, held=False)
            .values_list("pk", flat=True)
        )
    else:
        ids = [value for value in request.POST.getlist("due") if value.isdigit()]
    try:
        done = retention_services.retention_approve(due_ids=ids, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        word = "record" if done == 1 else "records"
        messages.success(request, f"{done} {word} anonymised or deleted under the schedule.")
    return redirect("core:retention")


@role_required(OFFICER)
def retention_hold(request: HttpRequest, pk: int) -> HttpResponse:
    """Place a legal hold on a due record, with the reason."""
    due = retention_selectors.due_for_officer(user=request.user, pk=pk)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hold = attempt(
            form,
            lambda: retention_services.legal_hold_place(
                due=due, reason=form.cleaned_data["reason"], by=request.user
            ),
        )
        if hold is not None:
            messages.success(request, f"{due.label} is now under a legal hold.")
            return redirect("core:retention")
    return form_page(
        request,
        form,
        title=f"Place a legal hold on {due.label}",
        back_url=reverse("core:retention"),
        back_label="Back to records due",
        intro=(
            "A held record is kept whatever the retention schedule says, until you lift the hold."
        ),
    )


@role_required(OFFICER)
def legal_holds(request: HttpRequest) -> HttpResponse:
    page = Paginator(retention_selectors.holds_for_officer(user=request.user), PAGE_SIZE)
    return render(
        request,
        "core/privacy/legal_holds.html",
        {"page": page.get_page(request.GET.get("page"))},
    )


@require_POST
@role_required(OFFICER)
def legal_hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    hold = retention_selectors.hold_for_officer(user=request.user, pk=pk)
    try:
        retention_services.legal_hold_lift(hold=hold, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"The legal hold on {hold.label} has been lifted.")
    return redirect("core:legal-holds")


@role_required(OFFICER)
def retention_rules(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/privacy/retention_rules.html",
        {"rows": retention_selectors.rules_for_officer(user=request.user)},
    )


@role_required(OFFICER)
def retention_rule_edit(request: HttpRequest, kind: str) -> HttpResponse:
    kind_, rule = retention_selectors.kind_for_officer(user=request.user, key=kind)
    form = RetentionRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: retention_services.retention_rule_update(
                kind=kind_.key,
                months=form.cleaned_data["months"],
                basis=form.cleaned_data["basis"],
                by=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, f"{kind_.label} are now kept {saved.months} months.")
            return redirect("core:retention-rules")
    return form_page(
        request,
        form,
        title=f"How long to keep: {kind_.label.lower()}",
        back_url=reverse("core:retention-rules"),
        back_label="Back to the retention schedule",
        intro=f"Kept this many months after {kind_.counts_from}. The next monthly listing uses it.",
    )
