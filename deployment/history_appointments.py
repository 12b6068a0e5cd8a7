"""The Appointments sheet of a programme's history workbook: one row per
appointment of a person to a peer worker post, from offer to first day,
transfer or leaving.

A row is loaded as HR would have recorded it: the offer
(``appointment_create``, unless the recruitment day's decision made it),
the four pre-employment checks cleared on the day given (the start when
empty), the start confirmed on its day (never before the person's
portfolio pass, nor before the checks), and the leaving with its day and
reason. A move to another post is a transfer (``appointment_transfer``),
not a leaver: the row of the new post names the post moved from, and its
start is the first day there. A start in the future is a planned start of
an offer still under way.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F

from deployment import services
from deployment.exports import HIDDEN_REASON
from deployment.history import (
    PERSON_FIELDS,
    appointments_in_scope,
    person_cells,
    person_find,
    post_find,
)
from deployment.models import Appointment, LeavingReason, PreEmploymentCheck
from deployment.models.appointments import FULL_TIME_HOURS
from peerprog.core.models import Person
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE, Book, Field, Sheet, SheetRow

FIELDS = (
    *PERSON_FIELDS,
    Field(
        "position_number", "Position number", "The peer worker post.", required=True, example="4101"
    ),
    Field(
        "start_date",
        "Start date",
        "The first day in post (in the new post, for a transfer). A day still to come is "
        "the start planned for an offer.",
        example="1 June 2024",
    ),
    Field(
        "checks_cleared_on",
        "Checks cleared on",
        "The day the pre-employment checks were all cleared (the start date when empty).",
        example="20 May 2024",
    ),
    Field(
        "wte",
        "Hours (WTE)",
        "Contracted hours as whole-time equivalent (the post's when empty).",
        example="0.6",
    ),
    Field(
        "lead",
        "Lead",
        "Yes for a Lead LXP appointment (a Lead LXP post's when empty).",
        example="No",
    ),
    Field(
        "transferred_from",
        "Transferred from",
        "For a move from another peer worker post: that post's position number. Its "
        "appointment's row comes above this one.",
    ),
    Field("left_on", "Left on", "The last day in post, for a leaver."),
    Field(
        "leaving_reason",
        "Leaving reason",
        "For a leaver: the reason, as the programme's list words it.",
    ),
)


def _hours(wte: Decimal | None) -> Decimal | None:
    if wte is None:
        return None
    return (wte * FULL_TIME_HOURS).quantize(Decimal("0.1"))


def _reason(book: Book, row: SheetRow, text: str) -> LeavingReason | str | None:
    """The leaving reason named, or HIDDEN_REASON as an export for someone
    who may not read health-related reasons writes it."""
    if not text:
        return None
    if text.lower() == HIDDEN_REASON.lower():
        return HIDDEN_REASON
    services.leaving_reasons_ensure_defaults(programme=book.programme, by=book.by)
    reason = LeavingReason.objects.filter(
        programme=book.programme, label__iexact=text, is_archived=False
    ).first()
    if reason is None:
        labels = LeavingReason.objects.filter(programme=book.programme, is_archived=False)
        words = ", ".join(f"“{r.label}”" for r in labels.order_by("order", "pk"))
        row.error("Leaving reason", f"“{text}” is not one of {words}.")
        return None
    if reason.reveals_health and not book.sensitive:
        row.error(
            "Leaving reason",
            "Only a programme lead or HR may import a health-related leaving reason.",
        )
        return None
    return reason


def _existing(person: Person, post: Any, start: date | None) -> Appointment | None:
    appointments = list(
        Appointment.objects.filter(person=person, post=post)
        .exclude(status=Appointment.Status.WITHDRAWN)
        .select_related("leaving_reason", "transferred_from__post")
        .order_by("-pk")
    )
    started = [a for a in appointments if a.status != Appointment.Status.OFFERED]
    for appointment in started:
        if start is not None and appointment.start_date == start:
            return appointment
    return next((a for a in appointments if a.is_active), None)


def load(book: Book, row: SheetRow) -> None:
    person = person_find(book, row)
    post = post_find(book, row, "position_number")
    start = row.date("start_date")
    cleared_on = row.date("checks_cleared_on")
    # Through the class: ``row.number`` is the row's number.
    wte = row.decimal("wte")
    lead = row.yes_no("lead")
    from_number = row.text("transferred_from", max_length=40)
    left_on = row.date("left_on")
    reason = _reason(book, row, row.text("leaving_reason"))
    if wte is not None and not Decimal("0") < wte <= Decimal("1"):
        row.error("Hours (WTE)", "Hours (WTE) must be more than 0 and at most 1, like 0.6.")
    if (left_on or from_number) and start is None:
        row.error("Start date", "Give the first day in post.")
    if start is not None and start > book.today and (left_on or from_number):
        row.error("Start date", "A transfer or a leaver starts on a day already past.")
    if left_on and reason is None and not row.errors:
        row.error("Leaving reason", "Give the reason for leaving.")
    if reason is not None and left_on is None:
        row.error("Left on", "Give the last day in post.")
    if row.errors or person is None or post is None:
        return
    for day in (start, cleared_on, left_on):
        book.dated(day)
    appointment = _existing(person, post, start)
    if appointment is None:
        appointment = _make(book, row, person, post, start, cleared_on, from_number)
        if appointment is None:
            return
        row.action = NEW
    else:
        row.action = UNCHANGED
        if not _bring_on(book, row, appointment, start, cleared_on, from_number):
            return
        appointment.refresh_from_db()
    row.match = str(appointment.pk)
    _terms(book, row, appointment, _hours(wte), lead)
    if not row.errors:
        _leaving(book, row, appointment, left_on, reason)


def _make(
    book: Book,
    row: SheetRow,
    person: Person,
    post: Any,
    start: date | None,
    cleared_on: date | None,
    from_number: str,
) -> Appointment | None:
    if from_number:
        old = (
            Appointment.objects.filter(
                person=person,
                post__position_number__iexact=from_number,
                status=Appointment.Status.IN_POST,
            )
            .order_by("-pk")
            .first()
        )
        if old is None:
            row.error(
                "Transferred from",
                f"{person.display_name} is not in post {from_number} on record. Put the row of "
                "the appointment they moved from above this one.",
            )
            return None
        return services.appointment_transfer(
            appointment=old, to_post=post, first_day=start, by=book.by
        )
    appointment = services.appointment_create(person=person, post=post, by=book.by)
    _start(book, appointment, start, cleared_on)
    return appointment


def _start(book: Book, appointment: Appointment, start: date | None, cleared: date | None) -> None:
    """Clear the checks and confirm a start already past; plan one to come."""
    if start is None:
        return
    if start > book.today:
        services.appointment_plan_start(appointment=appointment, start_date=start, by=book.by)
        return
    cleared = cleared or start
    for check in appointment.checks.order_by("kind"):
        if check.status == PreEmploymentCheck.Status.CLEARED:
            continue
        requested = (
            check.requested_on if check.requested_on and check.requested_on <= cleared else cleared
        )
        services.check_update(
            check=check,
            status=PreEmploymentCheck.Status.CLEARED,
            requested_on=requested,
            completed_on=cleared,
            by=book.by,
        )
    services.appointment_confirm_start(appointment=appointment, start_date=start, by=book.by)


def _bring_on(
    book: Book,
    row: SheetRow,
    appointment: Appointment,
    start: date | None,
    cleared_on: date | None,
    from_number: str,
) -> bool:
    """An appointment on record: an offer started or planned as the row
    says; one started elsewhere is checked against the row."""
    if appointment.status == Appointment.Status.OFFERED:
        if start is not None and start <= book.today:
            _start(book, appointment, start, cleared_on)
            row.action = UPDATE
        elif start is not None and start != appointment.start_date:
            services.appointment_plan_start(appointment=appointment, start_date=start, by=book.by)
            row.action = UPDATE
        return True
    if start != appointment.start_date:
        row.error(
            "Start date",
            f"{appointment.person.display_name} is on record as starting in post "
            f"{appointment.post.position_number} on {appointment.start_date:%-d %B %Y}; a "
            "start cannot be changed from a file.",
        )
        return False
    moved_from = appointment.transferred_from
    on_record = moved_from.post.position_number if moved_from else ""
    if from_number.lower() != on_record.lower():
        row.error(
            "Transferred from",
            f"On record, {appointment.person.display_name} "
            + (f"moved from post {on_record}." if on_record else "did not move from another post.")
            + " That cannot be changed from a file.",
        )
        return False
    return True


def _terms(
    book: Book, row: SheetRow, appointment: Appointment, hours: Decimal | None, lead: bool | None
) -> None:
    changes: dict[str, Any] = {}
    if hours is not None and hours != appointment.hours_per_week:
        changes["hours_per_week"] = hours
        changes["contract"] = (
            Appointment.Contract.FULL_TIME
            if hours >= FULL_TIME_HOURS
            else Appointment.Contract.PART_TIME
        )
    if lead is not None and lead != appointment.is_lead_lxp:
        changes["is_lead_lxp"] = lead
    if not changes:
        return
    if not appointment.is_active:
        row.error(
            "Hours (WTE)" if "hours_per_week" in changes else "Lead",
            "This appointment has ended and is kept as it was; its terms cannot be changed.",
        )
        return
    services.appointment_update(appointment=appointment, by=book.by, **changes)
    if row.action == UNCHANGED:
        row.action = UPDATE


def _leaving(
    book: Book,
    row: SheetRow,
    appointment: Appointment,
    left_on: date | None,
    reason: LeavingReason | str | None,
) -> None:
    appointment.refresh_from_db()
    if appointment.status == Appointment.Status.LEFT:
        same_reason = reason == HIDDEN_REASON and appointment.leaving_reason.reveals_health
        same_reason = same_reason or reason == appointment.leaving_reason
        if left_on != appointment.ended_on or not same_reason:
            row.error(
                "Left on",
                f"{appointment.person.display_name} is on record as leaving on "
                f"{appointment.ended_on:%-d %B %Y}; a leaver cannot be changed from a file.",
            )
        return
    if left_on is None:
        return
    if not isinstance(reason, LeavingReason):
        row.error("Leaving reason", "Name the reason for leaving as the programme's list does.")
        return
    services.appointment_leave(appointment=appointment, last_day=left_on, reason=reason, by=book.by)
    if row.action == UNCHANGED:
        row.action = UPDATE


def _wte(hours: Decimal) -> Decimal:
    return (hours / FULL_TIME_HOURS).quantize(Decimal("0.01"))


def dump(book: Book) -> Iterator[dict[str, Any]]:
    appointments = (
        appointments_in_scope(book)
        .exclude(status=Appointment.Status.WITHDRAWN)
        .select_related("person", "post", "leaving_reason", "transferred_from__post")
        .prefetch_related("checks")
        .order_by(F("start_date").asc(nulls_last=True), "pk")
    )
    for appointment in appointments:
        values: dict[str, Any] = {
            **person_cells(appointment.person),
            "position_number": appointment.post.position_number,
            "start_date": appointment.start_date,
            "wte": _wte(appointment.hours_per_week),
            "lead": appointment.is_lead_lxp,
        }
        checks = list(appointment.checks.all())
        if checks and all(c.status == PreEmploymentCheck.Status.CLEARED for c in checks):
            values["checks_cleared_on"] = max(c.completed_on for c in checks if c.completed_on)
        if appointment.transferred_from_id:
            values["transferred_from"] = appointment.transferred_from.post.position_number
        if appointment.status == Appointment.Status.LEFT:
            reason = appointment.leaving_reason
            values["left_on"] = appointment.ended_on
            values["leaving_reason"] = (
                HIDDEN_REASON if reason.reveals_health and not book.sensitive else reason.label
            )
        yield values


SHEET = Sheet(
    key="appointments",
    title="Appointments",
    order=60,
    fields=FIELDS,
    load=load,
    dump=dump,
    help="One row per appointment to a peer worker post. A move to another post is the "
    "new post's row, naming the post moved from.",
    shown=("email", "position_number", "start_date"),
)
