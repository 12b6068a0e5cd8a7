"""A facilitator's own sessions: today's, this week's, or all to come."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from peerprog.core.access import role_required
from training.selectors import work
from training.views.common import FACILITATOR


@role_required(FACILITATOR)
def my_sessions(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("when", "coming")
    if when not in work.SESSION_PERIODS:
        when = "coming"
    today = timezone.localdate()
    first, last = work.period_dates(when=when, today=today)
    return render(
        request,
        "training/my_sessions.html",
        {
            "sessions": work.my_sessions(user=request.user, when=when, today=today),
            "when": when,
            "periods": work.SESSION_PERIODS,
            "first": first,
            "last": last,
        },
    )
