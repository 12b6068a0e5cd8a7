"""Vacancies and their candidates, the recruitment day, and the reserve list."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from deployment import selectors, services
from deployment.forms import (
    CandidateForm,
    CandidateStatusForm,
    InterviewForm,
    OutcomeForm,
    PanelForm,
    PanelMemberForm,
    RecruitmentDayForm,
    ReserveAppointForm,
    VacancyForm,
)
from deployment.models import Interview, Vacancy
from deployment.selectors import work
from deployment.selectors.pairing import pairing_need
from deployment.views.common import OUTCOME_RECORDERS, PAGE_SIZE, READERS, WRITERS
from peerprog.core.access import (
    can_read_adjustment_notes,
    can_read_sensitive,
    get_in_programme_or_404,
    has_role,
    role_required,
)
from peerprog.core.models import Person
from peerprog.core.once import create_view
from peerprog.core.pages import MAY_HOLD_SPECIAL_CATEGORY, act, attempt, form_page
from peerprog.core.privacy.read_log import ReadKind, reads_log
from readiness.selectors import preparation_warning

# Vacancies ----------------------------------------------------------------


@role_required(*READERS)
def vacancy_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    page = Paginator(selectors.vacancy_list(user=request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deployment/vacancy_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Vacancy.Status.choices,
            "query": f"status={status}",
        },
    )


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples.vacancy")
def vacancy_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(user=request.user, pk=pk)
    form = VacancyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vacancy = attempt(
            form, lambda: services.vacancy_create(post=post, by=request.user, **form.cleaned_data)
        )
        if vacancy is not None:
            messages.success(request, f"Post {post.position_number} is advertised.")
            return redirect("deployment:vacancy-detail", pk=vacancy.pk)
    return form_page(
        request,
        form,
        title=f"Advertise post {post.position_number}",
        intro=f"{post.job_title}, {post.service.name}, band {post.band}.",
        back_url=reverse("deployment:post-detail", args=[post.pk]),
    )


@role_required(*READERS)
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.get_vacancy_for_user(user=request.user, pk=pk)
    return render(
        request,
        "deployment/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "candidates": vacancy.candidates.all(),
            "can_write": has_role(request.user, *WRITERS),
            "status_form": CandidateStatusForm(),
        },
    )


@require_POST
@role_required(*WRITERS)
def vacancy_close(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.get_vacancy_for_user(user=request.user, pk=pk)
    act(
        request,
        lambda: services.vacancy_close(vacancy=vacancy, by=request.user),
        done="The vacancy is closed.",
    )
    return redirect("deployment:vacancy-detail", pk=vacancy.pk)


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples.candidate")
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a person forward for a vacancy. People who passed the training
    course are listed first; anyone else is refused with the reason."""
    vacancy = selectors.get_vacancy_for_user(user=request.user, pk=pk)
    eligible, others = selectors.candidate_choices(user=request.user, vacancy=vacancy)
    form = CandidateForm(request.POST or None, eligible=eligible, others=others)
    if request.method == "POST" and form.is_valid():
        person = get_in_programme_or_404(
            Person.objects.all(), request.user, form.cleaned_data["person"]
        )
        if attempt(
            form,
            lambda: services.candidate_add(vacancy=vacancy, person=person, by=request.user),
            field="person",
        ):
            messages.success(request, f"{person.display_name} is a candidate for this vacancy.")
            return redirect("deployment:vacancy-detail", pk=vacancy.pk)
    return form_page(
        request,
        form,
        title=f"Add a candidate for {vacancy.advert_reference}",
        intro="Only people who passed the training course can be candidates for paid posts.",
        back_url=reverse("deployment:vacancy-detail", args=[vacancy.pk]),
    )


