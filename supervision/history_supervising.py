"""The supervision sheets of the history workbook: who supervised each peer
worker in post (with a cover supervisor and an agreed frequency) from when
to when, and the sessions they held, loaded through supervision's own
services with the day each happened."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from peerprog.core.models import Person, Role
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE, Book, Field, Sheet, SheetRow
from supervision import services
from supervision.history import (
    joined,
    may_write_notes,
    notes_refused,
    people_named,
    people_of_cohorts,
    person_named,
    staff_member,
)
from supervision.models import SupervisionAssignment, SupervisionSession
from supervision.models.supervising import Frequency

# Supervisor assignments


def load_supervision(book: Book, row: SheetRow) -> None:
    started_on = row.date("started_on", required=True)
    ended_on = row.date("ended_on")
    reason = row.text("end_reason", max_length=200)
    frequency = row.choice("frequency", Frequency.choices)
    person = person_named(book, row, "email")
    supervisor, _ = staff_member(
        book, row, "supervisor_email", role=Role.SUPERVISOR, name=row.text("supervisor_name")
    )
    cover, _ = staff_member(
        book,
        row,
        "cover_email",
        role=Role.SUPERVISOR,
        name=row.text("cover_name"),
        required=False,
    )
    if row.errors or person is None or supervisor is None or started_on is None:
        return
    if ended_on is not None and ended_on < started_on:
        row.error(row.header("ended_on"), "A supervision cannot end before it started.")
        return
    frequency = int(frequency or Frequency.FOUR_WEEKLY)
    book.dated(started_on)
    book.dated(ended_on)
    assignment = SupervisionAssignment.objects.filter(
        person=person, supervisor=supervisor, started_on=started_on
    ).first()
    if assignment is not None:
        row.match = str(assignment.pk)
        if (assignment.cover_supervisor_id, assignment.frequency_days) != (
            cover.pk if cover else None,
            frequency,
        ):
            row.error(
                "",
                "This supervision is recorded with another cover supervisor or frequency: "
                "change it on the supervision page, not by import.",
            )
            return
        if assignment.ended_on == ended_on and (not reason or reason == assignment.end_reason):
            row.action = UNCHANGED
            return
        if assignment.ended_on is None and ended_on is not None:
            services.supervision_end(
                assignment=assignment, by=book.by, reason=reason or "Ended", on=ended_on
            )
            row.action = UPDATE
            return
        recorded = (
            f"ended on {assignment.ended_on:%-d %B %Y}" if assignment.ended_on else "not ended"
        )
        row.error(
            row.header("ended_on"),
            f"This supervision is recorded as {recorded}: change it on the supervision page, "
            "not by import.",
        )
        return
    assignment = services.supervision_assign(
        person=person,
        supervisor=supervisor,
        cover_supervisor=cover,
        frequency_days=frequency,
        by=book.by,
        accept_warnings=True,
        on=started_on,
    )
    if ended_on is not None:
        assignment = services.supervision_end(
            assignment=assignment,
            by=book.by,
            reason=reason or "The supervision ended",
            on=ended_on,
        )
    row.action = NEW
    row.match = str(assignment.pk)


def dump_supervision(book: Book) -> Iterator[dict[str, Any]]:
    assignments = SupervisionAssignment.objects.filter(person__programme=book.programme)
    people = people_of_cohorts(book)
    if people is not None:
        assignments = assignments.filter(person_id__in=people)
    rows = assignments.select_related("person", "supervisor", "cover_supervisor").order_by(
        "person__last_name", "person__first_name", "person_id", "started_on", "pk"
    )
    for assignment in rows:
        cover = assignment.cover_supervisor
        yield {
            "email": assignment.person.email,
            "supervisor_email": assignment.supervisor.email,
            "supervisor_name": assignment.supervisor.full_name,
            "cover_email": cover.email if cover else "",
            "cover_name": cover.full_name if cover else "",
            "frequency": assignment.get_frequency_days_display(),
            "started_on": assignment.started_on,
            "ended_on": assignment.ended_on,
            "end_reason": assignment.end_reason,
        }


# Supervision sessions


def _same_session(
    book: Book, *, supervisor: Any, held_on: Any, kind: str, people: list[Person]
) -> tuple[SupervisionSession | None, list[Person]]:
    """The session the row records, if the programme has it, and those of
    the row's people who are not yet recorded as attending it."""
    wanted = {person.pk for person in people}
    best: tuple[SupervisionSession | None, list[Person]] = (None, people)
    candidates = SupervisionSession.objects.filter(
        programme=book.programme, led_by=supervisor, held_on=held_on, kind=kind
    ).order_by("pk")
    for session in candidates:
        attending = set(session.attendance.values_list("person_id", flat=True))
        missing = [person for person in people if person.pk not in attending]
        if not missing:
            return session, []
        # An individual session is with its one person; a group session
        # gains the row's people who are missing from it.
        if kind == SupervisionSession.Kind.GROUP and (wanted & attending or best[0] is None):
            best = (session, missing)
    if kind == SupervisionSession.Kind.GROUP:
        return best
    return None, people


