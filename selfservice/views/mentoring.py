"""A trainee's mentoring: their mentor and how to reach them, their
meetings (never the mentor's notes), a note of their own on each meeting
and their word that it took place. A former trainee reads it only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from peerprog.core.pages import act
from selfservice.access import own_page, person_required
from selfservice.course_forms import MeetingNoteForm
from selfservice.meeting_items import meeting_items
from selfservice.mentoring_page import my_mentoring_page
from supervision.models import MentorMeeting
from supervision.selectors.trainee_meetings import meeting_for_trainee
from supervision.services.mentoring import (
    mentor_meeting_trainee_confirm,
    mentor_meeting_trainee_note,
)


def _prefix(meeting: MentorMeeting) -> str:
    return f"meeting-{meeting.pk}"


def _back(meeting: MentorMeeting) -> HttpResponse:
    url = reverse("selfservice:mentoring", kwargs={"pk": meeting.assignment.enrolment_id})
    return redirect(f"{url}#meeting-{meeting.pk}")


def _note_form(meeting: MentorMeeting, data: object = None) -> MeetingNoteForm:
    form = MeetingNoteForm(data, prefix=_prefix(meeting), initial={"note": meeting.trainee_note})
    form.helper.form_action = reverse("selfservice:meeting-note", kwargs={"pk": meeting.pk})
    return form


@require_GET
@own_page
def mentoring(request: HttpRequest, pk: int) -> HttpResponse:
    page = my_mentoring_page(user=request.user, pk=pk)
    enrolment = page.enrolment
    return render(
        request,
        "selfservice/mentoring.html",
        {
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "page": page,
            "items": meeting_items(
                page.meetings, csrf_token=get_token(request), can_change=enrolment.is_open
            ),
        },
    )


@require_POST
@person_required
def meeting_note(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_trainee(user=request.user, pk=pk)
    form = _note_form(meeting, request.POST)
    if form.is_valid():
        act(
            request,
            lambda: mentor_meeting_trainee_note(
                meeting=meeting, by=request.user, note=form.cleaned_data["note"]
            ),
            done="Your note is saved.",
        )
    else:
        messages.error(request, " ".join(form.errors.get("note", ["Check your note."])))
    return _back(meeting)


@require_POST
@person_required
def meeting_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_trainee(user=request.user, pk=pk)
    act(
        request,
        lambda: mentor_meeting_trainee_confirm(meeting=meeting, by=request.user),
        done="Thank you: you have confirmed the meeting took place.",
    )
    return _back(meeting)
