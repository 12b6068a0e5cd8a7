"""The trainee page and the portfolio: drafts, feedback, tutorials, the
final portfolio, its files, marking and moderation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peerprog.core.access import has_role, role_required
from peerprog.core.models import Role
from peerprog.core.once import create_view
from peerprog.core.pages import SPECIAL_CATEGORY, act, attempt, form_page
from peerprog.core.privacy.read_log import ReadKind, ReadPurpose, read_log, reads_log
from training import forms, selectors, services
from training.models import Enrolment, PortfolioSubmission
from training.storage import download_response
from training.views.common import (
    COURSE_STAFF,
    FACILITATOR,
    LEAD,
)

# The trainee and their portfolio


@role_required(*COURSE_STAFF)
def trainee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    enrolment = selectors.enrolment_for_user(user=user, pk=pk)
    context = selectors.trainee_page(user=user, enrolment=enrolment)
    context.update(
        {
            "enrolment": enrolment,
            "person": enrolment.person,
            "is_lead": has_role(user, LEAD),
            "can_release": has_role(user, LEAD, FACILITATOR),
            "can_read_health": selectors.can_read_health_reasons(user=user),
        }
    )
    # Feedback on drafts and tutorial notes: one batch for the page.
    reads_log(
        by=user,
        kind=ReadKind.PORTFOLIO_FEEDBACK,
        records=[
            *(draft for draft in context.get("drafts", []) if draft.feedback),
            *(tutorial for tutorial in context.get("tutorials", []) if tutorial.notes),
        ],
        request=request,
        person_id=enrolment.person_id,
    )
    return render(request, "training/trainee_detail.html", context)


def _trainee_url(enrolment: Enrolment) -> str:
    return reverse("training:trainee", args=[enrolment.pk])


@role_required(*COURSE_STAFF)
@create_view(sample="tests.training.samples.draft")
def draft_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_user(user=request.user, pk=pk)
    form = forms.DraftForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.draft_record(
                enrolment=enrolment,
                upload=form.cleaned_data["file"],
                received_on=form.cleaned_data["received_on"],
                by=request.user,
            ),
        )
    ):
        messages.success(request, "The draft has been recorded.")
        return redirect(_trainee_url(enrolment))
    return form_page(
        request,
        form,
        title=f"Record a draft from {enrolment.person.display_name}",
        back_url=_trainee_url(enrolment),
    )


@role_required(*COURSE_STAFF)
def draft_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    draft = selectors.draft_for_user(user=request.user, pk=pk)
    form = forms.FeedbackForm(request.POST or None, initial={"feedback": draft.feedback})
    if request.method != "POST" and draft.feedback:
        read_log(
            by=request.user,
            kind=ReadKind.PORTFOLIO_FEEDBACK,
            record=draft,
            request=request,
            purpose=ReadPurpose.EDITED,
            person_id=draft.enrolment.person_id,
        )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.draft_feedback(
                draft=draft, feedback=form.cleaned_data["feedback"], by=request.user
            ),
        )
    ):
        messages.success(request, "The feedback has been saved.")
        return redirect(_trainee_url(draft.enrolment))
    return form_page(
        request,
        form,
        title=f"Feedback on {draft.enrolment.person.display_name}'s draft of "
        f"{draft.received_on:%-d %B %Y}",
        back_url=_trainee_url(draft.enrolment),
        warning=(
            "The trainee can already read this feedback on their own pages: "
            "a change shows to them at once."
            if draft.feedback_is_released
            else ""
        ),
    )


@require_POST
@role_required(LEAD, FACILITATOR)
def draft_feedback_release(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator or a lead lets the trainee read the feedback on their
    own pages."""
    draft = selectors.draft_for_user(user=request.user, pk=pk)
    act(
        request,
        lambda: services.draft_feedback_release(draft=draft, by=request.user),
        done="The feedback has been released: the trainee can read it on their own pages.",
    )
    return redirect(_trainee_url(draft.enrolment))