def load_session(book: Book, row: SheetRow) -> None:
    held_on = row.date("held_on", required=True)
    kind = row.choice("kind", SupervisionSession.Kind.choices)
    minutes = row.whole("minutes", required=True)
    values: dict[str, Any] = {
        "keeping_well": row.yes_no("keeping_well", default=False),
        "developing_role": row.yes_no("developing_role", default=False),
        "after_challenging_event": row.yes_no("after_challenging_event", default=False),
        "minutes": minutes,
    }
    notes = row.long_text("notes")
    summary = row.long_text("shared_summary")
    notes_refused(book, row, "notes", "shared_summary")
    people = people_named(book, row, "email")
    supervisor, _ = staff_member(book, row, "supervisor_email", role=Role.SUPERVISOR)
    if row.errors or not people or supervisor is None or held_on is None:
        return
    if kind is None:
        several = len(people) > 1
        kind = SupervisionSession.Kind.GROUP if several else SupervisionSession.Kind.INDIVIDUAL
    book.dated(held_on)
    if notes:
        values["notes"] = notes
    if summary:
        values["shared_summary"] = summary
    session, missing = _same_session(
        book, supervisor=supervisor, held_on=held_on, kind=kind, people=people
    )
    if session is not None:
        row.match = str(session.pk)
        changed = {k: v for k, v in values.items() if getattr(session, k) != v}
        if not changed and not missing:
            row.action = UNCHANGED
            return
        attendees = list(session.attendees.all()) + missing
        services.supervision_session_update(
            session=session, by=book.by, supervisor=supervisor, attendees=attendees, **changed
        )
        row.action = UPDATE
        return
    if kind == SupervisionSession.Kind.GROUP and len(people) < 2:
        row.error(
            row.header("email"),
            "A group session is with two or more peer workers: write the e-mail addresses of "
            "everyone who attended, separated by semicolons.",
        )
        return
    session, _ = services.supervision_session_record(
        by=book.by,
        supervisor=supervisor,
        form_token=uuid.uuid4(),
        kind=kind,
        attendees=people,
        held_on=held_on,
        **values,
    )
    row.action = NEW
    row.match = str(session.pk)


def dump_sessions(book: Book) -> Iterator[dict[str, Any]]:
    sessions = SupervisionSession.objects.filter(programme=book.programme)
    people = people_of_cohorts(book)
    if people is not None:
        sessions = sessions.filter(attendance__person_id__in=people).distinct()
    in_scope = None if people is None else set(people.values_list("person_id", flat=True))
    with_notes = may_write_notes(book.by)
    rows = (
        sessions.select_related("led_by")
        .prefetch_related("attendance__person")
        .order_by("held_on", "led_by__full_name", "kind", "pk")
    )
    for session in rows:
        emails = [
            each.person.email
            for each in session.attendance.all()
            if in_scope is None or each.person_id in in_scope
        ]
        yield {
            "email": joined(emails),
            "supervisor_email": session.led_by.email,
            "held_on": session.held_on,
            "kind": session.get_kind_display(),
            "minutes": session.minutes,
            "keeping_well": session.keeping_well,
            "developing_role": session.developing_role,
            "after_challenging_event": session.after_challenging_event,
            "shared_summary": session.shared_summary if with_notes else "",
            "notes": session.notes if with_notes else "",
        }


