"""Reading and checking a row of the Applications sheet of a programme's
history workbook, before anything is loaded
(``recruitment.history_applications``)."""

from __future__ import annotations

from typing import Any

from peerprog.core.workbook import Book, SheetRow
from recruitment.history import cohort_named
from recruitment.history_application_fields import NOT_SHOWN, REASON_COLUMNS, REASONS
from recruitment.history_paths import (
    HEADER,
    OUTCOMES,
    STAGE_COLUMNS,
    Path,
    final_stage,
    label,
    path_problems,
)
from recruitment.models import Application, Cohort

Stage = Application.Stage


class Values:
    """What a row says, read and checked."""

    person: dict[str, Any]
    application: dict[str, Any]
    path: Path
    stage: str
    reasons: dict[str, Any]
    cohort: Cohort | None
    deferred_to: Cohort | None


def _reason(book: Book, row: SheetRow, key: str, model: Any, what: str) -> Any:
    text = row.text(key)
    if not text:
        return None
    if text.lower() == NOT_SHOWN.lower():
        return NOT_SHOWN
    reasons = book.lookup(
        REASONS,
        model.__name__,
        lambda: {r.label.lower(): r for r in model.objects.filter(programme=book.programme)},
    )
    reason = reasons.get(text.lower())
    if reason is None:
        known = ", ".join(f"“{r.label}”" for r in reasons.values() if not r.is_archived)
        row.error(
            row.header(key),
            f"“{text}” is not one of the programme's {what}: {known}. Add it on the "
            "reasons page first, or use one of these.",
        )
        return None
    if reason.reveals_health and not book.sensitive:
        row.error(
            row.header(key),
            "This reason reveals health, so only a programme lead or HR may import it. "
            f"Write “{NOT_SHOWN}”, or ask one of them to import the file.",
        )
        return None
    return reason


def read_row(book: Book, row: SheetRow) -> Values | None:
    values = Values()
    cohort_name = row.text("cohort", required=True)
    values.person = {
        "first_name": row.text("first_name", required=True, max_length=100),
        "last_name": row.text("last_name", required=True, max_length=100),
        "preferred_name": row.text("preferred_name", max_length=100),
        "email": row.email("email"),
        "date_of_birth": row.date("date_of_birth"),
        "phone": row.text("phone", max_length=40),
        "address": row.long_text("address"),
        "email_allowed": row.yes_no("email_allowed"),
        "hard_copy_letters": row.yes_no("hard_copy_letters"),
    }
    values.application = {
        "source": row.choice("source", Application.Source.choices),
        "pathway": row.choice("pathway", Application.Pathway.choices),
        "received_on": row.date("received_on", required=True),
        "statement": row.long_text("statement"),
    }
    values.path = {}
    for stage, key, _ in STAGE_COLUMNS:
        day = row.date(key)
        if day is not None:
            values.path[stage] = day
    stage = row.choice("stage", Application.Stage.choices)
    values.reasons = {}
    for stage_key, key, _, model, _, what in REASON_COLUMNS:
        reason = _reason(book, row, key, model, what)
        if reason is not None:
            values.reasons[stage_key] = reason
    deferred_to = row.text("deferred_to")
    if row.errors:
        return None
    person = values.person
    if not person["email"] and not person["date_of_birth"]:
        row.error(
            "E-mail",
            "Give an e-mail address or a date of birth, so that the person is recognised "
            "if the workbook is loaded again.",
        )
    if person["email_allowed"] and not person["email"]:
        row.error(
            "Agrees to e-mail",
            "This says they agree to e-mail, but there is no e-mail address for them.",
        )
    values.cohort = cohort_named(book, cohort_name)
    if values.cohort is None:
        row.error(
            "Cohort",
            f"There is no cohort called “{cohort_name}” in the programme or on the Cohorts sheet.",
        )
    received_on = values.application["received_on"]
    for column, message in path_problems(values.path, received_on=received_on, today=book.today):
        row.error(column, message)
    values.stage = final_stage(values.path)
    if stage and stage != values.stage:
        row.error(
            "Stage",
            f"The stage is “{Stage(stage).label}”, but the latest date is "
            f"“{HEADER[values.stage]}”. Give the day it became "
            f"{label(stage)} in “{HEADER.get(stage, 'Received on')}”, or correct the stage.",
        )
    for stage_key, _key, header, *_ in REASON_COLUMNS:
        if stage_key == values.stage and stage_key not in values.reasons:
            row.error(header, f"Give the reason it was {label(stage_key)}.")
        elif stage_key != values.stage and stage_key in values.reasons:
            row.error(header, f"There is a reason, but the application is not {label(stage_key)}.")
    values.deferred_to = None
    if values.stage == Stage.DEFERRED:
        if not deferred_to:
            row.error("Deferred to", "Give the later cohort it was deferred to.")
        else:
            values.deferred_to = cohort_named(book, deferred_to)
            if values.deferred_to is None:
                row.error(
                    "Deferred to",
                    f"There is no cohort called “{deferred_to}” in the programme or on the "
                    "Cohorts sheet.",
                )
    elif deferred_to:
        row.error("Deferred to", "The application was not deferred: leave this empty.")
    return None if row.errors else values


def check_closed(row: SheetRow, values: Values) -> bool:
    """A closed cohort's applications each have an outcome."""
    cohort = values.cohort
    if (
        cohort is not None
        and cohort.status == Cohort.Status.CLOSED
        and values.stage not in OUTCOMES
    ):
        row.error(
            "Stage",
            f"{cohort.name} is closed, so each of its applications has an outcome: give the "
            "day it was accepted, unsuccessful, withdrawn or deferred.",
        )
        return False
    return True
