"""Checking and writing an imported file in batches, with a fixed number of
queries per batch whatever its rows hold.

An app's ``Plan`` (registered on its ``Importer``) knows its records:

* ``start(headers)`` reads the column names as people write them and gives
  the resource's names, raising ``ValueError`` in plain words when a column
  the import needs is missing (an error of the whole file);
* ``check(rows, lock=...)`` fetches, in a few queries for the whole batch,
  the records the rows refer to (people, cohorts, posts), then cleans and
  checks every row in memory: its action (new, update, no change), the id
  of the record it matched and its errors by column. It writes nothing;
* ``write(rows)`` writes a checked batch with ``bulk_create`` and
  ``bulk_update``, and the history (audit) rows in bulk too.

``check_file`` checks a whole file and writes nothing: the preview.
``write_file`` checks again and writes every batch inside one transaction,
refusing (and so writing nothing) when any row has an error, or when a row
would now do something other than the preview said: the records changed
underneath in a way that matters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model

from peerprog.core.import_reading import Oversized, Rows, count_rows
from peerprog.core.imports import (
    ERROR,
    Importer,
    ImportRefused,
    Report,
    RowError,
    RowReport,
    get_importer,
)
from peerprog.core.models import PendingImport
from peerprog.core.services import DomainError

DEFAULT_BATCH_ROWS = 1000
DEFAULT_MAX_ROWS = 50_000
# Rows shown in the preview's table; every problem is listed above it.
SHOWN_ROWS = 500


def batch_rows() -> int:
    return int(getattr(settings, "IMPORT_BATCH_ROWS", DEFAULT_BATCH_ROWS))


def max_rows(importer: Importer) -> int:
    return importer.max_rows or int(getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


@dataclass
class Row:
    """One row of the file while it is checked: its cells by column name,
    and what the plan found."""

    number: int
    data: dict[str, Any]
    action: str = ""
    match: str = ""
    errors: list[RowError] = field(default_factory=list)
    payload: Any = None
    # Columns whose value could not be read, with why.
    unreadable: dict[str, str] = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def errors_from(self, error: ValidationError, *, columns: dict[str, str]) -> None:
        """A model's validation errors, each named by the file's column."""
        if hasattr(error, "error_dict"):
            for attribute, messages in error.message_dict.items():
                column = "" if attribute == "__all__" else columns.get(attribute, attribute)
                for message in messages:
                    self.error(column, message)
        else:
            for message in error.messages:
                self.error("", message)


class FieldChecks:
    """The checks ``full_clean`` makes of a model's imported fields (not
    blank where required, no longer than allowed, one of the choices), made
    from plain comparisons worked out once: a few microseconds a row where
    ``full_clean`` takes a fraction of a millisecond. The other checks of a
    value (an e-mail address, a date) are its column's widget's, when the
    cell is read; the fields a file never sets are the import's own."""

    def __init__(self, model: type[Model], names: tuple[str, ...]) -> None:
        self.fields = []
        for name in names:
            model_field = model._meta.get_field(name)
            choices = (
                {str(value) for value, _ in model_field.flatchoices}
                if model_field.choices
                else None
            )
            self.fields.append((model_field, choices))

    def check(self, instance: Model, row: Row, *, columns: dict[str, str], skip: set[str]) -> None:
        for model_field, choices in self.fields:
            if model_field.name in skip:
                continue
            value = getattr(instance, model_field.attname)
            column = columns.get(model_field.name, model_field.name)
            messages = model_field.error_messages
            if value is None:
                if not model_field.null:
                    row.error(column, str(messages["null"]))
                continue
            if value in model_field.empty_values:
                if not model_field.blank:
                    row.error(column, str(messages["blank"]))
                continue
            limit = model_field.max_length
            if limit is not None and isinstance(value, str) and len(value) > limit:
                row.error(
                    column,
                    f"Ensure this value has at most {limit} characters (it has {len(value)}).",
                )
            if choices is not None and str(value) not in choices:
                row.error(column, str(messages["invalid_choice"] % {"value": value}))


class RecordsChanged(ImportRefused):
    """The records changed since the preview, so that a row would now do
    something else."""


class Plan(Protocol):
    def start(self, headers: list[str]) -> list[str]: ...

    def check(self, rows: list[Row], *, lock: bool) -> None: ...

    def write(self, rows: list[Row]) -> None: ...


Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    """Nobody is watching."""


def _batches(rows: Rows, headers: list[str], size: int) -> Iterator[list[Row]]:
    """The file's rows, a batch at a time: only one batch is held."""
    batch: list[Row] = []
    for number, cells in rows:
        row = Row(number=number, data=dict(zip(headers, cells, strict=False)))
        for column, value in row.data.items():
            if isinstance(value, Oversized):
                # Read as empty, and an error of its row and column.
                row.data[column] = ""
                row.unreadable[column] = value.problem
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _open(pending: PendingImport) -> tuple[Importer, Rows, Plan]:
    importer = get_importer(pending.importer)
    rows = Rows(bytes(pending.content), pending.file_format, max_rows(importer))
    plan = importer.plan(user=pending.created_by, **pending.options)
    return importer, rows, plan


