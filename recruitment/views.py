"""Recruitment's pages. Each view checks the role, binds a form, calls one
service and renders or redirects. Leads do everything; HR and admins read;
admins and leads export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from peerprog.core import exports, imports, letters
from peerprog.core.access import can_read_sensitive, role_required
from peerprog.core.models import Role
from peerprog.core.services import DomainError
from recruitment import selectors, services
from recruitment.forms import (
    ApplicationAddForm,
    ApplicationDetailsForm,
    ApplicationFilter,
    ApplicationImportForm,
    BulkForm,
    CohortForm,
    EventForm,
    LetterTemplateForm,
    MoveForm,
    PersonDetailsForm,
    ReasonForm,
)
from recruitment.models import Application, Cohort
from recruitment.resources import IMPORTER

LEAD = Role.PROGRAMME_LEAD
READERS = (Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN)
PAGE_SIZE = 50
Stage = Application.Stage

# The quick moves a board card offers; other moves need more (a reason, a
# later cohort, a note) and are made on the move page.
QUICK_MOVES = {
    Stage.RECEIVED: [(Stage.SHORTLISTED, "Shortlist")],
    Stage.SHORTLISTED: [(Stage.INVITED, "Invite"), (Stage.OFFERED, "Offer a place")],
    Stage.INVITED: [(Stage.OFFERED, "Offer a place")],
    Stage.OFFERED: [(Stage.ACCEPTED, "Accepted")],
}
REASON_KINDS = {"unsuccessful": "Unsuccessful reasons", "withdrawal": "Withdrawal reasons"}


def _is_lead(request: HttpRequest) -> bool:
    return request.user.has_role(LEAD)


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# Cohorts.


@role_required(*READERS)
def cohort_list(request: HttpRequest) -> HttpResponse:
    cohorts = selectors.cohort_list(user=request.user)
    return render(
        request,
        "recruitment/cohort_list.html",
        {"cohorts": cohorts, "can_edit": _is_lead(request)},
    )


@role_required(LEAD)
def cohort_create(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST or None, programme=request.user.programme)
    if request.method == "POST" and form.is_valid():
        cohort = services.cohort_create(
            programme=request.user.programme, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{cohort.name} has been created.")
        return redirect("recruitment:cohort-detail", pk=cohort.pk)
    return render(
        request,
        "recruitment/form_page.html",
        {"form": form, "title": "Plan a cohort", "back_url": reverse("recruitment:cohort-list")},
    )


@role_required(*READERS)
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk)
    context = {
        "cohort": cohort,
        "figures": selectors.cohort_figures(cohort=cohort, user=request.user),
        "events": selectors.event_list(cohort=cohort),
        "can_edit": _is_lead(request),
    }
    return render(request, "recruitment/cohort_detail.html", context)


@role_required(LEAD)
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk)
    form = CohortForm(request.POST or None, instance=cohort, programme=cohort.programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(cohort=cohort, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{cohort.name} has been saved.")
            return redirect("recruitment:cohort-detail", pk=cohort.pk)
    return render(
        request,
        "recruitment/form_page.html",
        {
            "form": form,
            "title": f"Change {cohort.name}",
            "back_url": reverse("recruitment:cohort-detail", args=[cohort.pk]),
        },
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
    context = _board_context(request, cohort)
    if request.htmx:
        return render(request, "recruitment/board.html#board", context)
    return render(request, "recruitment/board.html", context)


def _board_context(request: HttpRequest, cohort: Cohort, error: str = "") -> dict[str, Any]:
    columns = selectors.board(user=request.user, cohort=cohort)
    for column in columns:
        column.quick_moves = QUICK_MOVES.get(column.stage, [])
    return {
        "cohort": cohort,
        "columns": columns,
        "can_move": _is_lead(request) and cohort.status != Cohort.Status.CLOSED,
        "board_url": reverse("recruitment:board", args=[cohort.pk]),
        "can_read_sensitive": can_read_sensitive(request.user),
        "column_limit": selectors.BOARD_COLUMN_LIMIT,
        "error": error,
    }


# Information events.


@role_required(LEAD)
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk)
    form = EventForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_create(cohort=cohort, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The event has been added.")
            return redirect("recruitment:cohort-detail", pk=cohort.pk)
    return render(
        request,
        "recruitment/form_page.html",
        {
            "form": form,
            "title": f"Add an information event for {cohort.name}",
            "back_url": reverse("recruitment:cohort-detail", args=[cohort.pk]),
        },
    )


@role_required(LEAD)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_user(user=request.user, pk=pk)
    form = EventForm(request.POST or None, instance=event, cohort=event.cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The event has been saved.")
            return redirect("recruitment:cohort-detail", pk=event.cohort_id)
    return render(
        request,
        "recruitment/form_page.html",
        {
            "form": form,
            "title": f"{event.get_kind_display()} on {event.held_on:%-d %B %Y}",
            "back_url": reverse("recruitment:cohort-detail", args=[event.cohort_id]),
        },
    )


# Applications.


@role_required(LEAD)
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk)
    data = request.POST or None
    person_form = PersonDetailsForm(data, programme=cohort.programme, prefix="person")
    application_form = ApplicationAddForm(data, prefix="application")
    if request.method == "POST" and person_form.is_valid() and application_form.is_valid():
        try:
            application = services.application_create_with_person(
                cohort=cohort,
                by=request.user,
                person_values=person_form.cleaned_data,
                application_values=application_form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            message = error.message if isinstance(error, DomainError) else " ".join(error.messages)
            person_form.add_error(None, message)
        else:
            messages.success(
                request, f"{application.person.display_name}'s application has been added."
            )
            if "add_another" in request.POST:
                return redirect("recruitment:application-create", pk=cohort.pk)
            return redirect("recruitment:board", pk=cohort.pk)
    return render(
        request,
        "recruitment/application_create.html",
        {"cohort": cohort, "person_form": person_form, "application_form": application_form},
    )


def _filtered(request: HttpRequest) -> ApplicationFilter:
    return ApplicationFilter(
        request.GET or None,
        queryset=selectors.application_list(user=request.user),
        programme_id=request.user.programme_id,
    )


@role_required(*READERS)
def application_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    is_lead = _is_lead(request)
    context: dict[str, Any] = {
        "filter": filterset,
        "page": page,
        "can_edit": is_lead,
        "can_export": request.user.has_role(LEAD, Role.ADMIN),
        "can_read_sensitive": can_read_sensitive(request.user),
        "bulk_reasons": selectors.current_unsuccessful_reasons(user=request.user)
        if is_lead
        else [],
    }
    if request.htmx:
        return render(request, "recruitment/application_list.html#results", context)
    return render(request, "recruitment/application_list.html", context)


@require_POST
@role_required(LEAD)
def application_bulk(request: HttpRequest) -> HttpResponse:
    """Shortlist, invite or mark unsuccessful the ticked applications: all or none."""
    back = _next_url(request, reverse("recruitment:application-list"))
    ids = [value for value in request.POST.getlist("selected") if value.isdigit()]
    chosen = selectors.applications_for_bulk(user=request.user, ids=[int(i) for i in ids])
    form = BulkForm(
        request.POST,
        applications=selectors.application_list(user=request.user),
        reasons=selectors.current_unsuccessful_reasons(user=request.user),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        count = services.applications_bulk_move(
            applications=chosen,
            to_stage=services.BULK_ACTIONS[form.cleaned_data["action"]],
            unsuccessful_reason=form.cleaned_data.get("reason"),
            by=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        label = dict(BulkForm.ACTIONS)[form.cleaned_data["action"]].lower()
        messages.success(
            request, f"Done: {label} for {count} application{'s' if count != 1 else ''}."
        )
    return redirect(back)


@role_required(LEAD, Role.ADMIN)
def application_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV or XLSX. Statements are never exported;
    reasons that reveal health are left out for readers without access to
    special-category facts."""
    filterset = _filtered(request)
    sensitive = can_read_sensitive(request.user)
    headers = [
        "First name",
        "Last name",
        "E-mail",
        "Cohort",
        "Stage",
        "Since",
        "Source",
        "Pathway",
        "Received on",
        "Reason",
    ]

    def rows() -> Any:
        for application in filterset.qs.iterator(chunk_size=500):
            reason = application.unsuccessful_reason or application.withdrawal_reason
            reason_text = ""
            if reason is not None:
                reason_text = (
                    reason.label if sensitive or not reason.reveals_health else "Not shown"
                )
            yield [
                application.person.preferred_name or application.person.first_name,
                application.person.last_name,
                application.person.email,
                application.cohort.name,
                application.get_stage_display(),
                application.stage_changed_at.date(),
                application.get_source_display(),
                application.get_pathway_display(),
                application.received_on,
                reason_text,
            ]

    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return exports.export_response(file_format, "applications", headers, rows())


