"""A trainee's own portfolio: deadlines, drafts with released feedback, the
final portfolio and its decision, handing in drafts and the final portfolio,
and downloading their own files.

Every record is one of the account's own (``own_or_404``): another
person's enrolment, draft or file is a 404. The writes are training's own
services, with the trainee as the actor, so the history names them."""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from peerprog.core.once import create_view, field_html
from peerprog.core.pages import attempt, form_page
from selfservice.access import own_page, person_required
from selfservice.portfolio_page import own_portfolio_enrolment
from training import services
from training.forms import TraineeDraftForm, TraineeHandInForm
from training.models import Enrolment
from training.selectors.trainee_portfolio import (
    own_draft,
    own_enrolment,
    own_submission,
    trainee_portfolio,
)
from training.storage import download_response

# Both upload forms are on the portfolio page: prefixes keep their fields'
# ids apart.
DRAFT = "draft"
FINAL = "final"

# The empty upload forms as drawn (the same for everyone: the page's
# tokens are separate fields), drawn once by the process.
_DRAWN: dict[str, SafeString] = {}


def _drawn(form_class: type[forms.Form], prefix: str) -> SafeString:
    html = _DRAWN.get(prefix)
    if html is None:
        html = _DRAWN[prefix] = mark_safe(as_crispy_form(form_class(prefix=prefix)))  # noqa: S308
    return html


def _portfolio_url(enrolment: Enrolment) -> str:
    return reverse("selfservice:portfolio", kwargs={"pk": enrolment.pk})


@require_GET
@own_page
def portfolio(request: HttpRequest, pk: int) -> HttpResponse:
    # The cohort's training settings (the deadlines, whether the assessors
    # are chosen) come with the enrolment.
    enrolment = own_portfolio_enrolment(user=request.user, pk=pk)
    mine = trainee_portfolio(user=request.user, enrolment=enrolment)
    draft_url = reverse("selfservice:portfolio-draft-create", kwargs={"pk": enrolment.pk})
    hand_in_url = reverse("selfservice:portfolio-submission-create", kwargs={"pk": enrolment.pk})
    context = {
        "enrolment": enrolment,
        "portfolio": mine,
        "draft_url": draft_url,
        "hand_in_url": hand_in_url,
    }
    if mine.upload_refusal is None:
        context["draft_form"] = _drawn(TraineeDraftForm, DRAFT)
        context["draft_token"] = field_html(request, draft_url)
    if mine.hand_in_refusal is None:
        context["hand_in_form"] = _drawn(TraineeHandInForm, FINAL)
        context["hand_in_token"] = field_html(request, hand_in_url)
    return render(request, "selfservice/portfolio.html", context)


@person_required
@create_view(sample="tests.selfservice.samples.portfolio_draft")
def draft_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = own_enrolment(user=request.user, pk=pk)
    mine = trainee_portfolio(user=request.user, enrolment=enrolment)
    back = _portfolio_url(enrolment)
    if mine.upload_refusal is not None:
        messages.error(request, mine.upload_refusal)
        return redirect(back)
    form = TraineeDraftForm(request.POST or None, request.FILES or None, prefix=DRAFT)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.draft_record(
                enrolment=enrolment, upload=form.cleaned_data["file"], by=request.user
            ),
        )
    ):
        messages.success(
            request,
            "Your draft has been handed in. You will see your facilitator's feedback "
            "here once they have written it and released it to you.",
        )
        return redirect(back)
    return form_page(
        request,
        form,
        title="Hand in a draft of your portfolio",
        back_url=back,
        back_label="Back to my portfolio",
    )


@person_required
@create_view(sample="tests.selfservice.samples.portfolio_hand_in")
def submission_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = own_enrolment(user=request.user, pk=pk)
    mine = trainee_portfolio(user=request.user, enrolment=enrolment)
    back = _portfolio_url(enrolment)
    if mine.hand_in_refusal is not None:
        messages.error(request, mine.hand_in_refusal)
        return redirect(back)
    form = TraineeHandInForm(request.POST or None, request.FILES or None, prefix=FINAL)
    if request.method == "POST" and form.is_valid():
        submission = attempt(
            form,
            lambda: services.submission_record(
                enrolment=enrolment, upload=form.cleaned_data["file"], by=request.user
            ),
        )
        if submission:
            late = (
                f" It came in after the deadline of {submission.due_on:%-d %B %Y}, "
                "so it is marked as late."
                if submission.is_late
                else ""
            )
            messages.success(
                request,
                "Your portfolio has been handed in and sent to the two assessors. "
                f"You will see the decision here once it is made.{late}",
            )
            return redirect(back)
    what = "resubmitted portfolio" if mine.is_resubmission else "final portfolio"
    return form_page(
        request,
        form,
        title=f"Hand in your {what}",
        back_url=back,
        back_label="Back to my portfolio",
    )


@require_GET
@person_required
def draft_file(request: HttpRequest, pk: int) -> FileResponse:
    return download_response(own_draft(user=request.user, pk=pk))


@require_GET
@person_required
def submission_file(request: HttpRequest, pk: int) -> FileResponse:
    return download_response(own_submission(user=request.user, pk=pk))