def _unreadable(row: Row) -> None:
    """A value that could not be read is its column's only error."""
    if row.unreadable:
        row.errors = [error for error in row.errors if error.column not in row.unreadable]
        row.errors.extend(
            RowError(row.number, column, problem) for column, problem in row.unreadable.items()
        )


Previewed = dict[Any, tuple[str, str]]


def previewed(report: dict[str, Any] | None) -> Previewed | None:
    """What the kept preview said of each row (its action and the record it
    matched), read from its JSON without building the whole report."""
    if not report:
        return None
    return {
        (sheet[0], number) if sheet else number: (action, match)
        for number, action, match, _, _, *sheet in report["rows"]
    }


def _run(
    pending: PendingImport, *, write: bool, progress: Progress, against: Previewed | None = None
) -> Report:
    runner = get_importer(pending.importer).runner
    if runner is not None:
        report = runner(pending, write=write, progress=progress)
        if write:
            _refuse_if_changed_rows(report, against)
        return report
    importer, rows, plan = _open(pending)
    try:
        headers = plan.start(rows.headers)
    except ValueError as error:
        return Report(headers=[], rows=[], file_errors=[RowError(0, "", str(error))], total=0)
    shown = [header for header in importer.preview_columns if header in headers]
    report = Report(headers=shown, rows=[], file_errors=[], total=0)
    # What the progress page counts to: the rows the preview found, or a
    # first quick count (the file is read a batch at a time, never whole).
    total = pending.rows or count_rows(
        bytes(pending.content), pending.file_format, max_rows(importer)
    )
    progress(0, total)
    for batch in _batches(rows, headers, batch_rows()):
        plan.check(batch, lock=write)
        for row in batch:
            _unreadable(row)
            if row.errors:
                row.action = ERROR
            # The preview keeps the values of the rows its page shows (the
            # first ones, and every row with a problem); the import keeps
            # only what it did to each row.
            keep = not write and (len(report.rows) < SHOWN_ROWS or row.errors)
            report.rows.append(
                RowReport(
                    row=row.number,
                    action=row.action,
                    values=[str(row.data.get(column, "")) for column in shown] if keep else [],
                    errors=row.errors,
                    match=row.match,
                )
            )
        if write:
            _refuse_if_changed(batch, against)
            plan.write(batch)
        progress(len(report.rows), max(total, len(report.rows)))
    report.total = len(report.rows)
    if not report.total:
        report.file_errors.append(RowError(0, "", "The file has no rows under its column names."))
    return report


def _refuse_if_changed(batch: list[Row], against: Previewed | None) -> None:
    if any(row.errors for row in batch):
        raise ImportRefused(
            "Nothing was imported: the file has errors. Correct them and upload it again."
        )
    if against is None:
        return
    for row in batch:
        before = against.get(row.number)
        if before != (row.action, row.match):
            was = before[0].lower() if before else "not in the preview"
            raise RecordsChanged(
                "Nothing was imported: the records changed since the preview "
                f"(row {row.number} was “{was}” and would now be “{row.action.lower()}”). "
                "Check the new preview, then import again."
            )


def _refuse_if_changed_rows(report: Report, against: Previewed | None) -> None:
    """A runner's rows, each compared with what the preview said it would
    do. Only the action is compared: a row may match a record an earlier
    row of the same workbook makes, whose id the rolled-back preview could
    not keep."""
    if against is None:
        return
    for row in report.rows:
        before = against.get((row.sheet, row.row) if row.sheet else row.row)
        if before is None or before[0] != row.action:
            was = before[0].lower() if before else "not in the preview"
            where = f"the {row.sheet} sheet, row {row.row}" if row.sheet else f"row {row.row}"
            raise RecordsChanged(
                f"Nothing was imported: the records changed since the preview ({where} was "
                f"“{was}” and would now be “{row.action.lower()}”). Check the new preview, "
                "then import again."
            )


def check_file(pending: PendingImport, *, progress: Progress = _no_progress) -> Report:
    """What importing the file would do, row by row. Writes nothing.
    Raises ``ImportRefused`` for a file that cannot be read."""
    return _run(pending, write=False, progress=progress)


def write_file(
    pending: PendingImport,
    *,
    against: Previewed | None,
    progress: Progress = _no_progress,
) -> Report:
    """Import every row, or none, in one transaction. ``against`` is the
    preview the person confirmed: a row that would now do something else
    refuses the whole import."""
    with transaction.atomic():
        try:
            report = _run(pending, write=True, progress=progress, against=against)
        except IntegrityError:
            raise RecordsChanged(
                "Nothing was imported: someone changed the same records while the file "
                "was being imported. Check the new preview, then import again."
            ) from None
        if not report.ok:
            raise ImportRefused(
                "Nothing was imported: the file has errors. Correct them and upload it again."
            )
        if against is not None and len(against) != len(report.rows):
            raise ImportRefused(
                "Nothing was imported: the file is not the one previewed. Upload it again."
            )
    return report


def plain(error: Exception) -> str:
    """A cell's cleaning error in plain words."""
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    text = str(error)
    if isinstance(error, ValueError) and text:
        return text
    return "This cell could not be read. Check it against the columns described on the upload page."