@role_required(*READERS)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_user(user=request.user, pk=pk)
    is_lead = _is_lead(request)
    moves = services.allowed_moves(application) if is_lead else []
    if application.cohort.status == Cohort.Status.CLOSED:
        moves = []
    kind = services.letter_kind_for(application)
    issued = list(selectors.application_letters(application=application))
    context = {
        "application": application,
        "person": application.person,
        "timeline": selectors.application_timeline(application=application),
        "moves": [(stage, Stage(stage).label) for stage in moves],
        "quick_moves": dict(QUICK_MOVES.get(application.stage, [])),
        "can_edit": is_lead,
        "can_read_sensitive": can_read_sensitive(request.user),
        "letter_kind": letters.get_kind(kind) if kind else None,
        "letter_issued": any(letter.kind == kind for letter in issued),
        "letters": issued,
    }
    return render(request, "recruitment/application_detail.html", context)


@role_required(LEAD)
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_user(user=request.user, pk=pk)
    form = ApplicationDetailsForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        services.application_update(application=application, by=request.user, **form.cleaned_data)
        messages.success(request, "The application has been saved.")
        return redirect("recruitment:application-detail", pk=application.pk)
    return render(
        request,
        "recruitment/form_page.html",
        {
            "form": form,
            "title": f"Change {application.person.display_name}'s application",
            "back_url": reverse("recruitment:application-detail", args=[application.pk]),
            "sensitive": True,
        },
    )


