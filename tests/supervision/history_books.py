"""Helpers for the tests of supervision's history sheets: a workbook built
from rows, loading it, and counting what is stored."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook, load_workbook

from peerprog.core.imports import Report
from peerprog.core.models import Notification, Programme, Reminder, User
from peerprog.core.outbox.models import OutboxEmail
from peerprog.core.workbook import load_book
from peerprog.core.workbook_export import book_export
from supervision.models import (
    MentorAssignment,
    MentorMeeting,
    MentorProfile,
    SupervisionAssignment,
    SupervisionAttendance,
    SupervisionSession,
)


def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook with a sheet per title: its first row the headers."""
    book = Workbook()
    book.remove(book.active)
    for title, lines in sheets.items():
        sheet = book.create_sheet(title)
        for line in lines:
            sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load(
    content: bytes, *, programme: Programme, by: User, write: bool = True, only: str | None = None
) -> Report:
    return load_book(
        content=content,
        file_format="xlsx",
        programme=programme,
        by=by,
        write=write,
        only=only,
    )


def actions(report: Report, sheet: str | None = None) -> list[str]:
    return [row.action for row in report.rows if sheet is None or row.sheet == sheet]


MODELS = (
    User,
    MentorProfile,
    MentorAssignment,
    MentorMeeting,
    SupervisionAssignment,
    SupervisionSession,
    SupervisionAttendance,
)


def stored() -> dict[str, int]:
    """How many of each record, and of each one's history rows."""
    counts: dict[str, int] = {}
    for model in MODELS:
        counts[model.__name__] = model.objects.count()
        counts[f"{model.__name__} history"] = model.history.count()
    return counts


def sent() -> dict[str, int]:
    return {
        "e-mails": OutboxEmail.objects.count(),
        "reminders": Reminder.objects.count(),
        "notifications": Notification.objects.count(),
    }


def exported(
    *, programme: Programme, by: User, cohort_ids: Iterable[int] | None, titles: list[str]
):
    """The export of the cohorts, with only the sheets named kept."""
    content = book_export(programme=programme, by=by, cohort_ids=cohort_ids)
    book = load_workbook(io.BytesIO(content))
    for title in list(book.sheetnames):
        if title not in titles:
            del book[title]
    out = io.BytesIO()
    book.save(out)
    rows = {title: list(book[title].iter_rows(values_only=True)) for title in titles}
    return out.getvalue(), rows


def plain(rows: list[tuple]) -> list[tuple]:
    """Exported rows with dates as dates and empty cells as None."""
    out = []
    for row in rows:
        out.append(
            tuple(
                value.date() if hasattr(value, "date") and callable(value.date) else value
                for value in row
            )
        )
    return out
