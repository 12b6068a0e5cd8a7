"""The home page: each role's work queue (what needs the user today) and
their pages; and the admin's list of e-mails that failed."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from peerprog.core import admin_queue, home_html, navigation, selectors, work
from peerprog.core.access import has_own_pages, has_role, role_required
from peerprog.core.models import Role

PAGE_SIZE = 50
# Roles whose home page may show programme-wide figures; mentors,
# supervisors, facilitators and assessors see figures about their own work.
PROGRAMME_WIDE = (Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN)


def home(request: HttpRequest) -> HttpResponse:
    """Each role's work queue, then the pages it uses.

    An account with no staff role that holds a person record (a trainee, a
    peer worker) starts on its own pages instead."""
    user = request.user
    if not user.role_names and has_own_pages(user):
        return redirect("selfservice:home")
    context: dict[str, Any] = {"sections": []}
    if user.programme_id:
        queues = {q.role: q for q in work.queues_for(user=user, roles=[r.value for r in Role])}
        context["sections"] = [
            {
                "role": role,
                "queue": queues.get(role.value),
                "entries": navigation.entries_for_role(user, role.value),
            }
            for role in Role
            if user.has_role(role.value)
        ]
        context["sections_html"] = home_html.sections_html(context["sections"])
        if has_role(user, *PROGRAMME_WIDE):
            context["summary"] = selectors.programme_summary(user=user)
    return render(request, "core/home.html", context)


@role_required(Role.ADMIN)
def failed_messages(request: HttpRequest) -> HttpResponse:
    """E-mails to the programme's staff and people that could not be sent:
    who they were for, what kind, and the kind of error (never its text)."""
    page = Paginator(admin_queue.failed_messages(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "core/failed_messages.html", {"page": page})