@role_required(LEAD)
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an application: from the board (htmx or a plain form), the
    detail page, or this page's own form. All run the same service."""
    application = selectors.application_for_user(user=request.user, pk=pk)
    detail_url = reverse("recruitment:application-detail", args=[application.pk])
    back = _next_url(request, detail_url)
    form = MoveForm(
        request.POST or None,
        initial={"to_stage": request.GET.get("to", "")},
        application=application,
        unsuccessful_reasons=selectors.current_unsuccessful_reasons(user=request.user),
        withdrawal_reasons=selectors.current_withdrawal_reasons(user=request.user),
    )
    from_board = request.POST.get("from") == "board"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.application_move(
                application=application,
                to_stage=data["to_stage"],
                by=request.user,
                note=data["note"],
                unsuccessful_reason=data["unsuccessful_reason"],
                withdrawal_reason=data["withdrawal_reason"],
                to_cohort=data["to_cohort"],
                override_capacity=data["override_capacity"],
            )
        except DomainError as error:
            if from_board and request.htmx:
                return render(
                    request,
                    "recruitment/board.html#board",
                    _board_context(request, application.cohort, error=error.message),
                )
            if from_board:
                messages.error(request, error.message)
                return redirect(back)
            form.add_error(None, error.message)
        else:
            text = f"{moved.person.display_name}: {moved.get_stage_display().lower()}."
            if from_board and request.htmx:
                context = _board_context(request, application.cohort)
                context["announcement"] = text
                return render(request, "recruitment/board.html#board", context)
            messages.success(request, text)
            return redirect(back)
    elif request.method == "POST" and from_board:
        # Someone else may have moved the card since the board was loaded.
        stale = (
            "That move is no longer possible for "
            f"{application.person.display_name}: the board now shows where it is."
        )
        if request.htmx:
            return render(
                request,
                "recruitment/board.html#board",
                _board_context(request, application.cohort, error=stale),
            )
        messages.error(request, stale)
        return redirect(back)
    return render(
        request,
        "recruitment/application_move.html",
        {"application": application, "form": form, "next": back},
    )


# Letters.


