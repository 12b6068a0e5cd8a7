"""Mentoring's pages: the mentor's own page and meeting log, and the lead's
mentors, assignments and cohort summaries."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from peerprog.core.access import role_required
from peerprog.core.models import Role
from peerprog.core.once import create_view
from peerprog.core.pages import attempt, form_page
from peerprog.core.privacy.read_log import ReadKind, ReadPurpose, read_log, reads_log
from supervision import forms, selectors, services, tables
from supervision.selectors import work

LEAD = Role.PROGRAMME_LEAD
MENTOR = Role.MENTOR
# What the cohort page's list holds, for each ``?show=``.
LISTED = {
    "": "Trainees",
    "behind": "Trainees behind",
    "unmentored": "Trainees without a mentor",
}


# The mentor's own pages


@role_required(MENTOR)
def my_mentees(request: HttpRequest) -> HttpResponse:
    """The mentor's mentees; ``?show=due`` keeps those a meeting is due with."""
    today = timezone.localdate()
    show = request.GET.get("show", "")
    if show not in work.MENTEE_FILTERS:
        show = ""
    cards = work.filter_mentees(
        cards=selectors.my_mentee_cards(user=request.user, today=today),
        show=show,
        today=today,
    )
    return render(
        request,
        "supervision/my_mentees.html",
        {
            "cards": cards,
            "cards_html": tables.mentee_cards(cards),
            "today": today,
            "show": show,
            "filters": work.MENTEE_FILTERS,
        },
    )


@role_required(LEAD, MENTOR)
def mentee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.mentee_for_user(user=request.user, pk=pk)
    page = selectors.mentee_page(user=request.user, enrolment=enrolment)
    reads_log(
        by=request.user,
        kind=ReadKind.MENTOR_NOTES,
        records=[m for m in page.meetings if m.notes_visible and m.notes],
        request=request,
        person_id=enrolment.person_id,
    )
    return render(
        request,
        "supervision/mentee_detail.html",
        {
            "page": page,
            "enrolment": enrolment,
            "person": enrolment.person,
            "is_lead": selectors.is_lead(user=request.user),
            "is_their_mentor": page.assignment is not None
            and page.assignment.mentor_id == request.user.pk,
        },
    )


def _mentee_url(enrolment_pk: int) -> str:
    return reverse("supervision:mentee", args=[enrolment_pk])


