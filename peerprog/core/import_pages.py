"""The import pages an app's views hand over to, after checking access:
the upload form, and one page that follows the file through its preview
and its import (a progress page while a job runs, the preview once it is
ready)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from peerprog.core import import_jobs
from peerprog.core.import_bulk import SHOWN_ROWS
from peerprog.core.imports import (
    ImportRefused,
    Report,
    UploadForm,
    get_importer,
    import_cancel,
    import_upload,
)
from peerprog.core.models import PendingImport


def import_upload_page(
    request: HttpRequest,
    *,
    importer_key: str,
    form: UploadForm,
    options: Callable[[UploadForm], dict[str, Any]],
    preview_url: Callable[[PendingImport], str],
    context: dict[str, Any],
    template: str = "core/import_upload.html",
) -> HttpResponse:
    """Show the upload form; on a valid upload, store it, start its preview
    and go to the page that follows it."""
    if request.method == "POST" and form.is_valid():
        try:
            pending = import_upload(
                importer_key=importer_key,
                upload=form.cleaned_data["file"],
                options=options(form),
                by=request.user,
            )
        except ImportRefused as error:
            form.add_error("file", error.message)
        else:
            import_jobs.import_preview_start(pending=pending, by=request.user)
            return redirect(preview_url(pending))
    importer = get_importer(importer_key)
    return render(
        request,
        template,
        {"form": form, "importer": importer, **context},
        # A refused file is a bad request: the page comes back with why.
        status=400 if form.is_bound and form.errors else 200,
    )


def import_preview_page(
    request: HttpRequest,
    *,
    pending: PendingImport,
    done_url: str,
    upload_url: str,
    context: dict[str, Any],
) -> HttpResponse:
    """GET: the progress of the preview or import, or the preview. POST with
    ``confirm``: start the import; with ``cancel``: discard the file."""
    if request.method == "POST":
        if "cancel" in request.POST:
            import_cancel(pending=pending, by=request.user)
            messages.info(request, "The import was cancelled and the file deleted.")
            return redirect(upload_url)
        try:
            import_jobs.import_confirm_start(pending=pending, by=request.user)
        except ImportRefused as error:
            messages.error(request, error.message)
        return redirect(request.path)
    if request.htmx and not pending.is_running:
        # The job has finished: load the whole page, which shows its outcome.
        return HttpResponse(headers={"HX-Refresh": "true"})
    # What is left of a refused or imported file is purged with the others.
    if pending.status in (PendingImport.Status.REFUSED, PendingImport.Status.STOPPED):
        messages.error(request, pending.message)
        return redirect(upload_url)
    if pending.status == PendingImport.Status.IMPORTED:
        messages.success(request, pending.message)
        return redirect(done_url)
    page = {
        "pending": pending,
        "importer": get_importer(pending.importer),
        "upload_url": upload_url,
        **context,
    }
    if pending.is_running:
        done, total = import_jobs.import_progress(pending)
        page.update(done=done, total=total, percent=done * 100 // total if total else 0)
        template = (
            "core/import_progress.html#status" if request.htmx else "core/import_progress.html"
        )
        return render(request, template, page)
    report = Report.from_json(
        pending.report or {"headers": [], "total": 0, "file_errors": [], "rows": []}
    )
    page.update(report=report, shown=report.rows[:SHOWN_ROWS])
    return render(request, "core/import_preview.html", page)