@role_required(LEAD)
def letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview the outcome letter for the application's stage, then issue it."""
    application = selectors.application_for_user(user=request.user, pk=pk)
    kind = services.letter_kind_for(application)
    if kind is None:
        messages.error(request, "There is no outcome letter for this stage.")
        return redirect("recruitment:application-detail", pk=application.pk)
    if request.method == "POST":
        try:
            letter = services.application_letter_issue(application=application, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("recruitment:application-detail", pk=application.pk)
        if letter.channel == letter.Channel.EMAIL:
            messages.success(request, "The letter is being e-mailed.")
        else:
            messages.success(
                request, "The letter is ready to print and post: it is on the letters to post."
            )
        return redirect("recruitment:letter-detail", pk=letter.pk)
    rendered = letters.letter_render(
        programme=application.cohort.programme,
        kind=kind,
        values=services.letter_values(application=application, by=request.user),
    )
    return render(
        request,
        "recruitment/letter_issue.html",
        {"application": application, "letter": rendered, "kind": letters.get_kind(kind)},
    )


@role_required(*READERS)
def letter_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.letters_to_post(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "recruitment/letter_list.html", {"page": page, "can_edit": _is_lead(request)}
    )


@role_required(*READERS)
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter as issued, laid out to print (or save as PDF from the
    browser's print dialogue)."""
    letter = selectors.letter_for_user(user=request.user, pk=pk)
    return render(
        request,
        "recruitment/letter_detail.html",
        {"letter": letter, "can_edit": _is_lead(request)},
    )


@require_POST
@role_required(LEAD)
def letter_posted(request: HttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_for_user(user=request.user, pk=pk)
    try:
        letters.letter_mark_posted(letter=letter, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The letter to {letter.person.display_name} is marked posted.")
    return redirect(_next_url(request, reverse("recruitment:letter-list")))


@role_required(*READERS)
def letter_template_list(request: HttpRequest) -> HttpResponse:
    programme = request.user.programme
    templates = [
        (kind, letters.template_for(programme=programme, kind=kind.key))
        for kind in letters.kinds()
        if kind.key.startswith("recruitment.")
    ]
    return render(
        request,
        "recruitment/letter_template_list.html",
        {"templates": templates, "can_edit": _is_lead(request)},
    )


@role_required(LEAD)
def letter_template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if not kind.startswith("recruitment."):
        raise Http404("No such letter.")
    try:
        letter_kind = letters.get_kind(kind)
    except DomainError:
        raise Http404("No such letter.") from None
    programme = request.user.programme
    template = letters.template_for(programme=programme, kind=kind)
    form = LetterTemplateForm(
        request.POST or None,
        initial={"subject": template.subject, "body": template.body},
        kind=letter_kind,
    )
    if request.method == "POST" and "reset" in request.POST:
        letters.letter_template_reset(programme=programme, kind=kind, by=request.user)
        messages.success(request, "The letter is back to its default wording.")
        return redirect("recruitment:letter-template-list")
    if request.method == "POST" and form.is_valid():
        letters.letter_template_update(
            programme=programme, kind=kind, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"The wording of “{letter_kind.label}” has been saved.")
        return redirect("recruitment:letter-template-list")
    return render(
        request,
        "recruitment/letter_template_edit.html",
        {
            "form": form,
            "kind": letter_kind,
            "placeholders": [
                (name, letters.PLACEHOLDERS[name]) for name in letter_kind.placeholders
            ],
        },
    )


# Reasons.


@role_required(*READERS)
def reason_list(request: HttpRequest) -> HttpResponse:
    lists = [
        (kind, title, selectors.reason_list(user=request.user, kind=kind))
        for kind, title in REASON_KINDS.items()
    ]
    return render(
        request,
        "recruitment/reason_list.html",
        {
            "lists": lists,
            "can_edit": _is_lead(request),
            "can_read_sensitive": can_read_sensitive(request.user),
        },
    )


def _check_kind(kind: str) -> None:
    if kind not in REASON_KINDS:
        raise Http404("No such list of reasons.")


@role_required(LEAD)
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
    return render(
        request,
        "recruitment/form_page.html",
        {
            "form": form,
            "title": f"Add to the {REASON_KINDS[kind].lower()}",
            "back_url": reverse("recruitment:reason-list"),
        },
    )


@role_required(LEAD)
def reason_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _check_kind(kind)
    reason = selectors.reason_for_user(user=request.user, kind=kind, pk=pk)
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
    return render(
        request,
        "recruitment/form_page.html",
        {
            "form": form,
            "title": f"Change “{reason.label}”",
            "back_url": reverse("recruitment:reason-list"),
        },
    )


@require_POST
@role_required(LEAD)
def reason_archive(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Archive a reason, or bring it back (the button says which)."""
    _check_kind(kind)
    reason = selectors.reason_for_user(user=request.user, kind=kind, pk=pk)
    archive = not reason.is_archived
    services.reason_set_archived(reason=reason, archived=archive, by=request.user)
    state = "archived: it stays on past applications" if archive else "back in use"
    messages.success(request, f"“{reason.label}” is {state}.")
    return redirect("recruitment:reason-list")


@require_POST
@role_required(LEAD)
def reason_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _check_kind(kind)
    reason = selectors.reason_for_user(user=request.user, kind=kind, pk=pk)
    try:
        services.reason_delete(reason=reason, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{reason.label}” has been deleted.")
    return redirect("recruitment:reason-list")


# Import.


@role_required(LEAD)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ApplicationImportForm(
        request.POST or None, request.FILES or None, programme_id=request.user.programme_id
    )
    return imports.import_upload_page(
        request,
        importer_key=IMPORTER.key,
        form=form,
        options=lambda f: {"cohort_id": f.cleaned_data["cohort"].pk},
        preview_url=lambda pending: reverse("recruitment:import-preview", args=[pending.pk]),
        context={
            "title": "Load applications from a file",
            "intro": "Load many applications at once from a CSV file or an Excel workbook. "
            "People already on record (same e-mail, or same name and date of birth) are "
            "updated, never added twice.",
            "back_url": reverse("recruitment:application-list"),
        },
    )


@role_required(LEAD)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    pending = imports.pending_import_for_user(user=request.user, pk=pk, importer_key=IMPORTER.key)
    cohort_id = pending.options.get("cohort_id")
    return imports.import_preview_page(
        request,
        pending=pending,
        done_url=reverse("recruitment:board", args=[cohort_id])
        if cohort_id
        else reverse("recruitment:application-list"),
        upload_url=reverse("recruitment:import-upload"),
        context={"title": "Load applications"},
    )
