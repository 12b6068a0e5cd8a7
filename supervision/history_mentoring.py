"""The mentoring sheets of the history workbook: who mentored which trainee
from when to when, and the meetings they held, each loaded through
mentoring's own services with the day it happened. (The mentors themselves
are on the Mentors sheet, ``history_mentors``.)"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from peerprog.core.models import Role, User
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE, Book, Field, Sheet, SheetRow
from supervision import services
from supervision.history import (
    cohort_named,
    enrolment_of,
    may_write_notes,
    notes_refused,
    person_named,
    staff_member,
)
from supervision.models import MentorAssignment, MentorMeeting

# Mentor assignments


def _trainee_and_mentor(book: Book, row: SheetRow) -> tuple[Any, User | None]:
    """The enrolment and the mentor a row names (Nones, with the row's
    errors, when it names something the programme does not have)."""
    cohort = cohort_named(book, row, "cohort")
    person = person_named(book, row, "trainee_email")
    mentor, _ = staff_member(book, row, "mentor_email", role=Role.MENTOR)
    if row.errors or cohort is None or person is None or mentor is None:
        return None, None
    return enrolment_of(book, row, cohort, person), mentor


def load_assignment(book: Book, row: SheetRow) -> None:
    started_on = row.date("started_on", required=True)
    ended_on = row.date("ended_on")
    reason = row.text("end_reason", max_length=200)
    enrolment, mentor = _trainee_and_mentor(book, row)
    if row.errors or enrolment is None or mentor is None or started_on is None:
        return
    if ended_on is not None and ended_on < started_on:
        row.error(row.header("ended_on"), "A mentoring cannot end before it started.")
        return
    book.dated(started_on)
    book.dated(ended_on)
    assignment = MentorAssignment.objects.filter(
        enrolment=enrolment, mentor=mentor, started_on=started_on
    ).first()
    if assignment is not None:
        row.match = str(assignment.pk)
        if assignment.ended_on == ended_on and (not reason or reason == assignment.end_reason):
            row.action = UNCHANGED
            return
        if assignment.ended_on is None and ended_on is not None:
            services.mentor_assignment_end(
                assignment=assignment, by=book.by, reason=reason or "Ended", on=ended_on
            )
            row.action = UPDATE
            return
        recorded = (
            f"ended on {assignment.ended_on:%-d %B %Y}" if assignment.ended_on else "not ended"
        )
        row.error(
            row.header("ended_on"),
            f"This mentoring is recorded as {recorded}: change it on the trainee's mentoring "
            "page, not by import.",
        )
        return
    assignment = services.mentor_assign(
        enrolment=enrolment, mentor=mentor, by=book.by, accept_warnings=True, on=started_on
    )
    if ended_on is not None:
        assignment = services.mentor_assignment_end(
            assignment=assignment,
            by=book.by,
            reason=reason or "The mentoring ended",
            on=ended_on,
        )
    row.action = NEW
    row.match = str(assignment.pk)


def _assignments(book: Book) -> Any:
    assignments = MentorAssignment.objects.filter(enrolment__cohort__programme=book.programme)
    if book.cohort_ids is not None:
        assignments = assignments.filter(enrolment__cohort_id__in=book.cohort_ids)
    return assignments


def dump_assignments(book: Book) -> Iterator[dict[str, Any]]:
    rows = (
        _assignments(book)
        .select_related("enrolment__cohort", "enrolment__person", "mentor")
        .order_by(
            "enrolment__cohort__training_start",
            "enrolment__cohort__name",
            "enrolment__person__last_name",
            "enrolment__person__first_name",
            "started_on",
            "pk",
        )
    )
    for assignment in rows:
        yield {
            "cohort": assignment.enrolment.cohort.name,
            "trainee_email": assignment.enrolment.person.email,
            "mentor_email": assignment.mentor.email,
            "started_on": assignment.started_on,
            "ended_on": assignment.ended_on,
            "end_reason": assignment.end_reason,
        }


# Mentor meetings


def load_meeting(book: Book, row: SheetRow) -> None:
    held_on = row.date("held_on", required=True)
    kind = row.choice("kind", MentorMeeting.Kind.choices) or MentorMeeting.Kind.MEETING
    mode = row.choice("mode", MentorMeeting.Mode.choices) or MentorMeeting.Mode.IN_PERSON
    minutes = row.whole("minutes", required=True)
    next_on = row.date("next_meeting_on")
    notes = row.long_text("notes")
    notes_refused(book, row, "notes")
    enrolment, mentor = _trainee_and_mentor(book, row)
    if row.errors or enrolment is None or mentor is None or held_on is None:
        return
    book.dated(held_on)
    meeting = (
        MentorMeeting.objects.filter(
            assignment__enrolment=enrolment,
            assignment__mentor=mentor,
            held_on=held_on,
            kind=kind,
        )
        .order_by("pk")
        .first()
    )
    if meeting is not None:
        row.match = str(meeting.pk)
        values: dict[str, Any] = {"minutes": minutes, "mode": mode, "next_meeting_on": next_on}
        if notes:
            values["notes"] = notes
        changed = {k: v for k, v in values.items() if getattr(meeting, k) != v}
        if not changed:
            row.action = UNCHANGED
            return
        services.mentor_meeting_update(meeting=meeting, by=book.by, mentor=mentor, **changed)
        row.action = UPDATE
        return
    meeting, _ = services.mentor_meeting_log(
        enrolment=enrolment,
        by=book.by,
        mentor=mentor,
        form_token=uuid.uuid4(),
        held_on=held_on,
        minutes=minutes or 0,
        kind=kind,
        mode=mode,
        notes=notes,
        next_meeting_on=next_on,
    )
    row.action = NEW
    row.match = str(meeting.pk)


def dump_meetings(book: Book) -> Iterator[dict[str, Any]]:
    meetings = (
        MentorMeeting.objects.filter(assignment__in=_assignments(book))
        .select_related(
            "assignment__enrolment__cohort", "assignment__enrolment__person", "assignment__mentor"
        )
        .order_by(
            "assignment__enrolment__cohort__training_start",
            "assignment__enrolment__cohort__name",
            "assignment__enrolment__person__last_name",
            "assignment__enrolment__person__first_name",
            "held_on",
            "pk",
        )
    )
    with_notes = may_write_notes(book.by)
    for meeting in meetings:
        enrolment = meeting.assignment.enrolment
        yield {
            "cohort": enrolment.cohort.name,
            "trainee_email": enrolment.person.email,
            "mentor_email": meeting.assignment.mentor.email,
            "held_on": meeting.held_on,
            "kind": meeting.get_kind_display(),
            "mode": meeting.get_mode_display(),
            "minutes": meeting.minutes,
            "next_meeting_on": meeting.next_meeting_on,
            "notes": meeting.notes if with_notes else "",
        }


COHORT = Field("cohort", "Cohort", "The cohort's name, as on the Cohorts sheet.", True, "Cohort 1")
TRAINEE = Field(
    "trainee_email", "Trainee e-mail", "The trainee's e-mail address.", True, "ada@example.org"
)
MENTOR = Field(
    "mentor_email",
    "Mentor e-mail",
    "The mentor's e-mail address, as on the Mentors sheet.",
    True,
    "helen.park@example.org",
)


def register() -> None:
    from peerprog.core.workbook import register_sheet

    register_sheet(
        Sheet(
            key="mentor_assignments",
            title="Mentor assignments",
            order=42,
            help="One row per mentoring: a trainee's mentor from one day to another.",
            shown=("cohort", "trainee_email", "mentor_email"),
            fields=(
                COHORT,
                TRAINEE,
                MENTOR,
                Field(
                    "started_on",
                    "Started on",
                    "The day the mentoring started.",
                    True,
                    "12 January 2026",
                ),
                Field(
                    "ended_on",
                    "Ended on",
                    "The day it ended; empty while it goes on.",
                    example="3 April 2026",
                ),
                Field(
                    "end_reason",
                    "Why it ended",
                    "Optional, in a few words.",
                    example="The course finished",
                ),
            ),
            load=load_assignment,
            dump=dump_assignments,
        )
    )
    register_sheet(
        Sheet(
            key="mentor_meetings",
            title="Mentor meetings",
            order=44,
            help="One row per meeting (or shadowing, or other contact) a mentor held.",
            shown=("cohort", "trainee_email", "held_on"),
            fields=(
                COHORT,
                TRAINEE,
                MENTOR,
                Field(
                    "held_on",
                    "Met on",
                    "The day they met, inside the mentoring's dates.",
                    True,
                    "2 February 2026",
                ),
                Field(
                    "kind",
                    "Kind",
                    "Meeting, Shadowing or Other contact (Meeting when empty); only "
                    "meetings count towards the minimum.",
                    example="Meeting",
                ),
                Field(
                    "mode",
                    "How",
                    "In person, or Phone or video (In person when empty).",
                    example="In person",
                ),
                Field(
                    "minutes",
                    "Length in minutes",
                    "From 5 to 480.",
                    True,
                    "45",
                ),
                Field(
                    "next_meeting_on",
                    "Next meeting on",
                    "Optional: the next meeting they agreed.",
                    example="16 February 2026",
                ),
                Field(
                    "notes",
                    "Notes",
                    "The mentor's private notes: only a programme lead may import them.",
                    example="Talked about the first placement.",
                    sensitive=True,
                ),
            ),
            load=load_meeting,
            dump=dump_meetings,
        )
    )
