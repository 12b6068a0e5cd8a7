"""Cohorts, their training settings, timetable and registers."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from peerprog.core.access import has_role, role_required
from peerprog.core.models import Role
from peerprog.core.once import create_view
from peerprog.core.pages import attempt, form_page
from training import forms, selectors, services
from training.models import Enrolment
from training.views.cohort_rows import session_rows_html, trainee_rows_html
from training.views.common import (
    COURSE_STAFF,
    FACILITATOR,
    LEAD,
    PAGE_SIZE,
    row_links,
)

# Cohorts, settings and timetable


@role_required(LEAD, Role.HR, FACILITATOR, Role.ADMIN)
def cohort_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    cohorts = list(selectors.cohort_list(user=user))
    totals = {
        key: sum(getattr(c, key) for c in cohorts)
        for key in (
            "trainees",
            "active",
            "completed",
            "not_completed",
            "portfolio_not_completed",
            "left",
        )
    }
    return render(
        request,
        "training/cohort_list.html",
        {
            "cohorts": cohorts,
            "totals": totals,
            "breakdown": selectors.non_completion_breakdown(user=user, cohorts=cohorts),
            "moderation": selectors.moderation_queue(user=user) if has_role(user, LEAD) else [],
            "can_open": has_role(user, LEAD, FACILITATOR, Role.ADMIN),
            "is_lead": has_role(user, LEAD),
            "can_see_outcomes": has_role(user, LEAD, Role.HR, Role.ADMIN),
        },
    )


@role_required(LEAD, FACILITATOR, Role.ADMIN)
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The cohort's settings, its trainees fifty a page (by surname, or only
    those with one status) with their progress, and its timetable."""
    user = request.user
    overview = selectors.cohort_overview(user=user, pk=pk)
    cohort, figures, sessions = overview.cohort, overview.figures, overview.sessions
    status = request.GET.get("status", "")
    if status not in selectors.STATUS_FILTERS:
        status = ""
    # The grouped figures have counted the trainees listed already: the
    # pages are worked out from that count, and only the page shown is read.
    page = Paginator(range(figures.count(status)), PAGE_SIZE).get_page(request.GET.get("page"))
    start = (page.number - 1) * PAGE_SIZE
    trainees = selectors.cohort_trainees_with_progress(
        cohort=cohort, status=status, start=start, size=PAGE_SIZE
    )
    trainee_link = row_links("training:trainee")
    for trainee in trainees:
        trainee.link = trainee_link(trainee.pk)
    links = {key: row_links(f"training:session-{key}") for key in ("edit", "cancel")}
    links["register"] = row_links("training:register")
    for session in sessions:
        session.links = {key: link(session.pk) for key, link in links.items()}
    is_lead = has_role(user, LEAD)
    is_course_staff = has_role(user, *COURSE_STAFF)
    today = timezone.localdate()
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "training": selectors.cohort_training_for(cohort=cohort),
            "sessions": sessions,
            "page": page,
            "trainees": trainees,
            "trainee_rows": trainee_rows_html(trainees, linked=is_course_staff),
            "session_rows": session_rows_html(
                sessions, today=today, staff=is_course_staff, lead=is_lead
            ),
            "figures": figures,
            "status": status,
            "status_label": Enrolment.Status(status).label if status else "",
            "page_query": urlencode({"status": status}) if status else "",
            "breakdown": figures.breakdown,
            "is_lead": is_lead,
            "is_course_staff": is_course_staff,
            "today": today,
        },
    )


