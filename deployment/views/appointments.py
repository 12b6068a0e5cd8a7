"""Appointments and everything about a peer worker in post: checks, start
date, induction, absences, transfer and leaving; leaving reasons; retention."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from deployment import list_rows, selectors, services
from deployment.forms import (
    AbsenceForm,
    AppointmentTermsForm,
    CheckForm,
    ConfirmStartForm,
    LeaveForm,
    PlannedStartForm,
    TransferForm,
)
from deployment.models import Absence, Appointment
from deployment.selectors import work
from deployment.views.common import PAGE_SIZE, READERS, WRITERS
from peerprog.core.access import can_read_sensitive, has_role, role_required
from peerprog.core.models import Role
from peerprog.core.once import create_view
from peerprog.core.pages import MAY_HOLD_SPECIAL_CATEGORY, act, attempt, form_page
from peerprog.core.privacy.read_log import ReadKind, ReadPurpose, read_log, reads_log

STATUS_FILTERS = [
    ("active", "Offered or in post"),
    *Appointment.Status.choices,
    ("all", "All"),
    *work.NEEDS.items(),
]


def _status_options(chosen: str) -> SafeString:
    """The list filter's options (``STATUS_FILTERS``), the one shown
    chosen, in one piece."""
    options = [
        f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
        f"{escape(label)}</option>"
        for value, label in STATUS_FILTERS
    ]
    # Each value and label is escaped above.
    return mark_safe("".join(options))  # noqa: S308


class _CountedPaginator(Paginator):
    """Pages a list whose number of items is already known."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


@role_required(*READERS)
def appointment_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "active")
    if status not in dict(STATUS_FILTERS):
        status = "active"
    today = timezone.localdate()
    if status in work.NEEDS:
        appointments = work.appointments_needing(
            appointments=selectors.appointment_list(user=request.user, status="all"),
            need=status,
            today=today,
        )
        paginator = Paginator(appointments, PAGE_SIZE)
    else:
        appointments = selectors.appointment_list(user=request.user, status=status)
        paginator = _CountedPaginator(
            appointments,
            PAGE_SIZE,
            count=selectors.appointment_count(
                user=request.user, appointments=appointments, chosen=(status, today)
            ),
        )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "deployment/appointment_list.html",
        {
            "page": page,
            # The page's appointments as plain values; the count above is
            # taken without the joins they need.
            "rows": list_rows.appointment_rows(
                selectors.appointment_page_values(
                    user=request.user,
                    appointments=appointments,
                    number=page.number,
                    size=PAGE_SIZE,
                    fields=list_rows.APPOINTMENT_FIELDS,
                    chosen=(status, today),
                )
            ),
            "status": status,
            "status_options": _status_options(status),
            "query": f"status={status}",
        },
    )


@role_required(*READERS)
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_user(user=request.user, pk=pk)
    sensitive = can_read_sensitive(request.user)
    if sensitive:
        healths = []
        for absence in appointment.absences.all():
            health = getattr(absence, "health", None) if absence.kind == "sickness" else None
            if health is not None:
                healths.append(health)
        reads_log(
            by=request.user,
            kind=ReadKind.ABSENCE_HEALTH,
            records=healths,
            request=request,
            person_id=appointment.person_id,
        )
    return render(
        request,
        "deployment/appointment_detail.html",
        {
            "appointment": appointment,
            "checks": appointment.checks.all(),
            "absences": appointment.absences.all(),
            "timeline": selectors.appointment_timeline(appointment=appointment, user=request.user),
            "leaving_reason": selectors.leaving_reason_label(
                reason=appointment.leaving_reason, user=request.user
            ),
            "can_write": has_role(request.user, *WRITERS) and appointment.is_active,
            "can_record_activity": has_role(request.user, Role.PROGRAMME_LEAD),
            "show_health": sensitive,
            "today": timezone.localdate(),
        },
    )


def _back(appointment: Appointment) -> str:
    return reverse("deployment:appointment-detail", args=[appointment.pk])