@require_POST
@role_required(*WRITERS)
def candidate_status(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.get_candidate_for_user(user=request.user, pk=pk)
    form = CandidateStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose shortlisted, not shortlisted or withdrawn.")
    else:
        act(
            request,
            lambda: services.candidate_set_status(
                candidate=candidate, status=form.cleaned_data["status"], by=request.user
            ),
            done=lambda moved: (
                f"{moved.person.display_name}: {moved.get_status_display().lower()}."
            ),
        )
    return redirect("deployment:vacancy-detail", pk=candidate.vacancy_id)


# The recruitment day ------------------------------------------------------


@role_required(*READERS)
def recruitment_day_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.recruitment_day_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deployment/recruitment_day_list.html",
        {"page": page, "can_write": has_role(request.user, *WRITERS)},
    )


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples.recruitment_day")
def recruitment_day_create(request: HttpRequest) -> HttpResponse:
    form = RecruitmentDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = services.recruitment_day_create(
            programme=request.user.programme,
            day=data["date"],
            venue=data["venue"],
            arrangements=data["arrangements"],
            by=request.user,
        )
        messages.success(request, "The recruitment day has been planned.")
        return redirect("deployment:day-detail", pk=day.pk)
    return form_page(
        request, form, title="Plan a recruitment day", back_url=reverse("deployment:days")
    )


@role_required(*READERS)
def recruitment_day_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Slots, panels and outcomes. Organisers see the practical notes of
    candidates' adjustments (a later start, say), never the request."""
    day = selectors.get_recruitment_day_for_user(user=request.user, pk=pk)
    interviews = list(day.interviews.all())
    issued = selectors.letters_for_interviews(interviews=interviews)
    for interview in interviews:
        interview.issued_letter = issued.get(interview.pk)  # type: ignore[attr-defined]
    show_adjustments = can_read_adjustment_notes(request.user)
    if show_adjustments:
        # Every candidate's adjustments shown: one batch for the page.
        reads_log(
            by=request.user,
            kind=ReadKind.ADJUSTMENTS,
            records=[
                adjustment
                for interview in interviews
                for adjustment in getattr(interview.candidate.person, "active_adjustments", [])
            ],
            request=request,
        )
    return render(
        request,
        "deployment/recruitment_day_detail.html",
        {
            "day": day,
            "panels": day.panels.all(),
            "interviews": interviews,
            "can_write": has_role(request.user, *WRITERS),
            "can_decide": has_role(request.user, *OUTCOME_RECORDERS),
            "show_adjustments": show_adjustments,
            "show_notes": can_read_sensitive(request.user),
        },
    )


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples.panel")
def panel_create(request: HttpRequest, pk: int) -> HttpResponse:
    day = selectors.get_recruitment_day_for_user(user=request.user, pk=pk)
    form = PanelForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form, lambda: services.panel_create(day=day, by=request.user, **form.cleaned_data)
        )
    ):
        messages.success(request, "The panel has been added.")
        return redirect("deployment:day-detail", pk=day.pk)
    return form_page(
        request,
        form,
        title="Add a panel",
        back_url=reverse("deployment:day-detail", args=[day.pk]),
    )


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples.panel_member")
def panel_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.get_panel_for_user(user=request.user, pk=pk)
    form = PanelMemberForm(request.POST or None, programme=request.user.programme)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.panel_member_add(panel=panel, by=request.user, **form.cleaned_data),
        )
    ):
        messages.success(request, f"{form.cleaned_data['name']} is on {panel.name}.")
        return redirect("deployment:day-detail", pk=panel.day_id)
    return form_page(
        request,
        form,
        title=f"Add a representative to {panel.name}",
        back_url=reverse("deployment:day-detail", args=[panel.day_id]),
    )


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples.interview")
def interview_create(request: HttpRequest, pk: int) -> HttpResponse:
    day = selectors.get_recruitment_day_for_user(user=request.user, pk=pk)
    form = InterviewForm(
        request.POST or None,
        candidates=selectors.schedulable_candidates(user=request.user),
        panels=selectors.panels_of_day(day=day),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            form,
            lambda: services.interview_schedule(
                day=day,
                candidate=data["candidate"],
                starts_at=data["starts_at"],
                panel=data["panel"],
                by=request.user,
            ),
        ):
            messages.success(request, "The interview slot has been given.")
            return redirect("deployment:day-detail", pk=day.pk)
    return form_page(
        request,
        form,
        title="Give an interview slot",
        intro="Shortlisted candidates without a slot are listed. Check their adjustments' "
        "practical notes on the day's page, for example a later start time.",
        back_url=reverse("deployment:day-detail", args=[day.pk]),
    )


