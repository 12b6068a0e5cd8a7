"""The peer worker activity report and its export, for leads and admins."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.utils import timezone

from peerprog.core.access import has_role, role_required
from peerprog.core.exports import serve
from peerprog.core.models import Role
from peerprog.dashboard import activity
from peerprog.dashboard.selectors import READERS


@role_required(*READERS)
def activity_report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    month = activity.parse_month(request.GET.get("month"), today=today)
    service = request.GET.get("service", "")
    report = activity.activity_report(
        user=request.user,  # type: ignore[arg-type]
        month=month,
        service_id=int(service) if service.isdigit() else None,
    )
    export_query = QueryDict(mutable=True)
    export_query["month"] = f"{month:%Y-%m}"
    if report.service:
        export_query["service"] = str(report.service.pk)
    return render(
        request,
        "dashboard/activity.html",
        {
            "report": report,
            "chart": activity.activity_chart(report),
            "month_choices": [
                activity.add_months(activity.month_start(today), -offset) for offset in range(24)
            ],
            "kind_labels": [label for label, _ in report.kinds],
            "export_query": export_query.urlencode(),
            "can_edit_topics": has_role(request.user, Role.PROGRAMME_LEAD),
        },
    )


def activity_export(request: HttpRequest) -> HttpResponseBase:
    return serve(request, activity.EXPORT)
