"""A programme's history in one workbook: a sheet per kind of record, in
the journey's order, read and written through the journey's own services.

Each app registers the ``Sheet`` s it owns (cohorts and applications by
recruitment, enrolments by training, and so on) when it is ready. A sheet
knows its columns, how to load one row (``load``: find the records the row
names by their natural keys, cohort name, person e-mail, post number, and
call the services that record each event with the day it happened) and how
to give the programme's records back as rows (``dump``), so that a
programme export can be imported again and changes nothing.

Loading runs inside the kernel's import flow (``peerprog.core.imports``):
the upload is kept, the preview is a background job, and the import is a
second one. Both load every sheet in one transaction, a savepoint per row so
that a refused row becomes that row's error and the others go on; the
preview then rolls everything back, so it writes nothing, queues nothing
and sends nothing, and the import commits only when no row has an error.
So a workbook is validated as a whole, with the rows of later sheets
checked against what the earlier ones would make.

A sheet can also be imported on its own, from a CSV file or the first sheet
of a workbook: the same loader, one kind of record.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from peerprog.core.import_bulk import plain
from peerprog.core.import_reading import (
    UNREADABLE_WORKBOOK,
    ImportRefused,
    Rows,
    _cell,
    check_xlsx,
)
from peerprog.core.imports import (
    ERROR,
    NEW,
    UNCHANGED,
    UPDATE,
    Column,
    Importer,
    Report,
    RowError,
    RowReport,
    register,
)
from peerprog.core.models import PendingImport, Programme, User
from peerprog.core.services import DomainError
from peerprog.core.workbook_rows import SheetRow, cell

__all__ = [
    "NEW",
    "UNCHANGED",
    "UPDATE",
    "Book",
    "Field",
    "Sheet",
    "SheetRow",
    "load_book",
    "register_after_load",
    "register_sheet",
    "sheets",
]

WORKBOOK_IMPORTER = "programme_history"
# How often the progress page hears of the rows loaded.
PROGRESS_EVERY = 25


@dataclass(frozen=True)
class Field:
    """A column of a sheet: its key (the loader's name for it), its header
    as the template writes it, what to put in it and an example."""

    key: str
    header: str
    help: str
    required: bool = False
    example: str = ""
    # A column holding a sensitive fact (health, adjustments, a statement):
    # only roles that may read such facts may import it, and only they see
    # it in the preview or the export.
    sensitive: bool = False


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    # The journey's order: a sheet may refer to records earlier sheets make.
    order: int
    fields: tuple[Field, ...]
    load: Callable[[Book, SheetRow], None]
    dump: Callable[[Book], Iterable[dict[str, Any]]]
    # What one row is, in a few words: "One row per application."
    help: str = ""
    # The columns the preview shows to say which record a row is.
    shown: tuple[str, ...] = ()

    @property
    def importer_key(self) -> str:
        return f"history_{self.key}"

    def field(self, key: str) -> Field:
        for each in self.fields:
            if each.key == key:
                return each
        raise KeyError(key)


_sheets: dict[str, Sheet] = {}
_after_load: list[Callable[[Book], None]] = []


def register_sheet(sheet: Sheet) -> None:
    """Register a sheet, and the import of its kind of record on its own."""
    _sheets[sheet.key] = sheet
    register(
        Importer(
            key=sheet.importer_key,
            label=sheet.title,
            plan=_no_plan,
            columns=tuple(Column(f.header, f.help, f.required) for f in sheet.fields),
            preview_columns=(),
            runner=_runner(only=sheet.key),
        )
    )


def register_after_load(hook: Callable[[Book], None]) -> None:
    """Something to check or bring up to date once every row of a workbook
    has loaded (the retention snapshots of the months its events fall in,
    say), inside the import's transaction, in the preview as in the import.
    A hook refuses the workbook by raising ``DomainError`` in plain words."""
    if hook not in _after_load:
        _after_load.append(hook)


_cohort_people: list[Callable[[set[int]], Any]] = []


def register_cohort_people(find: Callable[[set[int]], Any]) -> None:
    """How the people of some cohorts are found (the app that owns
    applications knows): ``find(cohort_ids)`` gives their person ids, as a
    queryset of ``person_id`` values, for the kernel's own sheets."""
    if find not in _cohort_people:
        _cohort_people.append(find)


def cohort_people(book: Book) -> Any:
    """The person ids of the cohorts an export is limited to, or None for
    the whole programme."""
    if book.cohort_ids is None:
        return None
    if not _cohort_people:
        return []
    return _cohort_people[0](book.cohort_ids)


def sheets() -> list[Sheet]:
    return sorted(_sheets.values(), key=lambda sheet: sheet.order)


def get_sheet(key: str) -> Sheet:
    return _sheets[key]


def _no_plan(**kwargs: Any) -> None:
    raise NotImplementedError("A history import is run by its runner.")


class Book:
    """What loading or exporting a workbook knows: the programme, who is
    acting, and lookups by natural key that the rows of every sheet share
    (fetched once, kept up to date as rows make records)."""

    def __init__(
        self,
        *,
        programme: Programme,
        by: User,
        cohort_ids: Iterable[int] | None = None,
        write: bool = True,
    ) -> None:
        from peerprog.core.access import can_read_sensitive

        self.programme = programme
        self.by = by
        self.now = timezone.now()
        self.today = timezone.localdate()
        # Export only these cohorts' records (None: the whole programme).
        self.cohort_ids = None if cohort_ids is None else set(cohort_ids)
        self.write = write
        self.sensitive = can_read_sensitive(by)
        self.earliest: date | None = None
        self._cache: dict[str, dict[Any, Any]] = {}

    def lookup(self, kind: str, key: Any, find: Callable[[], Any]) -> Any:
        """The record of ``kind`` known by ``key``, found once."""
        table = self._cache.setdefault(kind, {})
        if key not in table:
            table[key] = find()
        return table[key]

    def remember(self, kind: str, key: Any, value: Any) -> None:
        self._cache.setdefault(kind, {})[key] = value

    def forget(self, kind: str) -> None:
        self._cache.pop(kind, None)

    def dated(self, day: date | None) -> None:
        """Note the day of an event loaded, so that what is kept by month
        (retention snapshots) is taken again from the earliest."""
        if day is not None and (self.earliest is None or day < self.earliest):
            self.earliest = day


# Reading.


def canonical_header(header: str) -> str:
    return " ".join(str(header).replace("_", " ").split()).lower()


def _sheet_lines(content: bytes, title: str) -> Iterator[Iterable[Any]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    try:
        sheet = workbook[title]
        if not hasattr(sheet, "reset_dimensions"):
            return
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _read_sheet(content: bytes, file_format: str, title: str | None) -> tuple[list[str], list]:
    """The header and (row number, cells) of a sheet, or of a CSV file."""
    if title is None:
        rows = Rows(content, file_format)
        return rows.headers, list(rows)
    lines: list[tuple[int, list[Any]]] = []
    headers: list[str] | None = None
    for number, line in enumerate(_sheet_lines(content, title), start=1):
        cells = [_cell(value) for value in line or ()]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if headers is None:
            headers = [str(value) for value in cells]
            continue
        lines.append((number, cells))
    return headers or [], lines


def _match_headers(sheet: Sheet, headers: list[str]) -> tuple[list[str | None], list[str]]:
    """Each header's field key (None for a column the sheet does not read),
    and the required columns that are missing."""
    by_header = {canonical_header(f.header): f.key for f in sheet.fields}
    by_header.update({canonical_header(f.key): f.key for f in sheet.fields})
    keys = [by_header.get(canonical_header(header)) for header in headers]
    missing = [f.header for f in sheet.fields if f.required and f.key not in keys]
    return keys, missing


# Loading.


class _Rollback(Exception):
    """Undo everything the preview loaded."""


def load_book(
    *,
    content: bytes,
    file_format: str,
    programme: Programme,
    by: User,
    write: bool,
    only: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Load a workbook (or one kind of record) into the programme.

    ``write=False`` is the preview: everything is loaded and rolled back.
    ``write=True`` commits only when every row loaded; otherwise it raises
    ``ImportRefused`` and writes nothing."""
    book = Book(programme=programme, by=by, write=write)
    report = Report(headers=["Record"], rows=[], file_errors=[], total=0)
    parts = _parts(content, file_format, only, report)
    total = sum(len(lines) for _, _, _, lines in parts)
    done = 0
    try:
        with transaction.atomic():
            for sheet, keys, _headers, lines in parts:
                for number, cells in lines:
                    row = SheetRow(number=number, data={})
                    row.sheet = sheet
                    for key, value in zip(keys, cells, strict=False):
                        if key is not None:
                            row.data[key] = value
                    _load_row(book, sheet, row)
                    report.rows.append(_row_report(book, sheet, row))
                    done += 1
                    if progress and done % PROGRESS_EVERY == 0:
                        progress(done, total)
            report.total = len(report.rows)
            if not report.total and not report.file_errors:
                report.file_errors.append(
                    RowError(0, "", "The workbook has no rows under its column names.")
                )
            if not report.errors:
                # Checks of the whole workbook, and what is kept by month,
                # in the preview too, so that it says what the import will.
                for hook in _after_load:
                    try:
                        with transaction.atomic():
                            hook(book)
                    except (DomainError, ValidationError) as error:
                        report.file_errors.append(RowError(0, "", plain(error)))
            if report.errors or not write:
                raise _Rollback
    except _Rollback:
        pass
    except IntegrityError:
        raise ImportRefused(
            "Nothing was imported: someone changed the same records while the workbook "
            "was being imported. Check the new preview, then import again."
        ) from None
    if write and report.errors:
        if report.file_errors:
            # A check of the whole workbook: say which.
            raise ImportRefused(f"Nothing was imported: {report.file_errors[0].message}")
        raise ImportRefused(
            "Nothing was imported: the workbook has errors. Correct them and upload it again."
        )
    if progress:
        progress(total, total)
    return report


def _parts(
    content: bytes, file_format: str, only: str | None, report: Report
) -> list[tuple[Sheet, list[str | None], list[str], list]]:
    """The sheets to load, in journey order, with their rows."""
    found: list[tuple[Sheet, list[str | None], list[str], list]] = []
    if only is not None or file_format != PendingImport.Format.XLSX:
        if only is None:
            raise ImportRefused(
                "A whole programme comes in an Excel workbook (.xlsx) with a sheet per kind "
                "of record. Download the template to see how it is laid out."
            )
        sheet = get_sheet(only)
        headers, lines = _read_sheet(content, file_format, None)
        keys, missing = _match_headers(sheet, headers)
        _missing(report, sheet, missing)
        found.append((sheet, keys, headers, lines))
        return found
    check_xlsx(content)
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
        titles = list(workbook.sheetnames)
        workbook.close()
    except Exception:
        raise ImportRefused(UNREADABLE_WORKBOOK) from None
    by_title = {sheet.title.lower(): sheet for sheet in sheets()}
    for title in titles:
        sheet = by_title.get(title.strip().lower())
        if sheet is None:
            if title.strip().lower() in ("read me", "readme", "notes"):
                continue
            names = ", ".join(f"“{each.title}”" for each in sheets())
            report.file_errors.append(
                RowError(
                    0,
                    "",
                    f"The workbook has a sheet called “{title}”, which is not one peerprog "
                    f"reads. Name each sheet as the template does ({names}), or remove it.",
                )
            )
            continue
        try:
            headers, lines = _read_sheet(content, file_format, title)
        except ImportRefused:
            raise
        except Exception:
            raise ImportRefused(UNREADABLE_WORKBOOK) from None
        keys, missing = _match_headers(sheet, headers)
        _missing(report, sheet, missing)
        found.append((sheet, keys, headers, lines))
    found.sort(key=lambda part: part[0].order)
    return found


def _missing(report: Report, sheet: Sheet, missing: list[str]) -> None:
    for header in missing:
        report.file_errors.append(
            RowError(0, "", f"The {sheet.title} sheet has no “{header}” column, which it needs.")
        )


def _load_row(book: Book, sheet: Sheet, row: SheetRow) -> None:
    if not book.sensitive:
        for each in sheet.fields:
            if each.sensitive and row.data.get(each.key) not in (None, ""):
                row.error(
                    each.header,
                    "Only a programme lead or HR may import this column. Leave it empty, or "
                    "ask one of them to import the file.",
                )
    if row.errors:
        return
    try:
        with transaction.atomic():
            sheet.load(book, row)
            if row.errors:
                raise _Rollback
    except _Rollback:
        pass
    except (DomainError, ValidationError, ValueError) as error:
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            row.errors_from(error, columns={f.key: f.header for f in sheet.fields})
        else:
            row.error("", plain(error))
    if row.errors:
        row.action = ERROR
    elif not row.action:
        row.action = UNCHANGED


def _row_report(book: Book, sheet: Sheet, row: SheetRow) -> RowReport:
    named = []
    for key in sheet.shown:
        value = row.data.get(key, "")
        if value not in (None, ""):
            named.append(str(cell(value)))
    for error in row.errors:
        error.sheet = sheet.title
    return RowReport(
        row=row.number,
        action=row.action,
        values=[", ".join(named)],
        errors=row.errors,
        # A new record's id is the preview's, rolled back: only the records a
        # row matched are compared when it is imported.
        match="" if row.action == NEW else row.match,
        sheet=sheet.title,
    )


def _runner(*, only: str | None) -> Callable[..., Report]:
    def run(
        pending: PendingImport,
        *,
        write: bool,
        progress: Callable[[int, int], None],
        against: dict[Any, tuple[str, str]] | None = None,
    ) -> Report:
        report = load_book(
            content=bytes(pending.content),
            file_format=pending.file_format,
            programme=pending.programme,
            by=pending.created_by,
            write=write,
            only=only,
            progress=progress,
        )
        return report

    return run


register(
    Importer(
        key=WORKBOOK_IMPORTER,
        label="A programme's history",
        plan=_no_plan,
        columns=(),
        preview_columns=(),
        runner=_runner(only=None),
    )
)


__all__ += ["WORKBOOK_IMPORTER", "cell", "get_sheet"]
