"""Moving a programme into peerprog: its whole history from one workbook
(``peerprog.core.workbook``), or one kind of record at a time, through the
kernel's preview and confirm; the templates; and the programme export in
the same format.

Leads and HR only: the workbook holds every stage of the journey, and its
sensitive columns (statements, health-related reasons) are theirs to read.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from peerprog.core import import_pages
from peerprog.core.access import Role, role_required
from peerprog.core.imports import UploadForm
from peerprog.core.models import PendingImport
from peerprog.core.privacy.read_log import ReadKind, export_read_log
from peerprog.core.workbook import WORKBOOK_IMPORTER, get_sheet, sheets
from peerprog.core.workbook_export import book_export, book_template
from recruitment.selectors import cohort_list

MOVERS = (Role.PROGRAMME_LEAD, Role.HR)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _sheet_or_404(kind: str):  # type: ignore[no-untyped-def]
    try:
        return get_sheet(kind)
    except KeyError:
        raise Http404("No such kind of record.") from None


def _preview_url(pending: PendingImport) -> str:
    return reverse("dashboard:history-preview", args=[pending.pk])


class ExportForm(forms.Form):
    cohort = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Cohorts",
        help_text="Leave every box empty to export the whole programme.",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohort_list(user=user).order_by("training_start", "name")


@role_required(*MOVERS)
def history(request: HttpRequest) -> HttpResponse:
    """The whole workbook: upload it, or pick one kind of record."""
    form = UploadForm(request.POST or None, request.FILES or None)
    form.fields["file"].label = "Programme workbook"
    form.fields[
        "file"
    ].help_text = (
        "An Excel workbook (.xlsx) with a sheet per kind of record, laid out as the template."
    )
    return import_pages.import_upload_page(
        request,
        importer_key=WORKBOOK_IMPORTER,
        form=form,
        options=lambda f: {},
        preview_url=_preview_url,
        context={
            "title": "Bring in your programme's history",
            "intro": (
                "Bring in the cohorts, applications, trainees, mentors, posts, appointments, "
                "absences and supervision your programme recorded before it used peerprog, "
                "each with the date it happened. Every row goes through the same checks as "
                "a form, and the whole workbook is imported in one go or not at all. "
                "Importing the same workbook again changes nothing."
            ),
            "back_url": reverse("core:programme"),
            "sheets": sheets(),
            "export_form": ExportForm(user=request.user),
        },
        template="dashboard/history_upload.html",
    )


@role_required(*MOVERS)
def history_kind(request: HttpRequest, kind: str) -> HttpResponse:
    """One kind of record from a CSV file or the first sheet of a workbook."""
    sheet = _sheet_or_404(kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    return import_pages.import_upload_page(
        request,
        importer_key=sheet.importer_key,
        form=form,
        options=lambda f: {},
        preview_url=_preview_url,
        context={
            "title": f"Bring in {sheet.title.lower()}",
            "intro": (
                f"{sheet.help} The records the rows refer to (cohorts, people, posts) must "
                "already be in peerprog, or come in the same programme workbook. "
                "Importing the same rows again changes nothing."
            ),
            "back_url": reverse("dashboard:history"),
            "template_url": reverse("dashboard:history-kind-template", args=[sheet.key]),
        },
    )


@role_required(*MOVERS)
def history_preview(request: HttpRequest, pk: int) -> HttpResponse:
    keys = [WORKBOOK_IMPORTER, *(sheet.importer_key for sheet in sheets())]
    try:
        pending = PendingImport.objects.get(
            pk=pk,
            importer__in=keys,
            created_by=request.user,
            programme_id=request.user.programme_id,
        )
    except (PendingImport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import waiting.") from None
    if pending.importer == WORKBOOK_IMPORTER:
        upload_url = reverse("dashboard:history")
        title = "Your programme's history"
    else:
        sheet = next(s for s in sheets() if s.importer_key == pending.importer)
        upload_url = reverse("dashboard:history-kind", args=[sheet.key])
        title = sheet.title
    return import_pages.import_preview_page(
        request,
        pending=pending,
        done_url=reverse("dashboard:history"),
        upload_url=upload_url,
        context={"title": title},
    )


@require_GET
@role_required(*MOVERS)
def history_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(book_template(by=request.user), "peerprog-programme-workbook.xlsx")


@require_GET
@role_required(*MOVERS)
def history_kind_template(request: HttpRequest, kind: str) -> HttpResponse:
    sheet = _sheet_or_404(kind)
    return _xlsx(book_template(by=request.user, only=sheet.key), f"peerprog-{sheet.key}.xlsx")


@require_GET
@role_required(*MOVERS)
def programme_export(request: HttpRequest) -> HttpResponse:
    """The programme (or the cohorts chosen) as a workbook that imports again."""
    form = ExportForm(request.GET or None, user=request.user)
    cohorts = list(form.cleaned_data["cohort"]) if form.is_valid() else []
    names = ", ".join(cohort.name for cohort in cohorts) or "every cohort"
    export_read_log(
        by=request.user,
        kind=ReadKind.EXPORT,
        export="Programme workbook",
        filters=names,
        page="dashboard:programme-export",
    )
    content = book_export(
        programme=request.user.programme,
        by=request.user,
        cohort_ids=[cohort.pk for cohort in cohorts] if cohorts else None,
    )
    stamp = timezone.localdate().isoformat()
    return _xlsx(content, f"peerprog-programme-{stamp}.xlsx")
