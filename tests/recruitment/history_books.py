"""Building and loading history workbooks of recruitment's sheets in tests."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from openpyxl import Workbook

from peerprog.core.imports import Report
from peerprog.core.models import Programme, Role, User
from peerprog.core.workbook import Book, get_sheet, load_book
from tests.core.factories import UserFactory


def workbook(sheets: dict[str, Iterable[dict[str, Any]]]) -> bytes:
    """A workbook with a worksheet per sheet key, its rows given by field key."""
    book = Workbook()
    book.remove(book.active)
    for key, rows in sheets.items():
        sheet = get_sheet(key)
        worksheet = book.create_sheet(sheet.title)
        worksheet.append([field.header for field in sheet.fields])
        for row in rows:
            worksheet.append([_cell(row.get(field.key)) for field in sheet.fields])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def load(content: bytes, *, programme: Programme, by: User, write: bool = True) -> Report:
    return load_book(content=content, file_format="xlsx", programme=programme, by=by, write=write)


def dumped(
    key: str, *, programme: Programme, by: User, cohort_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """A sheet's rows as the programme export writes them for ``by``."""
    book = Book(programme=programme, by=by, cohort_ids=cohort_ids, write=False)
    fields = [f for f in get_sheet(key).fields if book.sensitive or not f.sensitive]
    return [{f.key: row.get(f.key) for f in fields} for row in get_sheet(key).dump(book)]


def lead_of(programme: Programme, name: str = "lead") -> User:
    return UserFactory(
        email=f"{name}@{programme.pk}.example.org",
        programme=programme,
        roles=[Role.PROGRAMME_LEAD],
    )


def admin_of(programme: Programme) -> User:
    return UserFactory(
        email=f"admin@{programme.pk}.example.org", programme=programme, roles=[Role.ADMIN]
    )


def actions(report: Report) -> list[str]:
    return [row.action for row in report.rows]


def errors(report: Report) -> list[str]:
    return [str(error) for error in report.errors]
