"""A peer worker records their own week of activity, by their
appointment; anyone else's appointment gives 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from deployment.selectors.activity import activity_appointments
from deployment.views.activity import week_page
from selfservice.access import own_or_404, person_required


@require_http_methods(["GET", "POST"])
@person_required
def my_activity(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = own_or_404(activity_appointments(), request.user, pk)  # type: ignore[arg-type]
    return week_page(
        request,
        appointment,
        url_name="selfservice:my-activity",
        url_pk=appointment.pk,
        back_url=reverse("selfservice:my-job", args=[appointment.pk]),
        back_label="Back to my job",
        own=True,
    )
