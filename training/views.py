"""Training's pages. Each view checks access, binds a form, calls one
service, and renders or redirects; refusals are shown on the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from peerprog.core.access import has_role, role_required
from peerprog.core.models import Role
from peerprog.core.services import DomainError
from training import exports, forms, selectors, services
from training.models import Enrolment, PortfolioSubmission

LEAD = Role.PROGRAMME_LEAD
FACILITATOR = Role.FACILITATOR
COURSE_STAFF = (LEAD, FACILITATOR)
PAGE_SIZE = 50
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def _form_page(
    request: HttpRequest, form: Any, title: str, back_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "core/form_page.html",
        {"form": form, "title": title, "back_url": back_url, **extra},
    )


def _attempt(form: Any, action: Any) -> Any:
    """Run a service; a refusal goes on the form as a non-field error."""
    try:
        return action()
    except DomainError as refused:
        form.add_error(None, refused.message)
        return None


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
    user = request.user
    cohort = selectors.cohort_for_user(user=user, pk=pk)
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "training": selectors.cohort_training_for(cohort),
            "sessions": selectors.cohort_sessions(cohort=cohort),
            "trainees": selectors.cohort_trainees(cohort=cohort),
            "breakdown": selectors.non_completion_breakdown(user=user, cohort=cohort),
            "is_lead": has_role(user, LEAD),
            "is_course_staff": has_role(user, *COURSE_STAFF),
            "today": timezone.localdate(),
        },
    )


@role_required(LEAD)
def cohort_settings(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk, roles=(LEAD,))
    training = selectors.cohort_training_for(cohort)
    form = forms.CohortTrainingForm(
        request.POST or None, instance=training, programme_id=cohort.programme_id
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        training.refresh_from_db()
        if _attempt(
            form,
            lambda: services.cohort_training_update(training=training, by=request.user, **values),
        ):
            messages.success(request, "The cohort's training settings have been saved.")
            return redirect("training:cohort-detail", pk=cohort.pk)
    return _form_page(
        request,
        form,
        f"Training settings: {cohort.name}",
        reverse("training:cohort-detail", args=[cohort.pk]),
    )


@role_required(LEAD)
def timetable_generate(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk, roles=(LEAD,))
    form = forms.TimetableForm(request.POST or None, programme_id=cohort.programme_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sessions = _attempt(
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
    return _form_page(
        request,
        form,
        f"Create the timetable: {cohort.name}",
        reverse("training:cohort-detail", args=[cohort.pk]),
    )


@role_required(LEAD)
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_user(user=request.user, pk=pk, roles=(LEAD,))
    form = forms.SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        session = _attempt(
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
    return _form_page(
        request, form, "Add a session", reverse("training:cohort-detail", args=[cohort.pk])
    )


@role_required(LEAD)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_user(user=request.user, pk=pk)
    form = forms.SessionForm(request.POST or None, instance=session, cohort=session.cohort)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        session.refresh_from_db()
        if _attempt(
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
    return _form_page(
        request,
        form,
        f"Change the session: {session.title}",
        reverse("training:cohort-detail", args=[session.cohort_id]),
    )


@role_required(LEAD)
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_user(user=request.user, pk=pk)
    form = forms.CancelSessionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            lambda: services.session_cancel(
                session=session, reason=form.cleaned_data["reason"], by=request.user
            ),
        )
    ):
        messages.success(request, f"{session.title} has been cancelled.")
        return redirect("training:cohort-detail", pk=session.cohort_id)
    return _form_page(
        request,
        form,
        f"Cancel the session: {session}",
        reverse("training:cohort-detail", args=[session.cohort_id]),
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
        written = _attempt(
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
            "can_read_health": selectors.can_read_health_reasons(user),
        }
    )
    return render(request, "training/trainee_detail.html", context)


def _trainee_url(enrolment: Enrolment) -> str:
    return reverse("training:trainee", args=[enrolment.pk])


@role_required(*COURSE_STAFF)
def draft_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_user(user=request.user, pk=pk)
    form = forms.DraftForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
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
    return _form_page(
        request,
        form,
        f"Record a draft from {enrolment.person.display_name}",
        _trainee_url(enrolment),
    )


@role_required(*COURSE_STAFF)
def draft_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    draft = selectors.draft_for_user(user=request.user, pk=pk)
    form = forms.FeedbackForm(request.POST or None, initial={"feedback": draft.feedback})
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            lambda: services.draft_feedback(
                draft=draft, feedback=form.cleaned_data["feedback"], by=request.user
            ),
        )
    ):
        messages.success(request, "The feedback has been saved.")
        return redirect(_trainee_url(draft.enrolment))
    return _form_page(
        request,
        form,
        f"Feedback on {draft.enrolment.person.display_name}'s draft of "
        f"{draft.received_on:%-d %B %Y}",
        _trainee_url(draft.enrolment),
    )


@role_required(*COURSE_STAFF)
def tutorial_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_user(user=request.user, pk=pk)
    form = forms.TutorialForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            lambda: services.tutorial_record(
                enrolment=enrolment, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The tutorial has been logged.")
        return redirect(_trainee_url(enrolment))
    return _form_page(
        request,
        form,
        f"Log a tutorial with {enrolment.person.display_name}",
        _trainee_url(enrolment),
    )


@role_required(*COURSE_STAFF)
def submission_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_user(user=request.user, pk=pk)
    training = selectors.cohort_training_for(enrolment.cohort)
    form = forms.SubmissionForm(
        request.POST or None,
        request.FILES or None,
        programme_id=enrolment.cohort.programme_id,
        initial={"first": training.facilitator_id, "second": training.second_assessor_id},
    )
    resubmission = enrolment.status == Enrolment.Status.REFERRED
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submission = _attempt(
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
    return _form_page(
        request,
        form,
        f"Record {enrolment.person.display_name}'s {what}",
        _trainee_url(enrolment),
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
        and _attempt(
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
    return _form_page(
        request,
        form,
        f"Assessors of {submission.enrolment.person.display_name}'s {submission.label.lower()}",
        _trainee_url(submission.enrolment),
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
        and _attempt(
            form,
            lambda: services.submission_moderate(
                submission=submission,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                by=request.user,
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
            "assessments": selectors.visible_assessments(request.user, submission),
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
        and _attempt(
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
    return _form_page(
        request,
        form,
        f"{enrolment.person.display_name} did not complete the course",
        _trainee_url(enrolment),
        sensitive=True,
    )


def _file_response(record: Any) -> FileResponse:
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The file is no longer stored.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=record.file_name,
        content_type=CONTENT_TYPES.get(record.file_kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


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
    criteria = selectors.rubric_criteria_for(submission.enrolment)
    form = forms.MarkForm(request.POST or None, criteria=criteria)
    if (
        request.method == "POST"
        and not assessment.is_marked
        and form.is_valid()
        and _attempt(
            form,
            lambda: services.assessment_mark(
                assessment=assessment,
                decision=form.cleaned_data["decision"],
                comments=form.cleaned_data["comments"],
                levels=form.levels(),
                by=request.user,
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


# The lead's and HR's lists


@role_required(LEAD)
def at_risk(request: HttpRequest) -> HttpResponse:
    return render(
        request, "training/at_risk.html", {"rows": selectors.at_risk_list(user=request.user)}
    )


@role_required(LEAD, Role.HR, Role.ADMIN)
def outcomes(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = Paginator(selectors.outcome_list(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(e, selectors.reason_label(e, user)) for e in page.object_list]
    return render(request, "training/outcomes.html", {"page": page, "rows": rows})


@role_required(LEAD, Role.HR, Role.ADMIN)
def outcomes_export(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.outcome_rows(user=request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="training-outcomes.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# Lists a lead edits: course templates, rubrics, non-completion reasons


@role_required(LEAD)
def template_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/template_list.html",
        {"templates": selectors.course_templates(user=request.user)},
    )


@role_required(LEAD)
def template_create(request: HttpRequest) -> HttpResponse:
    form = forms.CourseTemplateForm(request.POST or None)
    form.instance.programme = request.user.programme
    if request.method == "POST" and form.is_valid():
        services.course_template_create(
            programme=request.user.programme, by=request.user, **form.cleaned_data
        )
        messages.success(request, "The course template has been added.")
        return redirect("training:templates")
    return _form_page(request, form, "Add a course template", reverse("training:templates"))


@role_required(LEAD)
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.course_template_for_user(user=request.user, pk=pk)
    form = forms.CourseTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        template.refresh_from_db()
        services.course_template_update(template=template, by=request.user, **form.cleaned_data)
        messages.success(request, "The course template has been saved.")
        return redirect("training:templates")
    return _form_page(request, form, f"Change {template.name}", reverse("training:templates"))


@role_required(LEAD)
def topic_create(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.course_template_for_user(user=request.user, pk=pk)
    form = forms.CourseTopicForm(
        request.POST or None, initial={"order": template.topics.count() + 1}
    )
    if request.method == "POST" and form.is_valid():
        services.course_topic_create(template=template, by=request.user, **form.cleaned_data)
        messages.success(request, "The topic has been added.")
        return redirect("training:templates")
    return _form_page(
        request, form, f"Add a topic to {template.name}", reverse("training:templates")
    )


@role_required(LEAD)
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.course_topic_for_user(user=request.user, pk=pk)
    form = forms.CourseTopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        topic.refresh_from_db()
        services.course_topic_update(topic=topic, by=request.user, **form.cleaned_data)
        messages.success(request, "The topic has been saved.")
        return redirect("training:templates")
    return _form_page(
        request, form, f"Change the topic {topic.title}", reverse("training:templates")
    )


@role_required(LEAD)
def rubric_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "training/rubric_list.html", {"rubrics": selectors.rubrics(user=request.user)}
    )


@role_required(LEAD)
def rubric_create(request: HttpRequest) -> HttpResponse:
    form = forms.RubricForm(request.POST or None)
    form.instance.programme = request.user.programme
    if request.method == "POST" and form.is_valid():
        services.rubric_create(
            programme=request.user.programme, by=request.user, **form.cleaned_data
        )
        messages.success(request, "The rubric has been added.")
        return redirect("training:rubrics")
    return _form_page(request, form, "Add a rubric", reverse("training:rubrics"))


@role_required(LEAD)
def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = selectors.rubric_for_user(user=request.user, pk=pk)
    form = forms.RubricForm(request.POST or None, instance=rubric)
    if request.method == "POST" and form.is_valid():
        rubric.refresh_from_db()
        services.rubric_update(rubric=rubric, by=request.user, **form.cleaned_data)
        messages.success(request, "The rubric has been saved.")
        return redirect("training:rubrics")
    return _form_page(request, form, f"Change {rubric.name}", reverse("training:rubrics"))


@role_required(LEAD)
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = selectors.rubric_for_user(user=request.user, pk=pk)
    form = forms.CriterionForm(request.POST or None, initial={"order": rubric.criteria.count() + 1})
    if request.method == "POST" and form.is_valid():
        services.rubric_criterion_create(rubric=rubric, by=request.user, **form.cleaned_data)
        messages.success(request, "The criterion has been added.")
        return redirect("training:rubrics")
    return _form_page(
        request, form, f"Add a criterion to {rubric.name}", reverse("training:rubrics")
    )


@role_required(LEAD)
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = selectors.criterion_for_user(user=request.user, pk=pk)
    form = forms.CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        criterion.refresh_from_db()
        services.rubric_criterion_update(criterion=criterion, by=request.user, **form.cleaned_data)
        messages.success(request, "The criterion has been saved.")
        return redirect("training:rubrics")
    return _form_page(
        request, form, f"Change the criterion {criterion.title}", reverse("training:rubrics")
    )


@role_required(LEAD)
def reason_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/reason_list.html",
        {"reasons": selectors.non_completion_reasons(user=request.user)},
    )


@role_required(LEAD)
def reason_create(request: HttpRequest) -> HttpResponse:
    form = forms.ReasonForm(request.POST or None)
    form.instance.programme = request.user.programme
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            lambda: services.non_completion_reason_create(
                programme=request.user.programme, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The reason has been added.")
        return redirect("training:reasons")
    return _form_page(
        request, form, "Add a non-completion reason", reverse("training:reasons"), sensitive=True
    )


@role_required(LEAD)
def reason_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reason = selectors.non_completion_reason_for_user(user=request.user, pk=pk)
    form = forms.ReasonForm(request.POST or None, instance=reason)
    if request.method == "POST" and form.is_valid():
        reason.refresh_from_db()
        if _attempt(
            form,
            lambda: services.non_completion_reason_update(
                reason=reason, by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, "The reason has been saved.")
            return redirect("training:reasons")
    return _form_page(
        request,
        form,
        f"Change the reason {reason.label}",
        reverse("training:reasons"),
        sensitive=True,
    )
