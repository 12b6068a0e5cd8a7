"""The supervision of employed peer workers: the supervisor's own page and
sessions, the lead's overview and assignments, wellbeing plans (every read
logged), the admins' read log, and continuing development."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from peerprog.core.access import role_required
from peerprog.core.models import Role
from peerprog.core.once import create_view
from peerprog.core.pages import attempt, form_page
from peerprog.core.privacy.read_log import ReadKind, ReadPurpose, reads_log
from supervision import forms, selectors, services, tables
from supervision.selectors import work

LEAD = Role.PROGRAMME_LEAD
SUPERVISOR = Role.SUPERVISOR
PLAN_NOTE = (
    "A wellbeing plan is the peer worker's own. Only their supervisor and the programme's "
    "leads can read it, and every time it is opened is recorded."
)


def _supervisee_url(pk: int) -> str:
    return reverse("supervision:supervisee", args=[pk])


# The supervisor's own pages


@role_required(SUPERVISOR)
def my_supervisees(request: HttpRequest) -> HttpResponse:
    """The supervisor's supervisees; ``?show=due`` keeps those whose
    supervision is due or overdue, ``?show=plan-review`` those whose
    wellbeing plan is due for review."""
    today = timezone.localdate()
    show = request.GET.get("show", "")
    if show not in work.SUPERVISEE_FILTERS:
        show = ""
    everyone = selectors.my_supervisees(user=request.user, today=today)
    rows = work.filter_supervisees(rows=everyone, show=show, today=today)
    return render(
        request,
        "supervision/my_supervisees.html",
        {
            "rows": rows,
            "cards": tables.supervisee_cards(rows),
            "overdue": sum(1 for r in everyone if r.overdue),
            "show": show,
            "filters": work.SUPERVISEE_FILTERS,
        },
    )


@role_required(LEAD, SUPERVISOR)
def supervisee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.supervisee_for_user(user=request.user, pk=pk)
    page = selectors.supervisee_page(user=request.user, person=person)
    is_lead = selectors.is_lead(user=request.user)
    holds_plan = page.assignment is not None and page.assignment.supervisor_id == request.user.pk
    reads_log(
        by=request.user,
        kind=ReadKind.SUPERVISION_NOTES,
        records=[s for s in page.sessions if s.notes_visible and s.notes],
        request=request,
        person_id=person.pk,
    )
    return render(
        request,
        "supervision/supervisee_detail.html",
        {
            "page": page,
            "person": person,
            "is_lead": is_lead,
            "is_their_supervisor": page.assignment is not None
            and request.user.pk
            in (page.assignment.supervisor_id, page.assignment.cover_supervisor_id),
            "can_read_plan": is_lead or holds_plan,
            "today": timezone.localdate(),
        },
    )


@role_required(SUPERVISOR)
@create_view(sample="tests.supervision.samples.session")
def session_create(request: HttpRequest) -> HttpResponse:
    supervisees = selectors.own_supervisees(user=request.user)
    initial = {}
    chosen = request.GET.get("person", "")
    if chosen.isdigit() and supervisees.filter(pk=chosen).exists():
        initial["attendees"] = [int(chosen)]
    if request.GET.get("kind") == "group":
        initial["kind"] = "group"
    form = forms.SessionForm(request.POST or None, supervisees=supervisees, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = attempt(
            form,
            lambda: services.supervision_session_record(
                by=request.user,
                form_token=data["form_token"] or None,
                kind=data["kind"],
                attendees=data["attendees"],
                held_on=data["held_on"],
                minutes=data["minutes"],
                keeping_well=data["keeping_well"],
                developing_role=data["developing_role"],
                after_challenging_event=data["after_challenging_event"],
                notes=data["notes"],
                shared_summary=data["shared_summary"],
            ),
        )
        if result:
            session, created = result
            if created:
                messages.success(
                    request, f"The {session.get_kind_display().lower()} session is recorded."
                )
            else:
                messages.info(
                    request, "This session was already recorded (the form was sent twice)."
                )
            return redirect("supervision:my-supervisees")
    return form_page(
        request,
        form,
        title="Record a supervision session",
        back_url=reverse("supervision:my-supervisees"),
        intro="Record an individual session, or a group session with several peer workers at "
        "once. Your notes are private to you and the programme's leads.",
    )


@role_required(SUPERVISOR)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_supervisor(user=request.user, pk=pk)
    form = forms.SessionForm(
        request.POST or None,
        instance=session,
        supervisees=selectors.own_supervisees(user=request.user),
        submit_label="Save the changes",
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in forms.SessionForm.Meta.fields}
        if attempt(
            form,
            lambda: services.supervision_session_update(
                session=session, by=request.user, attendees=data["attendees"], **values
            ),
        ):
            messages.success(request, "The session has been changed.")
            return redirect("supervision:my-supervisees")
    return form_page(
        request,
        form,
        title="Change the supervision session",
        back_url=reverse("supervision:my-supervisees"),
    )


# The lead's pages


@role_required(LEAD)
def supervision_overview(request: HttpRequest) -> HttpResponse:
    only_overdue = request.GET.get("show") == "overdue"
    overview = selectors.supervision_overview(
        user=request.user, page=request.GET.get("page"), only_overdue=only_overdue
    )
    return render(
        request,
        "supervision/supervision_overview.html",
        {
            "rows": overview.rows,
            "rows_html": tables.supervision_rows(overview.rows),
            "page": overview.page,
            "only_overdue": only_overdue,
            "paging_query": "show=overdue&" if only_overdue else "",
            "total": overview.total,
            "overdue": overview.overdue,
            "unassigned": overview.unassigned,
        },
    )


@role_required(LEAD)
def supervision_assign(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.supervisee_for_user(user=request.user, pk=pk)
    current = selectors.active_supervision(person=person)
    supervisors = selectors.supervisors_in_programme(user=request.user)
    initial = {}
    if current is not None:
        initial = {
            "supervisor": current.supervisor_id,
            "cover_supervisor": current.cover_supervisor_id,
            "frequency_days": current.frequency_days,
        }
    warnings: list[str] = []
    form = forms.SupervisionAssignForm(
        request.POST or None, supervisors=supervisors, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.supervision_assign(
                person=person,
                supervisor=data["supervisor"],
                cover_supervisor=data["cover_supervisor"],
                frequency_days=data["frequency_days"],
                accept_warnings=data["accept_warnings"],
                reason=data["reason"],
                by=request.user,
                on=data["started_on"],
            )
        except services.SupervisorWarnings as warned:
            warnings = warned.warnings
            form = forms.SupervisionAssignForm(
                request.POST, supervisors=supervisors, warnings=warnings
            )
            form.is_valid()
            form.add_error(None, warned.message)
        except services.Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"{person.display_name}'s supervision has been saved.")
            return redirect(_supervisee_url(person.pk))
    return render(
        request,
        "supervision/supervision_assign.html",
        {"form": form, "person": person, "current": current, "warnings": warnings},
    )


@role_required(LEAD)
def supervision_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.supervision_assignment_for_lead(user=request.user, pk=pk)
    back = _supervisee_url(assignment.person_id)
    if not assignment.is_active:
        messages.info(request, "This supervision has already ended.")
        return redirect(back)
    form = forms.EndSupervisionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.supervision_end(
                assignment=assignment,
                by=request.user,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["ended_on"],
            ),
        )
    ):
        messages.success(request, "The supervision has ended; it stays in the history.")
        return redirect(back)
    return form_page(
        request,
        form,
        title=f"End {assignment.supervisor.full_name}'s supervision of "
        f"{assignment.person.display_name}",
        back_url=back,
    )


# Wellbeing plans


@role_required(LEAD, SUPERVISOR)
def wellbeing_plan(request: HttpRequest, pk: int) -> HttpResponse:
    person, plan = selectors.plan_for_reader(user=request.user, pk=pk)
    if plan is not None:
        services.wellbeing_plan_read(
            plan=plan,
            by=request.user,
            purpose=ReadPurpose.VIEWED,
            page="supervision:wellbeing-plan",
        )
    return render(
        request,
        "supervision/wellbeing_plan.html",
        {
            "person": person,
            "plan": plan,
            "changes": selectors.plan_changes(plan=plan, viewer=request.user) if plan else [],
            "note": PLAN_NOTE,
            "today": timezone.localdate(),
        },
    )


@role_required(LEAD, SUPERVISOR)
def wellbeing_plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    person, plan = selectors.plan_for_reader(user=request.user, pk=pk)
    if plan is None:
        messages.info(request, "There is no wellbeing plan to print yet.")
        return redirect("supervision:wellbeing-plan", pk=person.pk)
    services.wellbeing_plan_read(
        plan=plan,
        by=request.user,
        purpose=ReadPurpose.PRINTED,
        page="supervision:wellbeing-plan-print",
    )
    return render(
        request, "supervision/wellbeing_plan_print.html", {"person": person, "plan": plan}
    )


@role_required(LEAD, SUPERVISOR)
def wellbeing_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person, plan = selectors.plan_for_reader(user=request.user, pk=pk)
    if plan is not None and request.method != "POST":
        services.wellbeing_plan_read(
            plan=plan,
            by=request.user,
            purpose=ReadPurpose.EDITED,
            page="supervision:wellbeing-plan-edit",
        )
    form = forms.WellbeingPlanForm(request.POST or None, instance=plan)
    back = reverse("supervision:wellbeing-plan", args=[person.pk])
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in forms.WellbeingPlanForm.Meta.fields}
        if attempt(
            form,
            lambda: services.wellbeing_plan_save(
                person=person,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **values,
            ),
        ):
            messages.success(request, f"{person.display_name}'s wellbeing plan has been saved.")
            return redirect(back)
    title = "Change" if plan else "Write"
    return form_page(
        request,
        form,
        title=f"{title} {person.display_name}'s wellbeing plan",
        back_url=back,
        intro="Write the plan with the peer worker, in their words. They get a printed copy.",
        sensitive=PLAN_NOTE,
    )


@role_required(Role.ADMIN)
def wellbeing_plan_reads(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.plan_read_log(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "supervision/wellbeing_plan_reads.html", {"page": page})


# Continuing development


@role_required(LEAD)
def development_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "supervision/development_list.html",
        {"sessions": selectors.development_list(user=request.user)},
    )


def _development_form(request: HttpRequest, session: object = None) -> HttpResponse:
    form = forms.DevelopmentSessionForm(
        request.POST or None,
        instance=session,
        leads=selectors.lead_lxps(user=request.user),
        employed=selectors.employed_choices(user=request.user),
    )
    back = reverse("supervision:development")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in forms.DevelopmentSessionForm.Meta.fields}
        if attempt(
            form,
            lambda: services.development_session_save(
                by=request.user,
                session=session,  # type: ignore[arg-type]
                attendees=data["attendees"],
                **values,
            ),
        ):
            messages.success(request, "The development session has been saved.")
            return redirect(back)
    title = "Change the development session" if session else "Record a development session"
    return form_page(request, form, title=title, back_url=back)


@role_required(LEAD)
@create_view(sample="tests.supervision.samples.development")
def development_create(request: HttpRequest) -> HttpResponse:
    return _development_form(request)


@role_required(LEAD)
def development_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _development_form(request, selectors.development_for_lead(user=request.user, pk=pk))
