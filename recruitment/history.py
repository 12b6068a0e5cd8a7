"""Recruitment's sheets of a programme's history workbook
(``peerprog.core.workbook``): the cohorts, then every application with the
day it reached each stage (``recruitment.history_applications``).

Rows are loaded through recruitment's own services with the days things
happened, so the timeline, the audit trail and the hand-over to training
are as if each move had been made on its day. Nothing is sent or queued:
no recruitment service e-mails on a move.

A cohort that has closed keeps only applications with an outcome. A
history may add past applications to it (the services' ``closed_ok``), and
once the workbook has loaded every such cohort is checked again, and the
cohorts the workbook closes are closed, so a closed cohort never holds an
open application.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from peerprog.core.imports import ImportRefused
from peerprog.core.workbook import (
    NEW,
    UNCHANGED,
    UPDATE,
    Book,
    Field,
    Sheet,
    SheetRow,
    register_after_load,
    register_sheet,
)
from recruitment import services
from recruitment.models import Application, Cohort

COHORTS = "cohorts"
COHORT = "recruitment.cohort"
COHORT_ROWS = "recruitment.cohort_rows"
# Cohorts the workbook closes once every sheet has loaded, and closed
# cohorts it added applications to.
TO_CLOSE = "recruitment.to_close"
CLOSED_TOUCHED = "recruitment.closed_touched"

COHORT_FIELDS = (
    Field(
        "name",
        "Cohort",
        "The cohort's name, as the other sheets call it. Each cohort once.",
        required=True,
        example="Cohort 1",
    ),
    Field(
        "applications_open",
        "Applications open",
        "The day applications opened, like 06/01/2025.",
        required=True,
        example="06/01/2025",
    ),
    Field(
        "applications_close",
        "Applications close",
        "The last day applications were taken.",
        required=True,
        example="28/02/2025",
    ),
    Field(
        "training_start",
        "Training starts",
        "The first day of the course.",
        required=True,
        example="07/04/2025",
    ),
    Field(
        "training_end",
        "Training ends",
        "The last day of the course. Empty: 12 weeks after it starts.",
        example="30/06/2025",
    ),
    Field(
        "capacity",
        "Capacity",
        "How many trainees the course could take.",
        required=True,
        example="12",
    ),
    Field(
        "status",
        "Status",
        "Planning, Recruiting, In training or Closed. A closed cohort's applications "
        "each need an outcome. Empty: worked out from the dates.",
        example="Closed",
    ),
)


def cohort_named(book: Book, name: str) -> Cohort | None:
    """The programme's cohort of this name (ignoring case), including one
    an earlier row of the workbook made."""
    key = " ".join(name.split()).lower()
    return book.lookup(
        COHORT,
        key,
        lambda: Cohort.objects.filter(programme=book.programme, name__iexact=key).first(),
    )


def note_closed_touched(book: Book, cohort: Cohort) -> None:
    book.lookup(CLOSED_TOUCHED, None, set).add(cohort.pk)


def _status_from_dates(today: date, opens: date, starts: date) -> str:
    if today < opens:
        return Cohort.Status.PLANNING
    if today < starts:
        return Cohort.Status.RECRUITING
    return Cohort.Status.IN_TRAINING


def load_cohort(book: Book, row: SheetRow) -> None:
    name = row.text("name", required=True, max_length=200)
    opens = row.date("applications_open", required=True)
    closes = row.date("applications_close", required=True)
    starts = row.date("training_start", required=True)
    ends = row.date("training_end")
    capacity = row.whole("capacity", required=True)
    status = row.choice("status", Cohort.Status.choices)
    if row.errors:
        return
    assert opens and closes and starts and capacity is not None
    seen = book.lookup(COHORT_ROWS, name.lower(), lambda: row.number)
    if seen != row.number:
        row.error("Cohort", f"This cohort is also on row {seen}. Keep one row per cohort.")
        return
    cohort = cohort_named(book, name)
    if cohort is None:
        cohort = services.cohort_create(
            programme=book.programme,
            by=book.by,
            name=name,
            applications_open=opens,
            applications_close=closes,
            training_start=starts,
            training_end=ends,
            capacity=capacity,
            status=status or _status_from_dates(book.today, opens, starts),
        )
        row.action = NEW
        book.dated(opens)
    else:
        wanted: dict[str, Any] = {
            "applications_open": opens,
            "applications_close": closes,
            "training_start": starts,
            "capacity": capacity,
        }
        if ends is not None:
            wanted["training_end"] = ends
        if status:
            wanted["status"] = status
        changed = {key: value for key, value in wanted.items() if getattr(cohort, key) != value}
        if (
            changed.get("status") == Cohort.Status.CLOSED
            and cohort.applications.filter(stage__in=services.OPEN_STAGES).exists()
        ):
            # Its open applications may get their outcomes on the
            # Applications sheet: close it once every sheet has loaded.
            del changed["status"]
            book.lookup(TO_CLOSE, None, set).add(cohort.pk)
            row.action = UPDATE
        if changed:
            cohort = services.cohort_update(cohort=cohort, by=book.by, **changed)
            row.action = UPDATE
            book.dated(min(opens, cohort.applications_open))
        if not row.action:
            row.action = UNCHANGED
    book.remember(COHORT, name.lower(), cohort)
    row.match = str(cohort.pk)


def dump_cohorts(book: Book) -> Iterator[dict[str, Any]]:
    cohorts = Cohort.objects.filter(programme=book.programme)
    if book.cohort_ids is not None:
        cohorts = cohorts.filter(pk__in=book.cohort_ids)
    for cohort in cohorts.order_by("training_start", "name", "pk"):
        yield {
            "name": cohort.name,
            "applications_open": cohort.applications_open,
            "applications_close": cohort.applications_close,
            "training_start": cohort.training_start,
            "training_end": cohort.training_end,
            "capacity": cohort.capacity,
            "status": cohort.get_status_display(),
        }


def close_after_load(book: Book) -> None:
    """Close the cohorts the workbook closes, and make sure no closed cohort
    it added to holds an open application."""
    for pk in sorted(book.lookup(TO_CLOSE, None, set)):
        cohort = Cohort.objects.get(pk=pk)
        if cohort.status == Cohort.Status.CLOSED:
            continue
        try:
            services.cohort_close(cohort=cohort, by=book.by)
        except services.RecruitmentError as error:
            raise ImportRefused(
                f"Nothing was imported. The Cohorts sheet closes {cohort.name}, but "
                f"{error.message[0].lower()}{error.message[1:]}"
            ) from None
    touched = book.lookup(CLOSED_TOUCHED, None, set) | book.lookup(TO_CLOSE, None, set)
    still_open = (
        Application.objects.filter(
            cohort_id__in=touched,
            cohort__status=Cohort.Status.CLOSED,
            stage__in=services.OPEN_STAGES,
        )
        .select_related("person", "cohort")
        .order_by("cohort__training_start", "person__last_name", "person__first_name")
    )
    names = [f"{a.person.display_name} ({a.cohort.name})" for a in still_open[:5]]
    if names:
        raise ImportRefused(
            "Nothing was imported: a closed cohort cannot hold an open application, and "
            f"these would be open: {', '.join(names)}. Give each a row on the Applications "
            "sheet with its outcome (accepted, unsuccessful, withdrawn or deferred)."
        )


def register() -> None:
    from recruitment.history_applications import APPLICATIONS_SHEET

    register_sheet(
        Sheet(
            key=COHORTS,
            title="Cohorts",
            order=10,
            fields=COHORT_FIELDS,
            load=load_cohort,
            dump=dump_cohorts,
            help="One row per cohort: an intake of the training course.",
            shown=("name",),
        )
    )
    register_sheet(APPLICATIONS_SHEET)
    register_after_load(close_after_load)
