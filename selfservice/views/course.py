"""A trainee's course: the cohort's timetable with their own attendance
marks, their calendar feed's address, and links to their portfolio and
mentoring pages. A former trainee sees the same page without the actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from peerprog.core import calendar_feed
from peerprog.core.pages import act
from selfservice.access import own_or_404, own_page, person_required
from selfservice.course_page import my_course, my_timetable
from training.models import Enrolment


def _enrolment(request: HttpRequest, pk: int) -> Enrolment:
    return own_or_404(
        Enrolment.objects.select_related("cohort", "cohort__programme", "person"),
        request.user,
        pk,
    )


def _portfolio_url(enrolment: Enrolment) -> str:
    """The trainee's portfolio page, where that page exists."""
    try:
        return reverse("selfservice:portfolio", kwargs={"pk": enrolment.pk})
    except NoReverseMatch:
        return ""


@require_GET
@own_page
def course(request: HttpRequest, pk: int) -> HttpResponse:
    mine = my_course(user=request.user, pk=pk)
    enrolment = mine.enrolment
    # A course over has no calendar address.
    token = mine.feed_token if enrolment.is_open else ""
    feed_url = (
        request.build_absolute_uri(reverse("core:calendar-feed", kwargs={"token": token}))
        if token
        else ""
    )
    return render(
        request,
        "selfservice/course.html",
        {
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "timetable": my_timetable(enrolment=enrolment),
            "feed": bool(token),
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://", 1).replace(
                "http://", "webcal://", 1
            ),
            "portfolio_url": _portfolio_url(enrolment),
        },
    )


@require_POST
@person_required
def calendar_address(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the calendar feed's address, or a new one in place of the old
    (which then stops working). Not while the course is over."""
    enrolment = _enrolment(request, pk)
    if not enrolment.is_open:
        messages.error(request, "Your course has ended, so it has no calendar address.")
    else:
        act(
            request,
            lambda: calendar_feed.calendar_feed_renew(person=enrolment.person, by=request.user),
            done="Your calendar has a new address. Add it to your calendar app; the old "
            "address no longer works.",
        )
    return redirect(reverse("selfservice:course", kwargs={"pk": enrolment.pk}) + "#calendar")