@role_required(*OUTCOME_RECORDERS)
def interview_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.get_interview_for_user(user=request.user, pk=pk)
    initial = {"notes": interview.notes}
    if interview.outcome != Interview.Outcome.PENDING:
        initial["outcome"] = interview.outcome
    form = OutcomeForm(request.POST or None, initial=initial)
    # Appointing to a team that was not prepared is allowed, with a warning.
    warning = preparation_warning(service=interview.candidate.vacancy.post.service)
    # A recent graduate going to an acute service should be paired.
    pairing = pairing_need(
        person=interview.candidate.person, service=interview.candidate.vacancy.post.service
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            form,
            lambda: services.interview_record_outcome(
                interview=interview,
                outcome=data["outcome"],
                notes=data["notes"],
                reserve_months=data["reserve_months"] or 12,
                by=request.user,
                on=data["on"],
                placed_on=data["placed_on"],
            ),
        ):
            messages.success(
                request,
                f"The decision for {interview.candidate.person.display_name} has been recorded.",
            )
            if data["outcome"] == Interview.Outcome.APPOINT and warning:
                messages.warning(request, warning)
            if data["outcome"] == Interview.Outcome.APPOINT and pairing:
                messages.warning(request, pairing.message)
                return redirect("deployment:appointment-pairing", pk=interview.appointment.pk)
            return redirect("deployment:day-detail", pk=interview.day_id)
    return form_page(
        request,
        form,
        title=f"Decision for {interview.candidate.person.display_name}",
        intro=f"Interviewed for {interview.candidate.vacancy.post.job_title} "
        f"(post {interview.candidate.vacancy.post.position_number}). Appointing offers the "
        "post, subject to pre-employment checks.",
        back_url=reverse("deployment:day-detail", args=[interview.day_id]),
        sensitive=MAY_HOLD_SPECIAL_CATEGORY,
        extra={"warning": " ".join(filter(None, [warning, pairing.message if pairing else ""]))},
    )


# The reserve list ---------------------------------------------------------


@role_required(*READERS)
def reserve_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    include_past = show == "all"
    entries = selectors.reserve_list(user=request.user, include_past=include_past)
    # ``?show=lapsing``: the home page's "reserve entries about to lapse".
    lapsing = show == "lapsing"
    if lapsing:
        entries = work.reserves_lapsing(entries=entries, today=timezone.localdate())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "deployment/reserve_list.html",
        {
            "page": page,
            "include_past": include_past,
            "lapsing": lapsing,
            "lapse_days": work.LAPSE_DAYS,
            "query": f"show={show}" if include_past or lapsing else "",
            "can_write": has_role(request.user, *WRITERS),
        },
    )


@role_required(*WRITERS)
def reserve_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_reserve_entry_for_user(user=request.user, pk=pk)
    form = ReserveAppointForm(
        request.POST or None, posts=selectors.vacant_peer_posts(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        appointment = attempt(
            form,
            lambda: services.reserve_appoint(
                entry=entry, post=form.cleaned_data["post"], by=request.user
            ),
        )
        if appointment is not None:
            messages.success(
                request,
                f"{entry.person.display_name} has been offered the post from the reserve list.",
            )
            warning = preparation_warning(service=appointment.post.service)
            if warning:
                messages.warning(request, warning)
            pairing = pairing_need(person=entry.person, service=appointment.post.service)
            if pairing:
                messages.warning(request, pairing.message)
                return redirect("deployment:appointment-pairing", pk=appointment.pk)
            return redirect("deployment:appointment-detail", pk=appointment.pk)
    return form_page(
        request,
        form,
        title=f"Offer {entry.person.display_name} a post from the reserve list",
        back_url=reverse("deployment:reserve"),
    )


@require_POST
@role_required(*WRITERS)
def reserve_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_reserve_entry_for_user(user=request.user, pk=pk)
    act(
        request,
        lambda: services.reserve_entry_remove(entry=entry, by=request.user),
        done=f"{entry.person.display_name} is off the reserve list.",
    )
    return redirect("deployment:reserve")
