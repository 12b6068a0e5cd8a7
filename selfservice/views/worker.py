"""A peer worker's own pages: their job (post, hours, checks in plain words,
induction, absences), their supervision (dates, frequency, who supervises
them, any summary the supervisor shared; never the notes), their
development sessions, and their wellbeing plan, which is theirs to change
and shows who changed it and who read it.

Every page reads only the signed-in account's own records: a changed id in
the address gives 404. The plan's changes go through supervision's service
with the peer worker as the one who made them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from peerprog.core.models import User
from peerprog.core.pages import form_page
from selfservice.access import own_or_404, own_page, person_required
from selfservice.job_page import my_job as my_job_page
from selfservice.plan_page import my_plan_page
from selfservice.supervision_page import own_supervision_page
from supervision import forms as supervision_forms
from supervision import services as supervision_services
from supervision.models import WellbeingPlan

PLAN_NOTE = (
    "This plan is yours, in your own words. Besides you, only your supervisor and the "
    "programme's leads can read it, and every time one of them opens it is listed below."
)


def _own_plan(user: User, pk: Any) -> WellbeingPlan:
    return own_or_404(
        WellbeingPlan.objects.select_related("person", "updated_by"), user, pk, field="person"
    )


@require_GET
@own_page
def my_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The peer worker's appointment: post, service, hours, contract, start
    date, line manager, checks in plain words, induction and absences."""
    job = my_job_page(user=request.user, pk=pk)
    return render(
        request,
        "selfservice/my_job.html",
        {
            "appointment": job.appointment,
            "checks": job.checks,
            "induction": job.induction,
            "absences": job.absences,
        },
    )


@require_GET
@own_page
def my_supervision(request: HttpRequest, pk: int) -> HttpResponse:
    """The peer worker's supervision: who, how often, when next, the dates
    of their sessions, and their development sessions."""
    return render(
        request,
        "selfservice/my_supervision.html",
        {"page": own_supervision_page(user=request.user, pk=pk)},
    )


@require_GET
@own_page
def my_wellbeing_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The peer worker's wellbeing plan, who changed it and who read it.
    Their own reading is not logged as a read: the log is of others."""
    return render(
        request,
        "selfservice/my_wellbeing_plan.html",
        {"page": my_plan_page(user=request.user, pk=pk), "note": PLAN_NOTE},
    )


@require_http_methods(["GET", "POST"])
@person_required
def my_wellbeing_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The peer worker changes the four sections of their plan. A save over
    a newer change (their supervisor's, say) is refused: their words stay
    in the form, next to the plan as it now is, and the form then carries
    the new version so that a second, deliberate save goes through."""
    plan = _own_plan(request.user, pk)
    current: WellbeingPlan | None = None
    if request.method == "POST":
        form = supervision_forms.OwnWellbeingPlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                supervision_services.wellbeing_plan_own_update(
                    plan=plan,
                    by=request.user,
                    expected_version=data["version"],
                    keeping_well=data["keeping_well"],
                    early_signs=data["early_signs"],
                    what_helps=data["what_helps"],
                    contacts=data["contacts"],
                )
            except supervision_services.PlanChangedMeanwhile as changed:
                current = changed.plan
                posted = request.POST.copy()
                posted["version"] = str(current.version)
                form = supervision_forms.OwnWellbeingPlanForm(posted)
                form.is_valid()
                form.add_error(None, changed.message)
            except supervision_services.Refused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request, "Your wellbeing plan is saved. Your supervisor can see what changed."
                )
                return redirect("selfservice:my-wellbeing-plan", pk=plan.pk)
    else:
        form = supervision_forms.OwnWellbeingPlanForm(
            initial={name: getattr(plan, name) for name in (*WellbeingPlan.SECTIONS, "version")}
        )
    return form_page(
        request,
        form,
        title="Change my wellbeing plan",
        back_url=reverse("selfservice:my-wellbeing-plan", args=[plan.pk]),
        back_label="Back to my plan",
        intro="Write in your own words. Your supervisor records when you agreed the plan and "
        "when you will look at it again together.",
        sensitive=PLAN_NOTE,
        extra={"current": current},
        template="selfservice/my_wellbeing_plan_edit.html",
    )
