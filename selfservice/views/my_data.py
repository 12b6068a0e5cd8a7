"""A person's own "download my data": the same subject access archive the
data protection officer prepares, leaving out the kinds a setting lists as
exempt (staff's private notes, ``SUBJECT_ACCESS_EXEMPT_KINDS``). The
archive is built in the background; its progress and download pages are
the kernel's, and only the person who asked reaches them."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from peerprog.core.models import SubjectAccessRequest
from peerprog.core.privacy import subject_access_build
from selfservice.access import own_records, person_required

SHOWN = 10


@person_required
def my_data(request: HttpRequest) -> HttpResponse:
    people = list(own_records(request.user).select_related("programme").order_by("pk"))
    if request.method == "POST":
        chosen = next((p for p in people if str(p.pk) == request.POST.get("record", "")), None)
        if chosen is None:
            raise Http404("No such record of yours.")
        started = subject_access_build.subject_access_start(
            by=request.user, person=chosen, own_download=True
        )
        return redirect("core:subject-access-progress", pk=started.pk)
    earlier = SubjectAccessRequest.objects.filter(
        requested_by_id=request.user.pk, own_download=True
    ).order_by("-created_at", "-pk")[:SHOWN]
    return render(
        request,
        "selfservice/my_data.html",
        {"people": people, "earlier": earlier, "several": len(people) > 1},
    )
