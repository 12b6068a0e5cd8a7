"""Recording a peer worker's week of activity: one page per week, quick on a
phone, starting from the last week recorded. The page itself is shared by
the peer worker's own pages (selfservice), their supervisor's pages
(supervision) and the lead's (here); each of those views finds the
appointment within its own scope and hands it to ``week_page``.

Leads also keep the programme's list of topics here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from deployment.activity_forms import (
    NOTE_WARNING,
    ActivityTopicEditForm,
    ActivityTopicForm,
    ActivityWeekForm,
    line_formset,
)
from deployment.models import Appointment
from deployment.selectors import activity as selectors
from deployment.selectors.activity import ACTIVITY_RECORDERS
from deployment.services import activity as services
from deployment.services.common import DeploymentError
from peerprog.core.access import role_required
from peerprog.core.pages import attempt, form_page


def week_page(
    request: HttpRequest,
    appointment: Appointment,
    *,
    url_name: str,
    url_pk: int,
    back_url: str,
    back_label: str,
    own: bool = False,
) -> HttpResponse:
    """Show and save one week of the appointment's activity. The week is in
    the address (``?week=2026-11-23``); without it, last week."""
    today = timezone.localdate()
    week_starting = selectors.parse_week(
        value=request.POST.get("week") or request.GET.get("week"), today=today
    )
    state = selectors.week_state(appointment=appointment, week_starting=week_starting, today=today)
    topics = selectors.topics_for_week(programme_id=appointment.programme_id, week=state.recorded)
    page_url = reverse(url_name, args=[url_pk])
    if request.method == "POST":
        form = ActivityWeekForm(request.POST, topics=topics)
        lines = line_formset(data=request.POST, initial=[])
        if form.is_valid() and lines.is_valid():
            values = [line for line in (f.line() for f in lines.forms) if line is not None]
            try:
                services.activity_week_save(
                    appointment=appointment,
                    by=request.user,  # type: ignore[arg-type]
                    week_starting=week_starting,
                    lines=values,
                    topics=form.cleaned_data["topics"],
                    note=form.cleaned_data["note"],
                    date_confirmed=form.cleaned_data.get("date_confirmed", False),
                    today=today,
                )
            except DeploymentError as refused:
                form.add_error(None, refused.message)
            else:
                whose = "Your" if own else f"{appointment.person.display_name}'s"
                messages.success(request, f"{whose} week of {week_starting:%-d %B %Y} is saved.")
                return redirect(f"{page_url}?week={week_starting.isoformat()}")
    else:
        form = ActivityWeekForm(initial=state.initial_week(), topics=topics)
        lines = line_formset(initial=state.initial_lines())
    return render(
        request,
        "deployment/activity_week.html",
        {
            "appointment": appointment,
            "state": state,
            "form": form,
            "lines": lines,
            "page_url": page_url,
            "back_url": back_url,
            "back_label": back_label,
            "own": own,
            "note_warning": NOTE_WARNING,
            "recent": selectors.recent_weeks(appointment=appointment),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*ACTIVITY_RECORDERS)
def activity_week(request: HttpRequest, pk: int) -> HttpResponse:
    """A lead records a week for a peer worker of the programme."""
    appointment = selectors.appointment_for_lead(user=request.user, pk=pk)  # type: ignore[arg-type]
    return week_page(
        request,
        appointment,
        url_name="deployment:activity-week",
        url_pk=appointment.pk,
        back_url=reverse("deployment:appointment-detail", args=[appointment.pk]),
        back_label="Back to the appointment",
    )


@require_http_methods(["GET", "POST"])
@role_required(*ACTIVITY_RECORDERS)
def activity_topics(request: HttpRequest) -> HttpResponse:
    """The programme's topics, and a form to add one."""
    user = request.user
    if request.method == "POST" and "suggested" in request.POST:
        added = services.activity_topics_ensure_defaults(programme=user.programme)  # type: ignore[union-attr]
        if added:
            messages.success(request, f"The {added} suggested topics are added.")
        else:
            messages.info(request, "Your programme already has topics, so none were added.")
        return redirect("deployment:activity-topics")
    form = ActivityTopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = attempt(
            form,
            lambda: services.activity_topic_create(
                programme=user.programme,  # type: ignore[union-attr]
                by=user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
            ),
            field="name",
        )
        if topic is not None:
            messages.success(request, f"{topic.name} is added to the topics.")
            return redirect("deployment:activity-topics")
    return render(
        request,
        "deployment/activity_topics.html",
        {"topics": selectors.topic_list(user=user), "form": form},  # type: ignore[arg-type]
    )


@require_http_methods(["GET", "POST"])
@role_required(*ACTIVITY_RECORDERS)
def activity_topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for_user(user=request.user, pk=pk)  # type: ignore[arg-type]
    initial: dict[str, Any] = {
        "name": topic.name,
        "position": topic.position,
        "archived": topic.archived,
    }
    form = ActivityTopicEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.activity_topic_update(
                topic=topic,
                by=request.user,
                **form.cleaned_data,  # type: ignore[arg-type]
            ),
        )
        if saved is not None:
            messages.success(request, f"{saved.name} is saved.")
            return redirect("deployment:activity-topics")
    return form_page(
        request,
        form,
        title=f"Change the topic {topic.name}",
        back_url=reverse("deployment:activity-topics"),
        back_label="Back to the topics",
    )
