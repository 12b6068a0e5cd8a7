"""Applications: adding, the list with filters and bulk actions, export,
the detail page and moves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peerprog.core import exports, letters
from peerprog.core.access import can_read_sensitive, role_required
from peerprog.core.dates import moment_of
from peerprog.core.models import Role
from peerprog.core.once import create_view
from peerprog.core.pages import act, form_page, safe_next
from peerprog.core.privacy.read_log import ReadKind, ReadPurpose, read_log
from peerprog.core.services import DomainError
from recruitment import list_rows, selectors, services
from recruitment.exports import APPLICATIONS
from recruitment.filters import ApplicationFilter, blank_fields_html
from recruitment.forms import (
    ApplicationAddForm,
    ApplicationDetailsForm,
    BulkForm,
    MoveForm,
    PersonDetailsForm,
)
from recruitment.models import Cohort
from recruitment.paging import CohortPaginator
from recruitment.selectors import reasons as reason_selectors
from recruitment.views.common import (
    LEAD,
    PAGE_SIZE,
    QUICK_MOVES,
    READERS,
    Stage,
    board_context,
    is_lead,
)

# Shown above the form that holds an application's personal statement.
PERSONAL_STATEMENT_NOTE = "The personal statement is seen by programme leads and HR only."


@role_required(LEAD)
@create_view(sample="tests.recruitment.samples.application")
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


@role_required(*READERS)
def application_list(request: HttpRequest) -> HttpResponse:
    # The programme's unsuccessful reasons, read once for the filter and
    # for the lead's bulk action (the current ones), and its cohorts, for
    # the filter and for the pages' order (with nothing chosen, each
    # cohort's applications counted too): one query.
    applications = selectors.application_list(user=request.user)
    filters: tuple[tuple[str, str], ...] = ()
    counts = None
    if request.GET:
        reasons, cohorts = reason_selectors.list_filter_values(user=request.user)
        filterset = ApplicationFilter(
            request.GET,
            queryset=applications,
            programme_id=request.user.programme_id,
            reasons=reasons,
            cohorts=cohorts,
        )
        applications = filterset.qs
        filters = _filters_applied(filterset)
        filter_fields = filterset.fields_html()
    else:
        # Nothing chosen: every application, under the filter fields as
        # they are drawn empty.
        reasons, cohorts, counts = reason_selectors.list_values_and_counts(user=request.user)
        filter_fields = blank_fields_html(reasons=reasons, cohorts=cohorts)
    page = CohortPaginator(
        applications,
        PAGE_SIZE,
        fields=list_rows.APPLICATION_FIELDS,
        cohorts=[pk for pk, _ in cohorts],
        # A search of names is counted in one scan; other filters cohort by cohort.
        by_cohort=not request.GET.get("q", "").split(),
        key=(request.user.programme_id, filters),
        counts=counts,
    ).get_page(request.GET.get("page"))
    lead = is_lead(request)
    sensitive = can_read_sensitive(request.user)
    context: dict[str, Any] = {
        "filter_fields": filter_fields,
        "page": page,
        "rows": list_rows.application_rows(
            page.object_list, can_edit=lead, can_read_sensitive=sensitive
        ),
        "can_edit": lead,
        "can_export": request.user.has_role(LEAD, Role.ADMIN),
        "can_read_sensitive": sensitive,
        "bulk_reasons": (
            [{"pk": pk, "label": label} for pk, label, archived in reasons if not archived]
            if lead
            else []
        ),
    }
    if request.htmx:
        return render(request, "recruitment/application_list.html#results", context)
    return render(request, "recruitment/application_list.html", context)


def _filters_applied(filterset: ApplicationFilter) -> tuple[tuple[str, str], ...]:
    """The filters the list's queryset was built with, as checked (a value
    the form refused is not applied), to name that queryset."""
    filterset.qs  # noqa: B018 (checks the form)
    if not filterset.is_bound:
        return ()
    return tuple(sorted((name, str(value)) for name, value in filterset.form.cleaned_data.items()))


@require_POST
@role_required(LEAD)
def application_bulk(request: HttpRequest) -> HttpResponse:
    """Shortlist, invite or mark unsuccessful the ticked applications: all or none."""
    back = safe_next(request, reverse("recruitment:application-list"))
    ids = [value for value in request.POST.getlist("selected") if value.isdigit()]
    chosen = selectors.applications_for_bulk(user=request.user, ids=[int(i) for i in ids])
    form = BulkForm(
        request.POST,
        applications=selectors.application_list(user=request.user),
        reasons=reason_selectors.current_unsuccessful_reasons(user=request.user),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    label = dict(BulkForm.ACTIONS)[form.cleaned_data["action"]].lower()
    act(
        request,
        lambda: services.applications_bulk_move(
            applications=chosen,
            to_stage=services.BULK_ACTIONS[form.cleaned_data["action"]],
            unsuccessful_reason=form.cleaned_data.get("reason"),
            by=request.user,
            at=moment_of(form.cleaned_data.get("on")),
        ),
        done=lambda count: f"Done: {label} for {count} application{'s' if count != 1 else ''}.",
    )
    return redirect(back)


def application_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered list as CSV or XLSX (``recruitment.exports``)."""
    return exports.serve(request, APPLICATIONS)


