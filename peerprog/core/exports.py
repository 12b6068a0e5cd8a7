"""Exports of lists and reports, as CSV and XLSX, safely and in bounded memory.

``serve`` is the whole of an export view: it checks the role, leaves out
special-category columns unless the user may read them, records who
exported what with which filters, and then either sends the file straight
away (CSV streamed row by row; XLSX written with XlsxWriter in
constant-memory mode to a temporary file) or, for more rows than ``EXPORT_BACKGROUND_ROWS``,
prepares the file in a Celery task while the user watches a progress page
(``export_files``: private files, downloaded only by the person who asked,
deleted when they expire).

What an export is and how its file is written live one level down, in
``export_specs``, which the Celery task uses too; the names apps use
(``ExportSpec``, ``Column``, ``register``, ``write`` ...) are imported here
so that ``from peerprog.core.exports import ...`` keeps working.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.utils import timezone

from peerprog.core.access import require_role
from peerprog.core.export_records import ExportRecord
from peerprog.core.export_specs import (
    CSV_TYPE,
    FORMATS,
    FORMULA_STARTS,
    NOT_FILTERS,
    XLSX_TYPE,
    Column,
    ExportSpec,
    csv_lines,
    describe_filterset,
    filter_params,
    filter_query,
    filter_words,
    get_spec,
    register,
    registered,
    row_count,
    safe_cell,
    write,
    write_rows,
)
from peerprog.core.privacy.read_log import ReadKind, export_read_log
from peerprog.core.tasks import export_prepare

__all__ = [
    "CSV_TYPE",
    "FORMATS",
    "FORMULA_STARTS",
    "NOT_FILTERS",
    "XLSX_TYPE",
    "Column",
    "ExportSpec",
    "background_threshold",
    "csv_lines",
    "describe_filterset",
    "filter_params",
    "filter_query",
    "get_spec",
    "register",
    "registered",
    "safe_cell",
    "serve",
    "write",
]

DEFAULT_BACKGROUND_ROWS = 20_000
DEFAULT_BACKGROUND_ROWS_XLSX = 5_000


def background_threshold(file_format: str = "csv") -> int:
    """Rows above which an export is prepared in the background. XLSX is
    slower to write than CSV (about twice as slow at 100,000 rows), so it
    has its own, lower limit (never above the general one)."""
    rows = int(getattr(settings, "EXPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))
    if file_format == "xlsx":
        xlsx = int(getattr(settings, "EXPORT_BACKGROUND_ROWS_XLSX", DEFAULT_BACKGROUND_ROWS_XLSX))
        return min(rows, xlsx)
    return rows


def _filename(spec: ExportSpec, file_format: str) -> str:
    stamp = timezone.localdate().isoformat()
    return f"{spec.key.replace('.', '-')}-{stamp}.{file_format}"


def serve(request: HttpRequest, key: str) -> HttpResponseBase:
    """The whole of an export view.

    403 for a role that may not export it; the format from ``?format=``
    (CSV unless ``xlsx``); the filters from the rest of the query string.
    Records the export, then sends the file, or for a large list starts a
    background export and sends the user to its progress page.
    """
    try:
        spec = get_spec(key)
    except LookupError:
        raise Http404("No such export.") from None
    user = request.user
    require_role(user, *spec.roles)
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    params = filter_params(request.GET)
    query = filter_query(params)
    rows = spec.rows(user, query)
    expected = row_count(rows)
    columns = spec.columns_for(user)
    record = ExportRecord(
        user=user,
        programme_id=user.programme_id,
        key=spec.key,
        title=spec.title,
        params=params,
        filters=filter_words(spec, user, query),
        file_format=file_format,
        sensitive_included=spec.reads_sensitive(user)
        and any(column.sensitive for column in spec.columns),
        rows_expected=expected,
    )
    if record.sensitive_included:
        # One row in the read log for the whole export, naming it and its
        # filters: never one per row.
        export_read_log(
            by=user,
            kind=ReadKind.EXPORT,
            export=spec.title,
            filters=record.filters,
            page=spec.url_name or spec.key,
        )
    if expected is not None and expected > background_threshold(file_format):
        record.status = ExportRecord.Status.QUEUED
        record.rows = 0
        with transaction.atomic():
            record.save()
            record_id = record.pk
            transaction.on_commit(lambda: export_prepare.delay(record_id))
        return redirect("core:export-progress", pk=record.pk)

    record.save()
    filename = _filename(spec, file_format)
    if file_format == "csv":
        return _streamed_csv(record, columns, rows, filename)
    # XLSX cannot be streamed as it is written (a zip's directory comes
    # last), so it goes to a temporary file on disk, not into memory.
    # The response closes (and so deletes) the file once it has been sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        written = write_rows(spec, columns, rows, file_format, handle)
    except BaseException:
        handle.close()
        raise
    ExportRecord.objects.filter(pk=record.pk).update(rows=written)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response


def _streamed_csv(
    record: ExportRecord, columns: Sequence[Column], rows: Iterable[Any], filename: str
) -> StreamingHttpResponse:
    def lines() -> Iterator[str]:
        written = -1
        for line in csv_lines(columns, rows):
            written += 1
            yield line
        ExportRecord.objects.filter(pk=record.pk).update(rows=written)

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