@role_required(LEAD)
def cohort_settings(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk, roles=(LEAD,))
    if request.method == "POST":
        # The settings are created with their defaults by the first post,
        # never by opening the page.
        training = services.cohort_training_ensure(cohort=cohort)
    else:
        training = selectors.cohort_training_for(cohort=cohort)
    form = forms.CohortTrainingForm(
        request.POST or None, instance=training, programme_id=cohort.programme_id
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        training.refresh_from_db()
        if attempt(
            form,
            lambda: services.cohort_training_update(training=training, by=request.user, **values),
        ):
            messages.success(request, "The cohort's training settings have been saved.")
            return redirect("training:cohort-detail", pk=cohort.pk)
    return form_page(
        request,
        form,
        title=f"Training settings: {cohort.name}",
        back_url=reverse("training:cohort-detail", args=[cohort.pk]),
    )


@role_required(LEAD)
@create_view(sample="tests.training.samples.timetable")
def timetable_generate(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk, roles=(LEAD,))
    form = forms.TimetableForm(request.POST or None, programme_id=cohort.programme_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sessions = attempt(
            form,
            lambda: services.timetable_generate(
                cohort=cohort,
                template=data["template"],
                starts_at=data["starts_at"],
                place=data["place"],
                is_online=data["is_online"],
                by=request.user,
            ),
        )
        if sessions:
            messages.success(request, f"{len(sessions)} sessions have been added to the timetable.")
            return redirect("training:cohort-detail", pk=cohort.pk)
    return form_page(
        request,
        form,
        title=f"Create the timetable: {cohort.name}",
        back_url=reverse("training:cohort-detail", args=[cohort.pk]),
    )


@role_required(LEAD)
@create_view(sample="tests.training.samples.session")
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk, roles=(LEAD,))
    form = forms.SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        session = attempt(
            form,
            lambda: services.session_create(
                cohort=cohort,
                by=request.user,
                co_facilitators=form.co_facilitators(),
                **form.values(),
            ),
        )
        if session:
            messages.success(request, f"{session.title} has been added to the timetable.")
            return redirect("training:cohort-detail", pk=cohort.pk)
    return form_page(
        request,
        form,
        title="Add a session",
        back_url=reverse("training:cohort-detail", args=[cohort.pk]),
    )


@role_required(LEAD)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_user(user=request.user, pk=pk)
    form = forms.SessionForm(request.POST or None, instance=session, cohort=session.cohort)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        session.refresh_from_db()
        if attempt(
            form,
            lambda: services.session_update(
                session=session,
                by=request.user,
                co_facilitators=form.co_facilitators(),
                **values,
            ),
        ):
            messages.success(request, "The session has been saved.")
            return redirect("training:cohort-detail", pk=session.cohort_id)
    return form_page(
        request,
        form,
        title=f"Change the session: {session.title}",
        back_url=reverse("training:cohort-detail", args=[session.cohort_id]),
    )


@role_required(LEAD)
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_user(user=request.user, pk=pk)
    form = forms.CancelSessionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.session_cancel(
                session=session, reason=form.cleaned_data["reason"], by=request.user
            ),
        )
    ):
        messages.success(request, f"{session.title} has been cancelled.")
        return redirect("training:cohort-detail", pk=session.cohort_id)
    return form_page(
        request,
        form,
        title=f"Cancel the session: {session}",
        back_url=reverse("training:cohort-detail", args=[session.cohort_id]),
    )


@role_required(*COURSE_STAFF)
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """The register for one session, for the whole cohort on one screen."""
    session = selectors.session_for_user(user=request.user, pk=pk, roles=COURSE_STAFF)
    rows = selectors.session_register(session=session)
    form = forms.RegisterForm(request.POST or None, rows=rows)
    saved = False
    if request.method == "POST" and form.is_valid():
        marks = form.marks()
        if "all_present" in request.POST:
            marks = {e.pk: marks.get(e.pk) or "present" for e, _ in rows}
        written = attempt(
            form,
            lambda: services.attendance_record(session=session, marks=marks, by=request.user),
        )
        if written is not None:
            saved = True
            if not request.htmx:
                messages.success(request, "The register has been saved.")
                return redirect("training:register", pk=session.pk)
            form = forms.RegisterForm(rows=selectors.session_register(session=session))
    context = {"session": session, "form": form, "saved": saved}
    if request.htmx:
        return render(request, "training/register.html#register-form", context)
    return render(request, "training/register.html", context)
