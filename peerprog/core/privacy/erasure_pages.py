"""The erasure pages: the officer asks for a person's data to be erased; a
second officer or an admin approves or refuses; after approval the officer
reviews the free text in other people's records that named the person."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peerprog.core import navigation, work
from peerprog.core.access import get_in_programme_or_404, has_role, role_required, scoped
from peerprog.core.forms import CrispyForm
from peerprog.core.models import Person, Role, User
from peerprog.core.pages import attempt, form_page
from peerprog.core.privacy import erasure
from peerprog.core.privacy.erasure_models import ErasureMention, ErasureRequest
from peerprog.core.privacy.read_log import read_log
from peerprog.core.privacy.read_log_models import ReadKind
from peerprog.core.privacy.retention_models import LegalHold
from peerprog.core.services import DomainError

OFFICER = Role.DATA_PROTECTION
DECIDERS = (Role.DATA_PROTECTION, Role.ADMIN)
PAGE_SIZE = 50
SHOWN_MATCHES = 20


class ErasureForm(CrispyForm):
    submit_label = "Ask for approval"

    reason = forms.CharField(
        label="Why is the data to be erased?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who asked, when, and on what grounds. Kept with the request.",
    )
    reference = forms.CharField(
        label="Reference",
        max_length=100,
        required=False,
        help_text="Optional: your case or letter reference.",
    )


class RefuseForm(CrispyForm):
    submit_label = "Refuse the request"

    reason = forms.CharField(
        label="Why is the request refused?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the records must be kept for an employment claim.",
    )


class MentionForm(CrispyForm):
    submit_label = "Save and mark as reviewed"

    text = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Take out anything that identifies the erased person. Leave the rest of the "
            "text as it is: it belongs to someone else's record."
        ),
    )


def _request_or_404(request: HttpRequest, pk: int) -> ErasureRequest:
    return get_in_programme_or_404(
        ErasureRequest.objects.select_related("person", "requested_by", "decided_by"),
        request.user,  # type: ignore[arg-type]
        pk,
    )


@role_required(*DECIDERS)
def erasure_list(request: HttpRequest) -> HttpResponse:
    """The programme's erasure requests, waiting ones first."""
    rows = scoped(
        ErasureRequest.objects.select_related("person", "requested_by", "decided_by"),
        request.user,  # type: ignore[arg-type]
    ).order_by("-status", "-requested_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/privacy/erasure_list.html",
        {"page": page, "is_officer": has_role(request.user, OFFICER)},
    )


@role_required(OFFICER)
def erasure_start(request: HttpRequest) -> HttpResponse:
    """Find the person (``?q=`` name or e-mail), then ask for the erasure
    of their data (``?person=``)."""
    officer = request.user
    if not request.GET.get("person"):
        return _search(request)
    person = get_in_programme_or_404(Person.objects.all(), officer, request.GET["person"])  # type: ignore[arg-type]
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = attempt(
            form,
            lambda: erasure.erasure_request(
                person=person,
                reason=form.cleaned_data["reason"],
                reference=form.cleaned_data["reference"],
                by=officer,  # type: ignore[arg-type]
            ),
        )
        if record is not None:
            messages.success(
                request,
                f"The erasure request for {person.legal_name} is waiting for a second "
                "officer or an admin to approve it.",
            )
            return redirect("core:erasure", pk=record.pk)
    return form_page(
        request,
        form,
        title=f"Erase {person.legal_name}'s data",
        back_url=reverse("core:erasure-start"),
        back_label="Find someone else",
        intro=(
            "Nothing is erased yet: a second data protection officer or an admin must "
            "approve the request. Approval anonymises every record that is theirs, in "
            "every part of the programme, and cannot be undone."
        ),
    )


def _search(request: HttpRequest) -> HttpResponse:
    words = request.GET.get("q", "").strip()
    people: list[Person] = []
    if words:
        rows = scoped(Person.objects.all(), request.user)  # type: ignore[arg-type]
        for word in words.split()[:5]:
            rows = rows.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
                | Q(email__icontains=word)
            )
        people = list(rows.order_by("last_name", "first_name", "pk")[:SHOWN_MATCHES])
    return render(request, "core/privacy/erasure_search.html", {"words": words, "people": people})