@role_required(MENTOR)
@create_view(sample="tests.supervision.samples.meeting")
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.mentee_for_user(user=request.user, pk=pk)
    form = forms.MeetingForm(
        request.POST or None,
        course_start=enrolment.cohort.training_start,
        course_end=enrolment.cohort.training_end,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = attempt(
            form,
            lambda: services.mentor_meeting_log(
                enrolment=enrolment,
                by=request.user,
                form_token=data["form_token"],
                held_on=data["held_on"],
                minutes=data["minutes"],
                kind=data["kind"],
                mode=data["mode"],
                notes=data["notes"],
                next_meeting_on=data["next_meeting_on"],
            ),
        )
        if result:
            meeting, created = result
            name = enrolment.person.display_name
            if created:
                messages.success(
                    request, f"Your {meeting.get_kind_display().lower()} with {name} is logged."
                )
            else:
                messages.info(
                    request,
                    f"This meeting with {name} was already logged (the form was sent twice); "
                    "it is saved once.",
                )
            return redirect("supervision:my-mentees")
    return form_page(
        request,
        form,
        title=f"Log a meeting with {enrolment.person.display_name}",
        back_url=reverse("supervision:my-mentees"),
        intro="Only meetings during the course count towards the minimum. Your notes are "
        "private to you and the programme's leads.",
    )


@role_required(MENTOR)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_mentor(user=request.user, pk=pk)
    enrolment = meeting.assignment.enrolment
    form = forms.MeetingForm(
        request.POST or None,
        instance=meeting,
        course_start=enrolment.cohort.training_start,
        course_end=enrolment.cohort.training_end,
        submit_label="Save the changes",
    )
    if request.method != "POST" and meeting.notes:
        read_log(
            by=request.user,
            kind=ReadKind.MENTOR_NOTES,
            record=meeting,
            request=request,
            purpose=ReadPurpose.EDITED,
            person_id=enrolment.person_id,
        )
    if request.method == "POST" and form.is_valid():
        values = {
            name: form.cleaned_data[name]
            for name in ("held_on", "minutes", "kind", "mode", "notes", "next_meeting_on")
        }
        if attempt(
            form,
            lambda: services.mentor_meeting_update(meeting=meeting, by=request.user, **values),
        ):
            messages.success(request, "The meeting has been changed.")
            return redirect(_mentee_url(enrolment.pk))
    return form_page(
        request,
        form,
        title=f"Change the meeting with {enrolment.person.display_name}",
        back_url=_mentee_url(enrolment.pk),
    )


# The lead's pages


@role_required(LEAD)
def mentoring_overview(request: HttpRequest) -> HttpResponse:
    overview = selectors.mentoring_overview(user=request.user, page=request.GET.get("page"))
    return render(
        request,
        "supervision/mentoring_overview.html",
        {
            "summaries": overview.summaries,
            "rows": tables.overview_rows(overview.summaries),
            "as_of": overview.as_of,
            "page": overview.page,
            "paging_query": "",
        },
    )


@role_required(LEAD)
def cohort_mentoring(request: HttpRequest, pk: int) -> HttpResponse:
    """A cohort's mentoring figures and 50 of its trainees a page;
    ``?show=behind`` keeps those behind, ``?show=unmentored`` those without
    a mentor."""
    cohort = selectors.cohort_with_figures_for_lead(user=request.user, pk=pk)
    show = request.GET.get("show", "")
    if show not in selectors.TRAINEE_FILTERS:
        show = ""
    summary = selectors.cohort_summary(
        user=request.user, cohort=cohort, page=request.GET.get("page"), show=show
    )
    return render(
        request,
        "supervision/cohort_mentoring.html",
        {
            "cohort": cohort,
            "summary": summary,
            "rows": tables.trainee_rows(summary.rows),
            "page": summary.page,
            "show": show,
            "filters": selectors.TRAINEE_FILTERS,
            "listed": LISTED[show],
            "paging_query": f"show={show}&" if show else "",
        },
    )


@role_required(LEAD)
def cohort_mentoring_settings(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_lead(user=request.user, pk=pk)
    form = forms.CohortMentoringForm(
        request.POST or None,
        initial={"minimum_meetings": selectors.minimum_meetings(cohort=cohort)},
    )
    back = reverse("supervision:cohort", args=[cohort.pk])
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.cohort_mentoring_update(
                cohort=cohort, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The mentoring minimum has been saved.")
        return redirect(back)
    return form_page(request, form, title=f"Mentoring minimum for {cohort.name}", back_url=back)


@role_required(LEAD)
def mentor_assign(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_lead(user=request.user, pk=pk)
    mentors = selectors.mentor_choices(user=request.user)
    current = selectors.active_assignment(enrolment=enrolment)
    warnings: list[str] = []
    form = forms.AssignMentorForm(request.POST or None, mentors=mentors)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mentor_assign(
                enrolment=enrolment,
                mentor=data["mentor"],
                by=request.user,
                accept_warnings=data["accept_warnings"],
                reason=data["reason"],
                on=data["started_on"],
            )
        except services.MentorWarnings as warned:
            warnings = warned.warnings
            form = forms.AssignMentorForm(request.POST, mentors=mentors, warnings=warnings)
            form.is_valid()
            form.add_error(None, warned.message)
        except services.MentoringRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                f"{data['mentor'].full_name} is now {enrolment.person.display_name}'s mentor.",
            )
            return redirect("supervision:cohort", pk=enrolment.cohort_id)
    return render(
        request,
        "supervision/mentor_assign.html",
        {
            "form": form,
            "enrolment": enrolment,
            "current": current,
            "warnings": warnings,
            "has_mentors": bool(mentors),
        },
    )


@role_required(LEAD)
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_for_lead(user=request.user, pk=pk)
    back = reverse("supervision:mentee", args=[assignment.enrolment_id])
    if not assignment.is_active:
        messages.info(request, "This mentoring has already ended.")
        return redirect(back)
    form = forms.EndAssignmentForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: services.mentor_assignment_end(
                assignment=assignment,
                by=request.user,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["ended_on"],
            ),
        )
    ):
        messages.success(request, "The mentoring has ended; it stays in the history.")
        return redirect(back)
    return form_page(
        request,
        form,
        title=f"End {assignment.mentor.full_name}'s mentoring of "
        f"{assignment.enrolment.person.display_name}",
        back_url=back,
    )


@role_required(LEAD)
def mentor_list(request: HttpRequest) -> HttpResponse:
    """The programme's mentors; ``?show=behind`` keeps those with a mentee
    behind on meetings."""
    mentors = selectors.mentors_in_programme(user=request.user)
    behind = request.GET.get("show") == "behind"
    if behind:
        mentors = mentors.filter(
            pk__in=work.mentors_behind(user=request.user, today=timezone.localdate())
        )
    return render(request, "supervision/mentor_list.html", {"mentors": mentors, "behind": behind})


@role_required(LEAD)
def mentor_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = selectors.mentor_for_lead(user=request.user, pk=pk)
    profile = selectors.profile_of(mentor=mentor)
    form = forms.MentorProfileForm(
        request.POST or None, instance=profile, programme_id=request.user.programme_id
    )
    back = reverse("supervision:mentors")
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if attempt(
            form,
            lambda: services.mentor_profile_save(mentor=mentor, by=request.user, **values),
        ):
            messages.success(request, f"{mentor.full_name}'s mentor profile has been saved.")
            return redirect(back)
    return form_page(request, form, title=f"Mentor profile of {mentor.full_name}", back_url=back)
