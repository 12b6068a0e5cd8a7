"""The lead's, HR's and admins' lists, and the lists a lead edits: course
templates, rubrics and non-completion reasons."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from peerprog.core.access import role_required
from peerprog.core.exports import serve
from peerprog.core.models import Role
from peerprog.core.once import create_view
from peerprog.core.pages import SPECIAL_CATEGORY, address_pattern, attempt, form_page
from training import exports, forms, selectors, services
from training.selectors.at_risk import AtRiskRow, at_risk_page_rows, at_risk_trainees
from training.views.common import LEAD, PAGE_SIZE

# The lead's and HR's lists


@role_required(LEAD)
def at_risk(request: HttpRequest) -> HttpResponse:
    trainees = at_risk_trainees(user=request.user)
    page = Paginator(trainees, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = at_risk_page_rows(trainees=list(page.object_list))
    link = address_pattern("training:trainee")
    return render(
        request,
        "training/at_risk.html",
        {"page": page, "rows": rows, "rows_html": _at_risk_rows_html(rows, link)},
    )


_AT_RISK_ROW = (
    '<tr><th scope="row"><a href="{link}">{name}</a></th><td>{cohort}</td>'
    '<td class="text-end">{attendance}</td><td><ul class="mb-0">{reasons}</ul></td></tr>'
)


def _at_risk_rows_html(rows: list[AtRiskRow], link: str) -> SafeString:
    """The list's rows from one pattern: the names, cohorts and reasons are
    escaped here; attendance is the share the template's ``widthratio``
    showed."""
    drawn = []
    for row in rows:
        attendance = f"{round(row.attended / row.counted * 100)}%" if row.counted else "\N{EN DASH}"
        drawn.append(
            _AT_RISK_ROW.format(
                link=link.format(int(row.pk)),
                name=escape(row.name),
                cohort=escape(row.cohort),
                attendance=attendance,
                reasons="".join([f"<li>{escape(reason)}</li>" for reason in row.reasons]),
            )
        )
    # Every part of each row is escaped above or is our own markup.
    return mark_safe("".join(drawn))  # noqa: S308


@role_required(LEAD, Role.HR, Role.ADMIN)
def outcomes(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = Paginator(selectors.outcome_list(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(e, selectors.reason_label(enrolment=e, user=user)) for e in page.object_list]
    return render(request, "training/outcomes.html", {"page": page, "rows": rows})


def outcomes_export(request: HttpRequest) -> HttpResponseBase:
    return serve(request, exports.OUTCOMES)


def trainees_export(request: HttpRequest) -> HttpResponseBase:
    """The programme's trainees, or one cohort's (``?cohort=``), with progress."""
    return serve(request, exports.TRAINEES)


# Lists a lead edits: course templates, rubrics, non-completion reasons


@role_required(LEAD)
def template_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/template_list.html",
        {"templates": selectors.course_templates(user=request.user)},
    )


@role_required(LEAD)
@create_view(sample="tests.training.samples.course_template")
def template_create(request: HttpRequest) -> HttpResponse:
    form = forms.CourseTemplateForm(request.POST or None)
    form.instance.programme = request.user.programme
    if request.method == "POST" and form.is_valid():
        services.course_template_create(
            programme=request.user.programme, by=request.user, **form.cleaned_data
        )
        messages.success(request, "The course template has been added.")
        return redirect("training:templates")
    return form_page(
        request, form, title="Add a course template", back_url=reverse("training:templates")
    )


@role_required(LEAD)
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.course_template_for_user(user=request.user, pk=pk)
    form = forms.CourseTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        template.refresh_from_db()
        services.course_template_update(template=template, by=request.user, **form.cleaned_data)
        messages.success(request, "The course template has been saved.")
        return redirect("training:templates")
    return form_page(
        request, form, title=f"Change {template.name}", back_url=reverse("training:templates")
    )


@role_required(LEAD)
@create_view(sample="tests.training.samples.topic")
def topic_create(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.course_template_for_user(user=request.user, pk=pk)
    form = forms.CourseTopicForm(
        request.POST or None, initial={"order": template.topics.count() + 1}
    )
    if request.method == "POST" and form.is_valid():
        services.course_topic_create(template=template, by=request.user, **form.cleaned_data)
        messages.success(request, "The topic has been added.")
        return redirect("training:templates")
    return form_page(
        request,
        form,
        title=f"Add a topic to {template.name}",
        back_url=reverse("training:templates"),
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
    return form_page(
        request,
        form,
        title=f"Change the topic {topic.title}",
        back_url=reverse("training:templates"),
    )


@role_required(LEAD)
def rubric_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "training/rubric_list.html", {"rubrics": selectors.rubrics(user=request.user)}
    )


@role_required(LEAD)
@create_view(sample="tests.training.samples.rubric")
def rubric_create(request: HttpRequest) -> HttpResponse:
    form = forms.RubricForm(request.POST or None)
    form.instance.programme = request.user.programme
    if request.method == "POST" and form.is_valid():
        services.rubric_create(
            programme=request.user.programme, by=request.user, **form.cleaned_data
        )
        messages.success(request, "The rubric has been added.")
        return redirect("training:rubrics")
    return form_page(request, form, title="Add a rubric", back_url=reverse("training:rubrics"))


@role_required(LEAD)
def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = selectors.rubric_for_user(user=request.user, pk=pk)
    form = forms.RubricForm(request.POST or None, instance=rubric)
    if request.method == "POST" and form.is_valid():
        rubric.refresh_from_db()
        services.rubric_update(rubric=rubric, by=request.user, **form.cleaned_data)
        messages.success(request, "The rubric has been saved.")
        return redirect("training:rubrics")
    return form_page(
        request, form, title=f"Change {rubric.name}", back_url=reverse("training:rubrics")
    )


@role_required(LEAD)
@create_view(sample="tests.training.samples.criterion")
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = selectors.rubric_for_user(user=request.user, pk=pk)
    form = forms.CriterionForm(request.POST or None, initial={"order": rubric.criteria.count() + 1})
    if request.method == "POST" and form.is_valid():
        services.rubric_criterion_create(rubric=rubric, by=request.user, **form.cleaned_data)
        messages.success(request, "The criterion has been added.")
        return redirect("training:rubrics")
    return form_page(
        request,
        form,
        title=f"Add a criterion to {rubric.name}",
        back_url=reverse("training:rubrics"),
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
    return form_page(
        request,
        form,
        title=f"Change the criterion {criterion.title}",
        back_url=reverse("training:rubrics"),
    )


@role_required(LEAD)
def reason_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/reason_list.html",
        {"reasons": selectors.non_completion_reasons(user=request.user)},
    )


@role_required(LEAD)
@create_view(sample="tests.training.samples.reason")
def reason_create(request: HttpRequest) -> HttpResponse:
    form = forms.ReasonForm(request.POST or None)
    form.instance.programme = request.user.programme
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.non_completion_reason_create(
                programme=request.user.programme, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The reason has been added.")
        return redirect("training:reasons")
    return form_page(
        request,
        form,
        title="Add a non-completion reason",
        back_url=reverse("training:reasons"),
        sensitive=SPECIAL_CATEGORY,
    )


@role_required(LEAD)
def reason_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reason = selectors.non_completion_reason_for_user(user=request.user, pk=pk)
    form = forms.ReasonForm(request.POST or None, instance=reason)
    if request.method == "POST" and form.is_valid():
        reason.refresh_from_db()
        if attempt(
            form,
            lambda: services.non_completion_reason_update(
                reason=reason, by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, "The reason has been saved.")
            return redirect("training:reasons")
    return form_page(
        request,
        form,
        title=f"Change the reason {reason.label}",
        back_url=reverse("training:reasons"),
        sensitive=SPECIAL_CATEGORY,
    )
