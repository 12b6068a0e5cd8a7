"""The reasonable adjustments people asked for, as a sheet of a programme
workbook (``peerprog.core.workbook``), after the applications that bring
the people in. What was asked for may describe health: only leads and HR
import or export this sheet's columns, and the preview names the person
only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from peerprog.core.models import Person, ReasonableAdjustment
from peerprog.core.services import adjustment_create, adjustment_update
from peerprog.core.workbook import (
    NEW,
    UNCHANGED,
    UPDATE,
    Book,
    Field,
    Sheet,
    cohort_people,
    register_sheet,
)
from peerprog.core.workbook_rows import SheetRow

FIELDS = (
    Field(
        "email",
        "E-mail",
        "The person's e-mail address, as on their application.",
        True,
        "mina.rahman@example.org",
    ),
    Field(
        "kind",
        "Kind",
        "Times and breaks, Materials and formats, Venue and access, Communication, "
        "Support from another person, or Other.",
        True,
        "Times and breaks",
    ),
    Field(
        "request",
        "What was asked for and why",
        "In the person's words. May describe health: leads and HR only.",
        True,
        "A later start, because of morning medication",
        sensitive=True,
    ),
    Field(
        "practical_note",
        "What organisers need to do",
        "In words that reveal no health details: facilitators and organisers see this.",
        True,
        "Start interviews after 11am",
        sensitive=True,
    ),
    Field("active", "Active", "Yes, or No for an adjustment no longer needed.", example="Yes"),
)


def load(book: Book, row: SheetRow) -> None:
    email = row.email("email", required=True)
    kind = row.choice("kind", ReasonableAdjustment.Kind.choices, required=True)
    request = row.long_text("request")
    note = row.text("practical_note", required=True, max_length=200)
    active = row.yes_no("active", default=True)
    if not request:
        row.error("What was asked for and why", "This is required.")
    if row.errors:
        return
    person = book.lookup(
        "person",
        email,
        lambda: Person.objects.filter(programme=book.programme, email__iexact=email).first(),
    )
    if person is None:
        row.error(
            "E-mail",
            f"Nobody in the programme has the e-mail {email}. Bring their application in "
            "first (the Applications sheet).",
        )
        return
    same = ReasonableAdjustment.objects.filter(person=person, kind=kind, request=request).first()
    if same is None:
        same = adjustment_create(
            person=person, by=book.by, kind=kind, request=request, practical_note=note,
            is_active=active,
        )  # fmt: skip
        row.action = NEW
    elif (same.practical_note, same.is_active) != (note, active):
        same = adjustment_update(adjustment=same, by=book.by, practical_note=note, is_active=active)
        row.action = UPDATE
    else:
        row.action = UNCHANGED
    row.match = str(same.pk)


def dump(book: Book) -> Iterable[dict[str, Any]]:
    adjustments = ReasonableAdjustment.objects.filter(person__programme=book.programme)
    people = cohort_people(book)
    if people is not None:
        adjustments = adjustments.filter(person_id__in=people)
    for adjustment in adjustments.select_related("person").order_by("person__email", "pk"):
        if not adjustment.person.email:
            continue
        yield {
            "email": adjustment.person.email,
            "kind": adjustment.get_kind_display(),
            "request": adjustment.request,
            "practical_note": adjustment.practical_note,
            "active": adjustment.is_active,
        }


def register() -> None:
    register_sheet(
        Sheet(
            key="adjustments",
            title="Adjustments",
            order=25,
            fields=FIELDS,
            load=load,
            dump=dump,
            help="One row per reasonable adjustment a person asked for.",
            shown=("email",),
        )
    )
