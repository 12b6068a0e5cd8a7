"""A programme's records written as the history workbook
(``peerprog.core.workbook``): the programme export, which imports again
changing nothing, and the empty templates each import page offers."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from peerprog.core.models import Programme, User
from peerprog.core.workbook import Book, Sheet, cell, get_sheet, sheets


def _write_sheet(workbook: Workbook, sheet: Sheet, rows: Iterable[dict[str, Any]], book: Book):
    fields = [f for f in sheet.fields if book.sensitive or not f.sensitive]
    worksheet = workbook.create_sheet(sheet.title)
    worksheet.append([f.header for f in fields])
    for index, each in enumerate(fields, start=1):
        worksheet.cell(row=1, column=index).font = Font(bold=True)
        worksheet.column_dimensions[get_column_letter(index)].width = max(12, len(each.header) + 2)
    worksheet.freeze_panes = "A2"
    for number, values in enumerate(rows, start=2):
        for column, each in enumerate(fields, start=1):
            value = cell(values.get(each.key))
            if value == "":
                continue
            target = worksheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                # Kept as text, never read as a formula or a link.
                target.data_type = "s"
            elif isinstance(value, date):
                target.number_format = "d mmmm yyyy"


def book_export(
    *, programme: Programme, by: User, cohort_ids: Iterable[int] | None = None
) -> bytes:
    """The programme's records as a workbook in the import's format."""
    book = Book(programme=programme, by=by, cohort_ids=cohort_ids, write=False)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets():
        _write_sheet(workbook, sheet, sheet.dump(book), book)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def book_template(*, by: User, only: str | None = None) -> bytes:
    """An empty workbook with every sheet's columns and an example row
    (one sheet when ``only`` names it)."""
    book = Book(programme=by.programme, by=by, write=False)
    workbook = Workbook()
    workbook.remove(workbook.active)
    chosen = [get_sheet(only)] if only else sheets()
    for sheet in chosen:
        _write_sheet(workbook, sheet, [{f.key: f.example for f in sheet.fields}], book)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
