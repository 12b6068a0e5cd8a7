"""Scored interviews: a panel's chair and make-up, the chair's entry of
the scores, the day's totals and rankings, and pairing a new peer worker
in an acute service with an experienced one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from deployment import selectors
from deployment.interview_score_forms import InterviewScoresForm, PanelScoringForm
from deployment.models import Interview
from deployment.models.interview_scores import SCORE_MAX, SCORE_MIN, SCORE_WORDS
from deployment.selectors import interview_scores as score_selectors
from deployment.selectors import pairing
from deployment.services import interview_scores as score_services
from deployment.views.common import OUTCOME_RECORDERS, READERS, WRITERS
from peerprog.core.access import can_read_sensitive, has_role, role_required
from peerprog.core.pages import SPECIAL_CATEGORY, attempt, form_page


@role_required(*WRITERS)
def panel_scoring(request: HttpRequest, pk: int) -> HttpResponse:
    """Name the panel's chair and record who brings lived experience."""
    panel = score_selectors.get_panel_for_setup(user=request.user, pk=pk)
    members = score_selectors.panel_members(panel=panel)
    chair = getattr(panel, "chair", None)
    form = PanelScoringForm(
        request.POST or None,
        chairs=score_selectors.chair_choices(user=request.user),
        members=members,
        initial={
            "chair": chair.user_id if chair else None,
            "lived_experience": [str(m.pk) for m in members if m.has_lived_experience],  # type: ignore[attr-defined]
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: score_services.panel_scoring_set(
                panel=panel,
                chair=form.cleaned_data["chair"],
                lived_experience=form.cleaned_data["lived_experience"],
                by=request.user,
            ),
        )
    ):
        messages.success(request, f"{panel.name} has been saved.")
        return redirect("deployment:day-scores", pk=panel.day_id)
    includes = any(m.has_lived_experience for m in members)  # type: ignore[attr-defined]
    return form_page(
        request,
        form,
        title=f"Chair and members of {panel.name}",
        intro="Members need no account: the chair enters their scores.",
        warning=""
        if includes or not members
        else score_selectors.lived_experience_warning(panel=panel),
        sensitive=SPECIAL_CATEGORY,
        back_url=reverse("deployment:day-scores", args=[panel.day_id]),
    )


@role_required(*OUTCOME_RECORDERS)
def interview_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """The score sheet: a score per criterion per panel member, entered by
    the chair, with the totals."""
    interview = score_selectors.get_interview_for_scoring(user=request.user, pk=pk)
    sheet = score_selectors.score_sheet(user=request.user, interview=interview)
    form = InterviewScoresForm(
        request.POST or None, members=sheet.members, criteria=sheet.criteria, scores=sheet.scores
    )
    editable = interview.outcome == Interview.Outcome.PENDING and bool(
        sheet.members and sheet.criteria
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: score_services.interview_scores_record(
                interview=interview, scores=form.scores(), by=request.user
            ),
        )
    ):
        messages.success(
            request,
            f"The scores for {interview.candidate.person.display_name} have been saved.",
        )
        return redirect("deployment:interview-scores", pk=interview.pk)
    vacancy = interview.candidate.vacancy
    return render(
        request,
        "deployment/interview_scores.html",
        {
            "interview": interview,
            "sheet": sheet,
            "form": form,
            "editable": editable,
            "member_totals": [sheet.member_totals.get(m.pk, 0) for m in sheet.members],
            "rows": [
                (criterion, fields, sheet.criterion_totals.get(criterion.pk, 0))
                for criterion, fields in form.rows()
            ],
            "scale": [(n, SCORE_WORDS[n]) for n in range(SCORE_MIN, SCORE_MAX + 1)],
            "show_lived_experience": can_read_sensitive(request.user),
            "spec_url": reverse("deployment:vacancy-spec", args=[vacancy.pk]),
            "can_set_up_panel": has_role(request.user, *WRITERS) and interview.panel_id,
        },
    )


@role_required(*READERS)
def day_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Each vacancy's candidates ranked by panel total; the panels' make-up.
    Who brings lived experience is for HR and leads; others see a count."""
    day = selectors.get_recruitment_day_for_user(user=request.user, pk=pk)
    scores = score_selectors.day_scores(user=request.user, day=day)
    return render(
        request,
        "deployment/day_scores.html",
        {
            "day": day,
            "scores": scores,
            "can_score": has_role(request.user, *OUTCOME_RECORDERS),
            "can_write": has_role(request.user, *WRITERS),
            "show_lived_experience": can_read_sensitive(request.user),
        },
    )


@role_required(*READERS)
def appointment_pairing(request: HttpRequest, pk: int) -> HttpResponse:
    """Whether a new peer worker needs pairing with an experienced one, and
    who could be their pair."""
    appointment = pairing.get_appointment_for_pairing(user=request.user, pk=pk)
    need = pairing.pairing_need(person=appointment.person, service=appointment.post.service)
    return render(
        request,
        "deployment/appointment_pairing.html",
        {
            "appointment": appointment,
            "need": need,
            "candidates": list(
                pairing.pairing_candidates(user=request.user, appointment=appointment)
            ),
            "experienced_months": pairing.settings.PAIRING_EXPERIENCED_MONTHS,
        },
    )
