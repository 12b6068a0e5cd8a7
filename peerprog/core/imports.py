"""Loading records in bulk from CSV or XLSX: upload, preview, confirm.

Built on django-import-export, with its known traps closed:

* The uploaded file is kept in the database (``PendingImport``), which every
  web process shares, never in a process's temporary directory, and it is
  deleted on confirm or cancel. Files nobody confirmed are purged after a day.
* The upload is capped in size; an XLSX file (a zip archive) is also capped
  in expanded size before it is opened, and every file in its number of rows,
  so a small upload cannot expand into gigabytes.
* The preview is a dry run inside a transaction that is rolled back. It lists
  every row's result and every error in plain words (row, column, what is
  wrong). Resources must keep side effects (e-mail, tasks) out of their
  hooks, because the dry run runs them.
* Confirming imports all rows or none: the whole import runs in one
  transaction with ``rollback_on_validation_errors``, and any error refuses
  the import, writing nothing.

An app registers an ``Importer`` (its resource and the columns it reads) and
calls ``import_upload_page`` and ``import_preview_page`` from its own views,
after checking access. Deployment and the admin reuse the same flow.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import tablib
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from import_export.resources import Resource
from import_export.results import Result, RowResult
from openpyxl import load_workbook

from peerprog.core.models import PendingImport, User
from peerprog.core.services import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_XLSX_EXPANDED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 5000
KEEP_PENDING_FOR = timedelta(days=1)


class ImportRefused(DomainError):
    """A file that cannot be imported, in plain words."""


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    required: bool = False


@dataclass(frozen=True)
class Importer:
    """What an app loads: a resource built for the user and the options the
    upload form chose (a cohort, say), and the columns it reads.

    ``preview_columns`` are the columns shown back in the preview; leave out
    anything sensitive.
    """

    key: str
    label: str
    resource: Callable[..., Resource]
    columns: tuple[Column, ...]
    preview_columns: tuple[str, ...]
    max_rows: int = MAX_ROWS


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _importers[importer.key] = importer


def get_importer(key: str) -> Importer:
    return _importers[key]


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "the file"
        if self.column:
            return f"In {where}, column “{self.column}”: {self.message}"
        return f"In {where}: {self.message}"


@dataclass
class RowReport:
    row: int
    action: str
    values: list[str]
    errors: list[RowError] = field(default_factory=list)


@dataclass
class Report:
    """What an import did, or would do."""

    headers: list[str]
    rows: list[RowReport]
    file_errors: list[RowError]
    total: int = 0

    @property
    def errors(self) -> list[RowError]:
        return self.file_errors + [error for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        return not self.errors and self.total > 0

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new(self) -> int:
        return self.count(NEW)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)


NEW = "New"
UPDATE = "Update"
UNCHANGED = "No change"
ERROR = "Error"
ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: NEW,
    RowResult.IMPORT_TYPE_UPDATE: UPDATE,
    RowResult.IMPORT_TYPE_SKIP: UNCHANGED,
    RowResult.IMPORT_TYPE_INVALID: ERROR,
    RowResult.IMPORT_TYPE_ERROR: ERROR,
}


# Reading the file, within the caps.


def _format_of(filename: str) -> str:
    name = filename.lower()
    if name.endswith(".csv"):
        return PendingImport.Format.CSV
    if name.endswith(".xlsx"):
        return PendingImport.Format.XLSX
    raise ImportRefused("Upload a CSV file (.csv) or an Excel workbook (.xlsx).")


def _check_xlsx(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise ImportRefused(
            "This file is not a readable Excel workbook. Save it again as .xlsx, or as CSV."
        ) from None
    expanded = sum(info.file_size for info in archive.infolist())
    if expanded > MAX_XLSX_EXPANDED_BYTES:
        raise ImportRefused(
            "This workbook is too large once opened. Keep only the sheet with the rows to "
            "load, or save it as CSV."
        )


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    return "" if value is None else value


def read_dataset(content: bytes, file_format: str, max_rows: int = MAX_ROWS) -> tablib.Dataset:
    """The rows of the file, refusing files over the row cap before reading
    them all. Empty lines are left out."""
    rows: list[list[Any]] = []
    if file_format == PendingImport.Format.XLSX:
        _check_xlsx(content)
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:
            raise ImportRefused(
                "This file is not a readable Excel workbook. Save it again as .xlsx, or as CSV."
            ) from None
        sheet = workbook.worksheets[0]
        source = sheet.iter_rows(values_only=True)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                raise ImportRefused(
                    "The file's text could not be read. Save it as CSV UTF-8."
                ) from None
        source = csv.reader(io.StringIO(text))
    for line in source:
        cells = [_cell(value) for value in line]
        if not any(cell != "" for cell in cells):
            continue
        rows.append(cells)
        if len(rows) > max_rows + 1:
            raise ImportRefused(
                f"This file has more than {max_rows:,} rows. Split it into smaller files."
            )
    if not rows:
        raise ImportRefused("This file is empty.")
    headers = [str(header) for header in rows[0]]
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        dataset.append((list(row) + [""] * width)[:width])
    return dataset


# Services.


@transaction.atomic
def import_upload(
    *, importer_key: str, upload: Any, options: dict[str, Any], by: User
) -> PendingImport:
    """Keep an uploaded file until its preview is confirmed or cancelled.

    The file is checked within the caps and read once now, so that a file
    that cannot be read is refused straight away.
    """
    importer = get_importer(importer_key)
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            f"This file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. "
            "Split it into smaller files."
        )
    file_format = _format_of(upload.name)
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportRefused("This file is too large. Split it into smaller files.")
    read_dataset(content, file_format, importer.max_rows)
    pending_imports_purge()
    pending = PendingImport(
        programme=by.programme,
        importer=importer_key,
        created_by=by,
        filename=upload.name[-200:],
        file_format=file_format,
        content=content,
        options=options,
    )
    pending.full_clean(exclude=["content"])
    pending.save()
    return pending


def pending_imports_purge(*, older_than: timedelta = KEEP_PENDING_FOR) -> int:
    deleted, _ = PendingImport.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


def pending_import_for_user(*, user: User, pk: Any, importer_key: str) -> PendingImport:
    """The user's own pending import, or 404."""
    try:
        return PendingImport.objects.get(
            pk=pk, importer=importer_key, created_by=user, programme_id=user.programme_id
        )
    except (PendingImport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import waiting.") from None


def _report(importer: Importer, dataset: tablib.Dataset, result: Result) -> Report:
    headers = list(dataset.headers or [])
    shown = [h for h in importer.preview_columns if h in headers]
    file_errors = [RowError(0, "", _plain(error.error)) for error in result.base_errors]
    if not len(dataset) and not file_errors:
        file_errors.append(RowError(0, "", "The file has no rows under its column names."))
    rows: list[RowReport] = []
    for index, row_result in enumerate(result.rows):
        number = index + 2  # the header is row 1, as a spreadsheet shows it
        data = dict(zip(headers, dataset[index], strict=False)) if index < len(dataset) else {}
        report = RowReport(
            row=number,
            action=ACTIONS.get(row_result.import_type, row_result.import_type),
            values=[str(data.get(column, "")) for column in shown],
        )
        if row_result.validation_error is not None:
            report.errors.extend(_validation_errors(number, row_result.validation_error))
        for error in row_result.errors:
            report.errors.append(RowError(number, "", _plain(error.error)))
        rows.append(report)
    return Report(headers=shown, rows=rows, file_errors=file_errors, total=len(dataset))


def _validation_errors(number: int, error: ValidationError) -> list[RowError]:
    found: list[RowError] = []
    if hasattr(error, "error_dict"):
        for column, errors in error.message_dict.items():
            label = "" if column == "__all__" else column
            for message in errors:
                found.append(RowError(number, label, message))
    else:
        for message in error.messages:
            found.append(RowError(number, "", message))
    return found


def _plain(error: Any) -> str:
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    text = str(error)
    if isinstance(error, ValueError) and text:
        return text
    return "This row could not be read. Check it against the columns described on the upload page."


def _run(pending: PendingImport, *, dry_run: bool) -> tuple[Report, Result]:
    importer = get_importer(pending.importer)
    dataset = read_dataset(bytes(pending.content), pending.file_format, importer.max_rows)
    resource = importer.resource(user=pending.created_by, **pending.options)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    return _report(importer, dataset, result), result


def import_preview(*, pending: PendingImport, by: User) -> Report:
    """What confirming would do, row by row. Writes nothing."""
    report, _ = _run(pending, dry_run=True)
    return report


def import_confirm(*, pending: PendingImport, by: User) -> Report:
    """Import every row, or none.

    Refused, with nothing written, when any row has an error. The stored file
    is deleted once the import is done.
    """
    with transaction.atomic():
        report, result = _run(pending, dry_run=False)
        if not report.ok or result.has_errors() or result.has_validation_errors():
            transaction.set_rollback(True)
            failed = report
        else:
            PendingImport.objects.filter(pk=pending.pk).delete()
            failed = None
    if failed is not None:
        raise ImportRefused(
            "Nothing was imported: the file has errors. Correct them and upload it again."
        )
    return report


def import_cancel(*, pending: PendingImport, by: User) -> None:
    PendingImport.objects.filter(pk=pending.pk).delete()


# Pages an app's views hand over to, after checking access.


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File to load",
        help_text="A CSV file or an Excel workbook (.xlsx), up to 5 MB and 5,000 rows. "
        "The first row holds the column names.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("This file is larger than 5 MB. Split it into smaller files.")
        try:
            _format_of(upload.name)
        except ImportRefused as error:
            raise ValidationError(error.message) from None
        return upload


def import_upload_page(
    request: HttpRequest,
    *,
    importer_key: str,
    form: UploadForm,
    options: Callable[[UploadForm], dict[str, Any]],
    preview_url: Callable[[PendingImport], str],
    context: dict[str, Any],
) -> HttpResponse:
    """Show the upload form; on a valid upload, store it and go to the preview."""
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
            return redirect(preview_url(pending))
    importer = get_importer(importer_key)
    return render(
        request,
        "core/import_upload.html",
        {"form": form, "importer": importer, **context},
    )


def import_preview_page(
    request: HttpRequest,
    *,
    pending: PendingImport,
    done_url: str,
    upload_url: str,
    context: dict[str, Any],
) -> HttpResponse:
    """GET: the preview. POST with ``confirm``: import; with ``cancel``: discard."""
    if request.method == "POST":
        if "cancel" in request.POST:
            import_cancel(pending=pending, by=request.user)
            messages.info(request, "The import was cancelled and the file deleted.")
            return redirect(upload_url)
        try:
            report = import_confirm(pending=pending, by=request.user)
        except ImportRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Imported {report.total} row{'s' if report.total != 1 else ''}: "
                f"{report.new} new, {report.updated} updated, {report.unchanged} unchanged.",
            )
            return redirect(done_url)
    try:
        report = import_preview(pending=pending, by=request.user)
    except ImportRefused as error:
        import_cancel(pending=pending, by=request.user)
        messages.error(request, error.message)
        return redirect(upload_url)
    return render(
        request,
        "core/import_preview.html",
        {
            "pending": pending,
            "report": report,
            "importer": get_importer(pending.importer),
            "upload_url": upload_url,
            **context,
        },
    )