def register() -> None:
    from peerprog.core.workbook import register_sheet

    person = Field(
        "email",
        "Person e-mail",
        "The peer worker's e-mail address.",
        True,
        "ada@example.org",
    )
    register_sheet(
        Sheet(
            key="supervision",
            title="Supervisor assignments",
            order=70,
            help="One row per supervision: a peer worker in post, their supervisor (and "
            "cover) from one day to another.",
            shown=("email", "supervisor_email"),
            fields=(
                person,
                Field(
                    "supervisor_email",
                    "Supervisor e-mail",
                    "A member of staff with the Supervisor role. Someone the programme does "
                    "not have yet is added with that role (and sets a password through "
                    "“Forgotten your password?”; nothing is sent) when their name is given.",
                    True,
                    "sam.rivers@example.org",
                ),
                Field(
                    "supervisor_name",
                    "Supervisor name",
                    "Their full name: needed only to add them.",
                    example="Sam Rivers",
                ),
                Field(
                    "cover_email",
                    "Cover supervisor e-mail",
                    "Optional: who supervises when the supervisor is away.",
                    example="jade.wilson@example.org",
                ),
                Field(
                    "cover_name",
                    "Cover supervisor name",
                    "Their full name: needed only to add them.",
                    example="Jade Wilson",
                ),
                Field(
                    "frequency",
                    "How often",
                    "Every week, Every two weeks, Every four weeks or Every six weeks "
                    "(every four weeks when empty).",
                    example="Every four weeks",
                ),
                Field(
                    "started_on",
                    "Started on",
                    "The day the supervision started: not before they started in post.",
                    True,
                    "2 March 2026",
                ),
                Field(
                    "ended_on",
                    "Ended on",
                    "The day it ended; empty while it goes on.",
                    example="",
                ),
                Field("end_reason", "Why it ended", "Optional, in a few words.", example=""),
            ),
            load=load_supervision,
            dump=dump_supervision,
        )
    )
    register_sheet(
        Sheet(
            key="supervision_sessions",
            title="Supervision sessions",
            order=72,
            help="One row per supervision session, individual or group.",
            shown=("email", "held_on"),
            fields=(
                Field(
                    "email",
                    "Person e-mail",
                    "The peer worker's e-mail address; for a group session, everyone's, "
                    "separated by semicolons.",
                    True,
                    "ada@example.org",
                ),
                Field(
                    "supervisor_email",
                    "Supervisor e-mail",
                    "The supervisor (or cover) who led it, as on the Supervisor assignments sheet.",
                    True,
                    "sam.rivers@example.org",
                ),
                Field(
                    "held_on",
                    "Held on",
                    "The day of the session, inside the supervision's dates.",
                    True,
                    "30 March 2026",
                ),
                Field(
                    "kind",
                    "Kind",
                    "Individual or Group (Group when several people are named).",
                    example="Individual",
                ),
                Field("minutes", "Length in minutes", "From 5 to 480.", True, "60"),
                Field(
                    "keeping_well",
                    "Keeping well and in recovery",
                    "Yes or No: one of the two areas must be Yes.",
                    example="Yes",
                ),
                Field(
                    "developing_role",
                    "Developing the role",
                    "Yes or No.",
                    example="No",
                ),
                Field(
                    "after_challenging_event",
                    "After a challenging event",
                    "Yes or No: extra support after a challenging event.",
                    example="No",
                ),
                Field(
                    "shared_summary",
                    "Summary shared with the peer worker",
                    "Optional: what the peer worker reads on their own pages. Only a "
                    "programme lead may import it.",
                    example="",
                    sensitive=True,
                ),
                Field(
                    "notes",
                    "Notes",
                    "The supervisor's private notes: only a programme lead may import them.",
                    example="Talked through a difficult week on the ward.",
                    sensitive=True,
                ),
            ),
            load=load_session,
            dump=dump_sessions,
        )
    )
