"""Loading records in bulk from CSV or XLSX: upload, preview, confirm.

The kernel of every import, with the known traps of spreadsheet imports
closed:

* The uploaded file is kept in the database (``PendingImport``), which every
  web process and worker shares, never in a process's temporary directory;
  it is emptied once imported and deleted on cancel. Files nobody confirmed
  are purged after a day.
* The upload is capped in size; an XLSX file (a zip archive) is also capped
  in expanded size before it is opened, and every file in its number of rows,
  so a small upload cannot expand into gigabytes.
* The preview only reads (``peerprog.core.import_bulk``): it lists every
  row's result and every error in plain words (row, column, what is wrong),
  and queues and sends nothing.
* Confirming imports all rows or none, in one transaction, and any error
  refuses the import, writing nothing.
* Both run as background jobs for all but small files
  (``peerprog.core.import_jobs``), watched on a progress page.

An app registers an ``Importer`` (its plan and the columns it reads) and
calls ``import_pages.import_upload_page`` and ``import_preview_page`` from
its own views, after checking access.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.functional import lazy

# Reading files lives in ``import_reading``; its names are kept here for the
# code that imports them from this module.
from peerprog.core.import_reading import (
    ImportRefused,
    _cell,  # noqa: F401
    _check_xlsx,
    _format_of,
    limits_in_words,
    max_upload_bytes,
    read_dataset,
    too_large_message,
)
from peerprog.core.models import PendingImport, User

KEEP_PENDING_FOR = timedelta(days=1)
# Files up to this size are read on upload (a fraction of a second).
READ_ON_UPLOAD_BYTES = 256 * 1024


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
    plan: Callable[..., Any]
    columns: tuple[Column, ...]
    preview_columns: tuple[str, ...]
    # None: the ``IMPORT_MAX_ROWS`` setting.
    max_rows: int | None = None
    # Loads the whole file itself, in place of the plan's batches (a
    # workbook of several sheets, ``peerprog.core.workbook``).
    runner: Callable[..., Any] | None = None


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _importers[importer.key] = importer


def get_importer(key: str) -> Importer:
    return _importers[key]


@dataclass(slots=True)
class RowError:
    row: int
    column: str
    message: str
    # The sheet of a workbook of several kinds of record.
    sheet: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "the file"
        if self.sheet:
            where = f"the {self.sheet} sheet, {where}"
        if self.column:
            return f"In {where}, column “{self.column}”: {self.message}"
        return f"In {where}: {self.message}"


@dataclass(slots=True)
class RowReport:
    row: int
    action: str
    values: list[str]
    errors: list[RowError] = field(default_factory=list)
    # The id of the record the row matched, so that the import can tell
    # whether the records changed since the preview.
    match: str = ""
    sheet: str = ""


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

    def as_json(self) -> dict[str, Any]:
        """The report as it is kept on the ``PendingImport``."""
        return {
            "headers": self.headers,
            "total": self.total,
            "file_errors": [[e.row, e.column, e.message] for e in self.file_errors],
            "rows": [
                [r.row, r.action, r.match, r.values, [[e.column, e.message] for e in r.errors]]
                + ([r.sheet] if r.sheet else [])
                for r in self.rows
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        return cls(
            headers=data["headers"],
            total=data["total"],
            file_errors=[RowError(*error) for error in data["file_errors"]],
            rows=[
                RowReport(
                    row=number,
                    action=action,
                    values=values,
                    errors=[
                        RowError(number, column, message, *sheet) for column, message in errors
                    ],
                    match=match,
                    sheet=sheet[0] if sheet else "",
                )
                for number, action, match, values, errors, *sheet in data["rows"]
            ],
        )


NEW = "New"
UPDATE = "Update"
UNCHANGED = "No change"
ERROR = "Error"


# Services.


@transaction.atomic
def import_upload(
    *, importer_key: str, upload: Any, options: dict[str, Any], by: User
) -> PendingImport:
    """Keep an uploaded file until its preview is confirmed or cancelled.

    The file is checked within the caps now. A small file is also read now,
    so that a file that cannot be read is refused straight away; a large one
    is read by the preview job, which says so if it cannot.
    """
    importer = get_importer(importer_key)
    if upload.size > max_upload_bytes():
        raise ImportRefused(too_large_message())
    file_format = _format_of(upload.name)
    content = upload.read(max_upload_bytes() + 1)
    if len(content) > max_upload_bytes():
        raise ImportRefused(too_large_message())
    if len(content) <= READ_ON_UPLOAD_BYTES:
        read_dataset(content, file_format, importer.max_rows)
    elif file_format == PendingImport.Format.XLSX:
        # A workbook's parts are checked on upload whatever its size: a
        # hostile one is refused here, before any job reads it.
        _check_xlsx(content, importer.max_rows)
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


def import_cancel(*, pending: PendingImport, by: User) -> None:
    PendingImport.objects.filter(pk=pending.pk).delete()


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File to load",
        help_text=lazy(
            lambda: (
                f"A CSV file or an Excel workbook (.xlsx), {limits_in_words()}. "
                "The first row holds the column names."
            ),
            str,
        )(),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise ValidationError(too_large_message())
        try:
            _format_of(upload.name)
        except ImportRefused as error:
            raise ValidationError(error.message) from None
        return upload
