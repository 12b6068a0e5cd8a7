"""Loading applications from a file, through the kernel's preview and confirm."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode

from peerprog.core import import_pages, imports
from peerprog.core.access import role_required
from recruitment.forms import (
    ApplicationImportForm,
)
from recruitment.resources import IMPORTER
from recruitment.views.common import (
    LEAD,
)


@role_required(LEAD)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ApplicationImportForm(
        request.POST or None,
        request.FILES or None,
        programme_id=request.user.programme_id,
        # "Upload a corrected file" comes back with the cohort chosen before.
        initial={"cohort": request.GET.get("cohort", "")},
    )
    return import_pages.import_upload_page(
        request,
        importer_key=IMPORTER.key,
        form=form,
        options=lambda f: {"cohort_id": f.cleaned_data["cohort"].pk},
        preview_url=lambda pending: reverse("recruitment:import-preview", args=[pending.pk]),
        context={
            "title": "Load applications from a file",
            "intro": "Load many applications at once from a CSV file or an Excel workbook. "
            "People already on record (same e-mail, or same name and date of birth) are "
            "updated, never added twice.",
            "back_url": reverse("recruitment:application-list"),
        },
    )


@role_required(LEAD)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    pending = imports.pending_import_for_user(user=request.user, pk=pk, importer_key=IMPORTER.key)
    cohort_id = pending.options.get("cohort_id")
    upload_url = reverse("recruitment:import-upload")
    return import_pages.import_preview_page(
        request,
        pending=pending,
        done_url=reverse("recruitment:board", args=[cohort_id])
        if cohort_id
        else reverse("recruitment:application-list"),
        upload_url=f"{upload_url}?{urlencode({'cohort': cohort_id})}" if cohort_id else upload_url,
        context={"title": "Load applications"},
    )
