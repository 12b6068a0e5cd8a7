"""A supervisor records a week of activity for a peer worker they
supervise (or cover); leads may too. Someone else's supervisee gives 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from deployment.selectors.activity import activity_appointments
from deployment.views.activity import week_page
from peerprog.core.access import role_required
from peerprog.core.models import Role
from supervision import selectors


@require_http_methods(["GET", "POST"])
@role_required(Role.PROGRAMME_LEAD, Role.SUPERVISOR)
def supervisee_activity(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.supervisee_for_user(user=request.user, pk=pk)  # type: ignore[arg-type]
    # The post they hold now, or the last one they held.
    appointment = (
        activity_appointments().filter(person=person).order_by("-start_date", "-pk").first()
    )
    if appointment is None:
        raise Http404("This peer worker is not in post.")
    return week_page(
        request,
        appointment,
        url_name="supervision:activity-week",
        url_pk=person.pk,
        back_url=reverse("supervision:supervisee", args=[person.pk]),
        back_label=f"Back to {person.display_name}",
    )