@role_required(*READERS)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_user(user=request.user, pk=pk)
    lead = is_lead(request)
    moves = services.allowed_moves(application=application) if lead else []
    if application.cohort.status == Cohort.Status.CLOSED:
        moves = []
    kind = services.letter_kind_for(application=application)
    issued = list(selectors.application_letters(application=application))
    sensitive = can_read_sensitive(request.user)
    if sensitive and application.statement:
        read_log(
            by=request.user,
            kind=ReadKind.APPLICATION_STATEMENT,
            record=application,
            request=request,
        )
    context = {
        "application": application,
        "person": application.person,
        "timeline": selectors.application_timeline(application=application),
        "moves": [(stage, Stage(stage).label) for stage in moves],
        "quick_moves": dict(QUICK_MOVES.get(application.stage, [])),
        "can_edit": lead,
        "can_read_sensitive": sensitive,
        "letter_kind": letters.get_kind(kind) if kind else None,
        "letter_issued": any(letter.kind == kind for letter in issued),
        "letters": issued,
        "differences": selectors.details_differences(application=application),
    }
    return render(request, "recruitment/application_detail.html", context)


@role_required(LEAD)
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_user(user=request.user, pk=pk)
    form = ApplicationDetailsForm(request.POST or None, instance=application)
    if request.method != "POST" and application.statement:
        read_log(
            by=request.user,
            kind=ReadKind.APPLICATION_STATEMENT,
            record=application,
            request=request,
            purpose=ReadPurpose.EDITED,
        )
    if request.method == "POST" and form.is_valid():
        services.application_update(application=application, by=request.user, **form.cleaned_data)
        messages.success(request, "The application has been saved.")
        return redirect("recruitment:application-detail", pk=application.pk)
    return form_page(
        request,
        form,
        title=f"Change {application.person.display_name}'s application",
        back_url=reverse("recruitment:application-detail", args=[application.pk]),
        sensitive=PERSONAL_STATEMENT_NOTE,
    )


@role_required(LEAD)
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an application: from the board (htmx or a plain form), the
    detail page, or this page's own form. All run the same service."""
    application = selectors.application_for_user(user=request.user, pk=pk)
    detail_url = reverse("recruitment:application-detail", args=[application.pk])
    back = safe_next(request, detail_url)
    form = MoveForm(
        request.POST or None,
        initial={"to_stage": request.GET.get("to", "")},
        application=application,
        unsuccessful_reasons=reason_selectors.current_unsuccessful_reasons(user=request.user),
        withdrawal_reasons=reason_selectors.current_withdrawal_reasons(user=request.user),
        deferral_reasons=reason_selectors.current_deferral_reasons(user=request.user),
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
                deferral_reason=data["deferral_reason"],
                to_cohort=data["to_cohort"],
                override_capacity=data["override_capacity"],
                at=moment_of(data.get("on")),
            )
        except DomainError as error:
            if from_board and request.htmx:
                return render(
                    request,
                    "recruitment/board.html#board",
                    board_context(request, application.cohort, error=error.message),
                )
            if from_board:
                messages.error(request, error.message)
                return redirect(back)
            form.add_error(None, error.message)
        else:
            text = f"{moved.person.display_name}: {moved.get_stage_display().lower()}."
            if from_board and request.htmx:
                context = board_context(request, application.cohort)
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
                board_context(request, application.cohort, error=stale),
            )
        messages.error(request, stale)
        return redirect(back)
    return render(
        request,
        "recruitment/application_move.html",
        {"application": application, "form": form, "next": back},
    )


@require_POST
@role_required(LEAD)
def application_details_use(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the details the applicant gave online onto their record."""
    application = selectors.application_for_user(user=request.user, pk=pk)
    act(
        request,
        lambda: services.application_details_use(application=application, by=request.user),
        done=f"{application.person.display_name}'s record now has the details they gave.",
    )
    return redirect("recruitment:application-detail", pk=application.pk)


@require_POST
@role_required(LEAD)
def application_details_ignore(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the record as it is and forget the details given online."""
    application = selectors.application_for_user(user=request.user, pk=pk)
    act(
        request,
        lambda: services.application_details_ignore(application=application, by=request.user),
        done=f"{application.person.display_name}'s record is unchanged; "
        "the details they gave online were ignored.",
    )
    return redirect("recruitment:application-detail", pk=application.pk)