@role_required(*COURSE_STAFF)
@create_view(sample="tests.training.samples.tutorial")
def tutorial_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_user(user=request.user, pk=pk)
    form = forms.TutorialForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.tutorial_record(
                enrolment=enrolment, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The tutorial has been logged.")
        return redirect(_trainee_url(enrolment))
    return form_page(
        request,
        form,
        title=f"Log a tutorial with {enrolment.person.display_name}",
        back_url=_trainee_url(enrolment),
    )


@role_required(*COURSE_STAFF)
@create_view(sample="tests.training.samples.submission")
def submission_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_user(user=request.user, pk=pk)
    training = selectors.cohort_training_for(cohort=enrolment.cohort)
    form = forms.SubmissionForm(
        request.POST or None,
        request.FILES or None,
        programme_id=enrolment.cohort.programme_id,
        initial={"first": training.facilitator_id, "second": training.second_assessor_id},
    )
    resubmission = enrolment.status == Enrolment.Status.REFERRED
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submission = attempt(
            form,
            lambda: services.submission_record(
                enrolment=enrolment,
                upload=data["file"],
                submitted_on=data["submitted_on"],
                first_assessor=data["first"],
                second_assessor=data["second"],
                by=request.user,
            ),
        )
        if submission:
            late = " It was late, and is flagged as such." if submission.is_late else ""
            messages.success(
                request, f"The portfolio has been recorded and sent to both assessors.{late}"
            )
            return redirect(_trainee_url(enrolment))
    what = "resubmitted portfolio" if resubmission else "final portfolio"
    return form_page(
        request,
        form,
        title=f"Record {enrolment.person.display_name}'s {what}",
        back_url=_trainee_url(enrolment),
    )


@role_required(LEAD)
def submission_assessors(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_for_lead(user=request.user, pk=pk)
    current = {a.slot: a.assessor_id for a in submission.assessments.all()}
    form = forms.AssessorsForm(
        request.POST or None,
        programme_id=submission.enrolment.cohort.programme_id,
        initial={"first": current.get(1), "second": current.get(2)},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.submission_assign_assessors(
                submission=submission,
                first=form.cleaned_data["first"],
                second=form.cleaned_data["second"],
                by=request.user,
            ),
        )
    ):
        messages.success(request, "The assessors have been changed.")
        return redirect(_trainee_url(submission.enrolment))
    return form_page(
        request,
        form,
        title=f"Assessors of {submission.enrolment.person.display_name}'s "
        f"{submission.label.lower()}",
        back_url=_trainee_url(submission.enrolment),
    )


@role_required(LEAD)
def submission_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_for_lead(user=request.user, pk=pk)
    if submission.status != PortfolioSubmission.Status.IN_MODERATION:
        messages.info(request, "This portfolio is not waiting for moderation.")
        return redirect(_trainee_url(submission.enrolment))
    form = forms.ModerationForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.submission_moderate(
                submission=submission,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                on=form.cleaned_data.get("on"),
            ),
        )
    ):
        messages.success(request, "The moderated outcome has been recorded.")
        return redirect(_trainee_url(submission.enrolment))
    return render(
        request,
        "training/moderate.html",
        {
            "submission": submission,
            "assessments": selectors.visible_assessments(user=request.user, submission=submission),
            "form": form,
        },
    )


@role_required(LEAD)
def enrolment_close(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_user(user=request.user, pk=pk, roles=(LEAD,))
    form = forms.CloseEnrolmentForm(
        request.POST or None, programme_id=enrolment.cohort.programme_id
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.enrolment_close(
                enrolment=enrolment,
                reason=form.cleaned_data["reason"],
                ended_on=form.cleaned_data["ended_on"],
                by=request.user,
            ),
        )
    ):
        messages.success(request, "The end of the course has been recorded.")
        return redirect(_trainee_url(enrolment))
    return form_page(
        request,
        form,
        title=f"{enrolment.person.display_name} did not complete the course",
        back_url=_trainee_url(enrolment),
        sensitive=SPECIAL_CATEGORY,
    )


def _file_response(record: Any) -> FileResponse:
    return download_response(record)


@role_required(*COURSE_STAFF)
def draft_file(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(selectors.draft_for_user(user=request.user, pk=pk))


@role_required(LEAD, FACILITATOR, Role.ASSESSOR)
def submission_file(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(selectors.submission_for_user(user=request.user, pk=pk))


# Assessors


@role_required(LEAD, Role.ASSESSOR)
def assessor_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/assessor_queue.html",
        {"assessments": selectors.assessor_queue(user=request.user)},
    )


@role_required(Role.ASSESSOR)
def assessment_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """One assessor's mark. Only the assessor the portfolio was given to
    reaches this page; anyone else gets a 404."""
    assessment = selectors.assessment_for_assessor(user=request.user, pk=pk)
    submission = assessment.submission
    criteria = selectors.rubric_criteria_for(enrolment=submission.enrolment)
    form = forms.MarkForm(request.POST or None, criteria=criteria)
    if (
        request.method == "POST"
        and not assessment.is_marked
        and form.is_valid()
        and attempt(
            form,
            lambda: services.assessment_mark(
                assessment=assessment,
                decision=form.cleaned_data["decision"],
                comments=form.cleaned_data["comments"],
                levels=form.levels(),
                by=request.user,
                on=form.cleaned_data.get("on"),
            ),
        )
    ):
        messages.success(request, "Your mark has been recorded.")
        return redirect("training:assessor-queue")
    return render(
        request,
        "training/assessment_mark.html",
        {"assessment": assessment, "submission": submission, "form": form},
    )
