"""Training once in post: compliance per service and per person, a peer
worker's records, recording a course, and the editable catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from deployment.exports_in_post import TRAINING
from deployment.forms_in_post import TrainingCourseForm, TrainingRecordForm
from deployment.selectors import training_records as selectors
from deployment.services import training_records as services
from deployment.views.common import READERS, WRITERS
from peerprog.core.access import has_role, role_required, scoped
from peerprog.core.exports import serve
from peerprog.core.models import Service
from peerprog.core.once import create_view
from peerprog.core.pages import attempt, form_page


@role_required(*READERS)
def training_compliance(request: HttpRequest) -> HttpResponse:
    """Mandatory training per service and per person, for people in post."""
    today = timezone.localdate()
    services_in_programme = scoped(Service.objects.all(), request.user).order_by("name")
    try:
        service_id = int(request.GET.get("service") or 0)
    except ValueError:
        service_id = 0
    if service_id and not services_in_programme.filter(pk=service_id).exists():
        service_id = 0
    compliance = selectors.training_compliance(
        user=request.user, today=today, service_id=service_id or None
    )
    return render(
        request,
        "deployment/training_compliance.html",
        {
            "compliance": compliance,
            "services": services_in_programme,
            "service_id": service_id,
            "notice_days": selectors.EXPIRY_NOTICE_DAYS,
            "today": today,
        },
    )


@role_required(*READERS)
def training_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_trainee_in_post_for_user(user=request.user, pk=pk)
    records, standings = selectors.person_training(person=person, today=timezone.localdate())
    return render(
        request,
        "deployment/training_person.html",
        {
            "person": person,
            "records": records,
            "standings": standings,
            "can_write": has_role(request.user, *WRITERS),
            "notice_days": selectors.EXPIRY_NOTICE_DAYS,
        },
    )


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples_in_post.training_record")
def training_record_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_trainee_in_post_for_user(user=request.user, pk=pk)
    form = TrainingRecordForm(request.POST or None, programme=request.user.programme)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.training_record_create(
                person=person, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(
            request, f"{form.cleaned_data['course'].name} is recorded for {person.display_name}."
        )
        return redirect("deployment:training-person", pk=person.pk)
    return form_page(
        request,
        form,
        title=f"Record training for {person.display_name}",
        back_url=reverse("deployment:training-person", args=[person.pk]),
    )


@role_required(*READERS)
def training_courses(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "deployment/training_courses.html",
        {
            "courses": selectors.course_catalogue(user=request.user),
            "can_write": has_role(request.user, *WRITERS),
        },
    )


@role_required(*WRITERS)
@create_view(sample="tests.deployment.samples_in_post.training_course")
def training_course_create(request: HttpRequest) -> HttpResponse:
    form = TrainingCourseForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.training_course_create(
                programme=request.user.programme, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The course has been added to the catalogue.")
        return redirect("deployment:training-courses")
    return form_page(
        request, form, title="Add a course", back_url=reverse("deployment:training-courses")
    )


@role_required(*WRITERS)
def training_course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(user=request.user, pk=pk)
    form = TrainingCourseForm(request.POST or None, instance=course)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.training_course_update(
                course=course, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The course has been saved.")
        return redirect("deployment:training-courses")
    return form_page(
        request,
        form,
        title=f"Change the course “{course.name}”",
        back_url=reverse("deployment:training-courses"),
    )


def training_export(request: HttpRequest) -> HttpResponseBase:
    return serve(request, TRAINING)