@role_required(*WRITERS)
def appointment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_user(user=request.user, pk=pk)
    form = AppointmentTermsForm(
        request.POST or None, instance=appointment, programme=request.user.programme
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.appointment_update(
                appointment=appointment, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The appointment's terms have been saved.")
        return redirect("deployment:appointment-detail", pk=appointment.pk)
    return form_page(
        request,
        form,
        title=f"Terms of {appointment.person.display_name}'s appointment",
        back_url=_back(appointment),
    )


@role_required(*WRITERS)
def check_edit(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.get_check_for_user(user=request.user, pk=pk)
    appointment = check.appointment
    form = CheckForm(request.POST or None, instance=check)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form, lambda: services.check_update(check=check, by=request.user, **form.cleaned_data)
        )
    ):
        messages.success(request, f"The {check.get_kind_display()} has been saved.")
        return redirect("deployment:appointment-detail", pk=appointment.pk)
    return form_page(
        request,
        form,
        title=f"{check.get_kind_display()}: {appointment.person.display_name}",
        back_url=_back(appointment),
    )


@role_required(*WRITERS)
def appointment_plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_user(user=request.user, pk=pk)
    form = PlannedStartForm(request.POST or None, initial={"start_date": appointment.start_date})
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.appointment_plan_start(
                appointment=appointment, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(
            request,
            f"{appointment.person.display_name}'s planned start date is "
            f"{form.cleaned_data['start_date']:%-d %B %Y}.",
        )
        return redirect("deployment:appointment-detail", pk=appointment.pk)
    return form_page(
        request,
        form,
        title=f"Plan {appointment.person.display_name}'s start date",
        back_url=_back(appointment),
    )


@role_required(*WRITERS)
def appointment_start(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_user(user=request.user, pk=pk)
    outstanding = [check for check in appointment.checks.all() if check.is_outstanding]
    form = ConfirmStartForm(request.POST or None, initial={"start_date": appointment.start_date})
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.appointment_confirm_start(
                appointment=appointment, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, f"{appointment.person.display_name}'s start date is confirmed.")
        return redirect("deployment:appointment-detail", pk=appointment.pk)
    intro = (
        "Outstanding checks: "
        + ", ".join(check.get_kind_display() for check in outstanding)
        + ". The start date cannot be confirmed until they are cleared, unless you give a "
        "reason to go ahead."
        if outstanding
        else "All four pre-employment checks are cleared."
    )
    return form_page(
        request,
        form,
        title=f"Confirm {appointment.person.display_name}'s start date",
        intro=intro,
        back_url=_back(appointment),
    )


@require_POST
@role_required(*WRITERS)
def appointment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_user(user=request.user, pk=pk)
    act(
        request,
        lambda: services.appointment_withdraw(appointment=appointment, by=request.user),
        done="The offer has been withdrawn and the post is vacant again.",
    )
    return redirect("deployment:appointment-detail", pk=appointment.pk)


def _absence_form(request: HttpRequest, **kwargs: object) -> AbsenceForm:
    return AbsenceForm(
        request.POST or None,
        reserves=selectors.cover_reserves(user=request.user).exclude(
            person_id=kwargs.pop("person_id")
        ),
        health=can_read_sensitive(request.user),
        **kwargs,  # type: ignore[arg-type]
    )


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples.absence")
def absence_create(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_user(user=request.user, pk=pk)
    form = _absence_form(
        request, person_id=appointment.person_id, initial={"cover": Absence.Cover.NONE}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.absence_record(
                appointment=appointment, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The absence has been recorded.")
        return redirect("deployment:appointment-detail", pk=appointment.pk)
    return form_page(
        request,
        form,
        title=f"Record an absence: {appointment.person.display_name}",
        intro="Short absences are usually covered within the team; long ones by a reserve "
        "peer worker from the reserve list.",
        back_url=_back(appointment),
    )


@role_required(*WRITERS)
def absence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    absence = selectors.get_absence_for_user(user=request.user, pk=pk)
    appointment = absence.appointment
    initial = {
        "kind": absence.kind,
        "starts_on": absence.starts_on,
        "ends_on": absence.ends_on,
        "cover": absence.cover,
        "cover_reserve": absence.cover_reserve_id,
    }
    sensitive = can_read_sensitive(request.user)
    if sensitive:
        health = getattr(absence, "health", None)
        initial["health_category"] = health.category if health else ""
        if health is not None and request.method != "POST":
            read_log(
                by=request.user,
                kind=ReadKind.ABSENCE_HEALTH,
                record=health,
                request=request,
                purpose=ReadPurpose.EDITED,
                person_id=appointment.person_id,
            )
    form = _absence_form(request, person_id=appointment.person_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if attempt(
            form,
            lambda: services.absence_update(
                absence=absence,
                by=request.user,
                health_category=data.pop("health_category", None),
                **data,
            ),
        ):
            messages.success(request, "The absence has been saved.")
            return redirect("deployment:appointment-detail", pk=appointment.pk)
    return form_page(
        request,
        form,
        title=f"Change an absence: {appointment.person.display_name}",
        back_url=_back(appointment),
    )


@role_required(*WRITERS)
def appointment_leave(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        # Programmes get their reasons with their first appointment; one
        # that has none yet gets them when the form is sent, never opened.
        services.leaving_reasons_ensure_defaults(programme=request.user.programme, by=request.user)
    reasons = selectors.leaving_reason_list(user=request.user).filter(is_archived=False)
    form = LeaveForm(request.POST or None, reasons=reasons)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.appointment_leave(
                appointment=appointment,
                last_day=form.cleaned_data["last_day"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            ),
        )
    ):
        messages.success(
            request,
            f"{appointment.person.display_name} is recorded as a leaver; post "
            f"{appointment.post.position_number} is vacant again.",
        )
        return redirect("deployment:appointment-detail", pk=appointment.pk)
    return form_page(
        request,
        form,
        title=f"Record {appointment.person.display_name} as a leaver",
        intro="A move to another peer post in the programme is a transfer, not a leaver.",
        back_url=_back(appointment),
        sensitive=MAY_HOLD_SPECIAL_CATEGORY,
    )


@role_required(*WRITERS)
def appointment_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_user(user=request.user, pk=pk)
    form = TransferForm(
        request.POST or None,
        posts=selectors.vacant_peer_posts(user=request.user).exclude(pk=appointment.post_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = attempt(
            form,
            lambda: services.appointment_transfer(
                appointment=appointment,
                to_post=data["to_post"],
                first_day=data["first_day"],
                contract=data["contract"] or None,
                hours_per_week=data["hours_per_week"],
                by=request.user,
            ),
        )
        if new is not None:
            messages.success(
                request,
                f"{appointment.person.display_name} has transferred to post "
                f"{new.post.position_number}.",
            )
            return redirect("deployment:appointment-detail", pk=new.pk)
    return form_page(
        request,
        form,
        title=f"Transfer {appointment.person.display_name} to another post",
        intro="For a move between peer posts in the programme, such as promotion to Lead LXP. "
        "The person stays in the programme: this is not a leaver.",
        back_url=_back(appointment),
    )
