"""Staff pages of their own that reach across the apps: the search over
people, applications and posts, and the staff member's calendar address."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from peerprog.core import calendar_feed
from peerprog.core import search as site_search
from peerprog.core.access import role_required
from peerprog.core.models import Role
from peerprog.core.pages import act

STAFF_ROLES = tuple(role.value for role in Role)
# The roles whose own work goes in a calendar feed.
CALENDAR_ROLES = (Role.FACILITATOR, Role.MENTOR, Role.SUPERVISOR)


@role_required(*STAFF_ROLES)
def search(request: HttpRequest) -> HttpResponse:
    """Search what the user may open. The query is the only thing in the
    address; results show names and plain details, never sensitive facts."""
    query = request.GET.get("q", "").strip()[: site_search.MAX_LENGTH]
    groups = site_search.search(user=request.user, query=query)
    return render(
        request,
        "core/search.html",
        {
            "query": query,
            "groups": groups,
            "results_html": site_search.results_html(groups),
            "too_short": bool(query) and not site_search.words_of(query),
            "min_length": site_search.MIN_LENGTH,
        },
    )


@role_required(*CALENDAR_ROLES)
def staff_calendar(request: HttpRequest) -> HttpResponse:
    """The address a staff member's calendar app reads their sessions and
    planned meetings from; a post makes it, or a new one in place of the old."""
    user = request.user
    if request.method == "POST":
        act(
            request,
            lambda: calendar_feed.staff_calendar_feed_renew(user=user, by=user),
            done="Your calendar has a new address. Add it to your calendar app; the old "
            "address no longer works.",
        )
        return redirect("core:staff-calendar")
    feed = calendar_feed.staff_feed_of(user=user)
    feed_url = (
        request.build_absolute_uri(reverse("core:calendar-feed", kwargs={"token": feed.token}))
        if feed
        else ""
    )
    return render(
        request,
        "core/staff_calendar.html",
        {
            "feed": feed,
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://", 1).replace(
                "http://", "webcal://", 1
            ),
            "is_facilitator": user.has_role(Role.FACILITATOR),
            "is_mentor": user.has_role(Role.MENTOR),
            "is_supervisor": user.has_role(Role.SUPERVISOR),
        },
    )
