"""The kernel's export pages: a background export's progress and download,
and the log of exports that admins read. Each app's own export URL calls
``exports.serve``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from peerprog.core import admin_queue, export_files, exports
from peerprog.core.access import require_role
from peerprog.core.export_records import ExportRecord
from peerprog.core.models import Role

PAGE_SIZE = 50
# htmx stops polling when a poll answers with this status.
STOP_POLLING = 286


def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """How far a background export has got, and its download link when it is
    ready. Only the person who asked for it sees it (404 for anyone else)."""
    record = export_files.get_own_export_or_404(request.user, pk)
    context = {"record": record}
    if request.htmx:
        response = render(request, "core/export_progress.html#status", context)
        if record.is_finished:
            response.status_code = STOP_POLLING
        return response
    return render(request, "core/export_progress.html", context)


def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    record = export_files.get_own_export_or_404(request.user, pk)
    return export_files.download_response(record, request.user)


def export_log(request: HttpRequest) -> HttpResponse:
    """Who exported which list, with which filters, when: admins of the
    programme (system administrators see every programme)."""
    user = request.user
    if not user.is_system_admin:
        require_role(user, Role.ADMIN)
    records = ExportRecord.objects.select_related("user").order_by("-created_at", "-pk")
    if user.programme_id:
        records = records.filter(programme_id=user.programme_id)
    # ``?since=week``: the home page's "exports this week".
    this_week = request.GET.get("since") == "week"
    if this_week:
        records = records.filter(
            pk__in=admin_queue.recent_exports(user=user, today=timezone.localdate())
        )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    lists = [spec for spec in exports.registered() if spec.url_name and spec.may_export(user)]
    return render(
        request,
        "core/export_log.html",
        {"page": page, "lists": lists, "this_week": this_week},
    )