@role_required(*DECIDERS)
def erasure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: what approval will erase (or what it erased), the
    decision, and the fields of other people's records to review."""
    record = _request_or_404(request, pk)
    context: dict[str, object] = {
        "record": record,
        "may_decide": record.is_waiting and record.requested_by_id != request.user.pk,
        "is_officer": has_role(request.user, OFFICER),
    }
    if record.is_waiting:
        context["to_erase"] = erasure.records_to_erase(person=record.person)
        context["mentions_found"] = len(erasure.mentions_find(person=record.person))
        context["held"] = LegalHold.objects.filter(
            person_id=record.person_id, lifted_at__isnull=True
        ).exists()
    else:
        context["mentions"] = list(record.mentions.select_related("reviewed_by"))
    return render(request, "core/privacy/erasure_detail.html", context)


@require_POST
@role_required(*DECIDERS)
def erasure_approve(request: HttpRequest, pk: int) -> HttpResponse:
    record = _request_or_404(request, pk)
    try:
        erasure.erasure_approve(record=record, by=request.user)  # type: ignore[arg-type]
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "Approved: the person's data has been erased.")
    return redirect("core:erasure", pk=record.pk)


@role_required(*DECIDERS)
def erasure_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    record = _request_or_404(request, pk)
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: erasure.erasure_refuse(
                record=record,
                reason=form.cleaned_data["reason"],
                by=request.user,  # type: ignore[arg-type]
            ),
        )
        if done is not None:
            messages.success(request, "The request is refused. Nothing was erased.")
            return redirect("core:erasure", pk=record.pk)
    return form_page(
        request,
        form,
        title=f"Refuse the erasure of {record.person.legal_name}'s data",
        back_url=reverse("core:erasure", args=[record.pk]),
        back_label="Back to the request",
        intro="Nothing is erased. The officer who asked sees your reason.",
    )


@role_required(OFFICER)
def erasure_mention(request: HttpRequest, pk: int, mention: int) -> HttpResponse:
    """Read and edit one field of someone else's record that named the
    erased person. The read is logged."""
    record = _request_or_404(request, pk)
    listed = get_object_or_404(
        ErasureMention.objects.select_related("content_type"), pk=mention, request=record
    )
    target = listed.content_type.get_object_for_this_type(pk=listed.object_id)
    form = MentionForm(request.POST or None, initial={"text": getattr(target, listed.field)})
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: erasure.mention_save(
                mention=listed,
                text=form.cleaned_data["text"],
                by=request.user,  # type: ignore[arg-type]
            ),
        )
        if done is not None:
            messages.success(request, f"{listed.label} is reviewed.")
            return redirect("core:erasure", pk=record.pk)
    else:
        read_log(
            by=request.user,
            kind=ReadKind.ERASURE_REVIEW,
            record=target,
            request=request,
            person_id=record.person_id,
        )
    return form_page(
        request,
        form,
        title=f"Review {listed.label}",
        back_url=reverse("core:erasure", args=[record.pk]),
        back_label="Back to the request",
        intro=(
            "This text is part of someone else's record and named the person whose data "
            "was erased. Their name has already been taken out of its earlier versions."
        ),
        sensitive="This text may hold special-category facts. Your reading it is logged.",
    )


def waiting(*, user: User, today: object) -> list[work.WorkCount]:
    """Home queue of officers and admins: requests waiting for a decision
    by someone other than the officer who asked. One query."""
    count = (
        scoped(ErasureRequest.objects.all(), user)
        .filter(status=ErasureRequest.Status.WAITING)
        .exclude(requested_by=user)
        .count()
    )
    return [
        work.WorkCount(
            "erasure requests waiting for your approval",
            count,
            work.link("core:erasures"),
            hint="Approve or refuse: the officer who asked cannot.",
            order=15,
        )
    ]


def register_pages() -> None:
    navigation.add(
        "Erasure requests",
        "core:erasures",
        roles=DECIDERS,
        description="Erase a person's data, once a second officer or an admin approves.",
        order=12,
        group="dataprotection",
    )
    work.add(OFFICER, waiting)
    work.add(Role.ADMIN, waiting)
