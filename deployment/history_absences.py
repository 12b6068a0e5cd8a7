"""The Absences sheet of a programme's history workbook: one row per
absence of a peer worker from their post, with how it was covered.

Rows are loaded through ``absence_record`` (or ``absence_update`` for an
absence on record that the row changes), which keeps its checks: within
the person's time in that post, no overlap, reserve cover by someone on
the reserve list on the first day. The health category of a sickness
absence is special-category data: only a programme lead or HR may import
or export it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Q

from deployment import services
from deployment.history import (
    PERSON_FIELDS,
    appointments_in_scope,
    person_cells,
    person_find,
    post_find,
)
from deployment.models import Absence, AbsenceHealth, Appointment, ReserveEntry
from peerprog.core.models import Person
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE, Book, Field, Sheet, SheetRow

FIELDS = (
    *PERSON_FIELDS,
    Field(
        "position_number",
        "Position number",
        "The post they were absent from.",
        required=True,
        example="4101",
    ),
    Field(
        "starts_on",
        "From",
        "The first day of the absence.",
        required=True,
        example="2 September 2024",
    ),
    Field(
        "ends_on",
        "To",
        "The last day of the absence (empty while it goes on).",
        example="13 September 2024",
    ),
    Field(
        "kind",
        "Kind",
        "Sickness, Annual leave, Parental leave or Other leave.",
        required=True,
        example="Annual leave",
    ),
    Field(
        "health_category",
        "Health category",
        "For sickness: Mental health, Musculoskeletal, Other physical health, Injury at "
        "work or Not disclosed (seen by HR and leads only).",
        sensitive=True,
    ),
    Field(
        "cover",
        "Cover",
        "No cover (the default), Covered within the team, or A reserve peer worker.",
        example="Covered within the team",
    ),
    Field(
        "cover_email",
        "Covered by (e-mail)",
        "For reserve cover: the e-mail address of the reserve peer worker.",
    ),
)


def _appointment(person: Person, post: Any, starts_on: date) -> Appointment | None:
    return (
        Appointment.objects.filter(person=person, post=post, start_date__lte=starts_on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=starts_on))
        .exclude(status__in=(Appointment.Status.WITHDRAWN, Appointment.Status.OFFERED))
        .order_by("-start_date", "-pk")
        .first()
    )


def _reserve(book: Book, row: SheetRow, starts_on: date) -> ReserveEntry | None:
    email = row.email("cover_email")
    if not email:
        return None
    entry = (
        ReserveEntry.objects.filter(
            programme=book.programme,
            person__email__iexact=email,
            placed_on__lte=starts_on,
            stands_until__gte=starts_on,
        )
        .order_by("-placed_on", "-pk")
        .first()
    )
    if entry is None:
        row.error(
            "Covered by (e-mail)",
            f"No one with the e-mail {email} is on the reserve list on {starts_on:%-d %B %Y}.",
        )
    return entry


def load(book: Book, row: SheetRow) -> None:
    person = person_find(book, row)
    post = post_find(book, row, "position_number")
    starts_on = row.date("starts_on", required=True)
    ends_on = row.date("ends_on")
    kind = row.choice("kind", Absence.Kind.choices, required=True)
    health = row.choice("health_category", AbsenceHealth.Category.choices) or ""
    cover = row.choice("cover", Absence.Cover.choices) or Absence.Cover.NONE
    reserve = _reserve(book, row, starts_on) if starts_on else None
    if health and kind != Absence.Kind.SICKNESS:
        row.error("Health category", "Only a sickness absence has a health category.")
    if reserve is not None and cover != Absence.Cover.RESERVE:
        row.error("Cover", "Only reserve cover names a reserve peer worker.")
    if row.errors or person is None or post is None:
        return
    book.dated(starts_on)
    appointment = _appointment(person, post, starts_on)
    if appointment is None:
        row.error(
            "From",
            f"{person.display_name} was not in post {post.position_number} on "
            f"{starts_on:%-d %B %Y}. Their appointment comes from the Appointments sheet.",
        )
        return
    absence = (
        Absence.objects.filter(appointment=appointment, starts_on=starts_on)
        .select_related("health")
        .first()
    )
    values = {
        "kind": kind,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "cover": cover,
        "cover_reserve": reserve,
    }
    if absence is None:
        absence = services.absence_record(
            appointment=appointment, by=book.by, health_category=health, **values
        )
        row.action, row.match = NEW, str(absence.pk)
        return
    row.match = str(absence.pk)
    on_record = getattr(getattr(absence, "health", None), "category", "")
    same = all(getattr(absence, name) == value for name, value in values.items())
    # Someone who may not read health categories leaves them as they are.
    health_same = not book.sensitive or on_record == health
    if same and health_same:
        row.action = UNCHANGED
        return
    services.absence_update(
        absence=absence,
        by=book.by,
        health_category=health if book.sensitive else None,
        **values,
    )
    row.action = UPDATE


def dump(book: Book) -> Iterator[dict[str, Any]]:
    absences = (
        Absence.objects.filter(appointment__in=appointments_in_scope(book))
        .select_related("appointment__person", "appointment__post", "cover_reserve__person")
        .order_by("starts_on", "pk")
    )
    health: dict[int, str] = {}
    if book.sensitive:
        health = {
            h.absence_id: h.get_category_display()
            for h in AbsenceHealth.objects.filter(absence__in=absences)
        }
    for absence in absences:
        values: dict[str, Any] = {
            **person_cells(absence.appointment.person),
            "position_number": absence.appointment.post.position_number,
            "starts_on": absence.starts_on,
            "ends_on": absence.ends_on,
            "kind": absence.get_kind_display(),
            "health_category": health.get(absence.pk, ""),
            "cover": absence.get_cover_display(),
        }
        if absence.cover_reserve is not None:
            values["cover_email"] = absence.cover_reserve.person.email
        yield values


SHEET = Sheet(
    key="absences",
    title="Absences",
    order=65,
    fields=FIELDS,
    load=load,
    dump=dump,
    help="One row per absence of a peer worker in post.",
    shown=("email", "position_number", "starts_on"),
)
