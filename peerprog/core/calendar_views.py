"""The public address of a person's or a staff member's calendar feed, which calendar apps
read without signing in: the token in the address is the only key. An
unknown or reset token gives 404 and nothing else. The address is kept out
of the logs (``peerprog.core.log_filters``), out of caches and out of
search engines."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from peerprog.core import calendar_feed
from peerprog.core.access import public

FEED_NAME = "My course (peerprog)"
STAFF_FEED_NAME = "My work (peerprog)"


@public
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    found = calendar_feed.feed_for_token(token=token)
    if found is not None:
        body = calendar_feed.calendar_file(
            name=FEED_NAME, events=calendar_feed.events_for(found.person)
        )
    else:
        staff = calendar_feed.staff_feed_for_token(token=token)
        if staff is None:
            raise Http404("No such calendar.")
        body = calendar_feed.calendar_file(
            name=STAFF_FEED_NAME, events=calendar_feed.staff_events_for(staff.user)
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="peerprog.ics"'
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
