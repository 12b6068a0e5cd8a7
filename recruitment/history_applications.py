"""The Applications sheet of a programme's history workbook: one row per
application, with the applicant, the day it was received and the day it
reached each stage since.

A row is loaded through recruitment's services: the person is found
(e-mail ignoring case, else name and date of birth) or created, the
application is added on the day it was received, and each stage after is a
move through ``application_move`` dated the day it happened, in order, so
the allowed-moves map, the reasons and the cohort's places are checked as
if the lead had made each move on its day. Accepting hands the trainee to
training as any acceptance does. Loading a row again changes nothing; a
row with later stages makes only the moves still missing; a row that would
take an application back is refused.

Reasons that reveal health are written "Not shown" for anyone who may not
read them, as the application export does, and only programme leads and
HR may import one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch

from peerprog.core import services as core_services
from peerprog.core.dates import moment_of
from peerprog.core.models import Person
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE, Book, Sheet, SheetRow
from recruitment import services
from recruitment.history import note_closed_touched
from recruitment.history_application_fields import (
    APPLICATION_ROWS,
    APPLICATIONS,
    FIELDS,
    HEADER_REASON,
    MADE,
    NOT_SHOWN,
    PERSON_FIELDS,
    REASON_COLUMNS,
)
from recruitment.history_application_rows import Values, check_closed, read_row
from recruitment.history_paths import (
    HEADER,
    ORDER,
    OUTCOMES,
    STAGE_COLUMNS,
    application_path,
    difference,
    in_order,
    label,
    step_problem,
)
from recruitment.models import Application, ApplicationMove, Cohort

Stage = Application.Stage

# Loading a row.


def _person(book: Book, values: Values) -> tuple[Person | None, bool]:
    """The person the row names, with their details brought up to date
    (blank cells leave what is on record), and whether anything changed."""
    given = values.person
    person = services.person_match(
        programme=book.programme,
        email=given["email"],
        first_name=given["first_name"],
        last_name=given["last_name"],
        date_of_birth=given["date_of_birth"],
    )
    if person is None:
        return None, False
    changed = {
        key: value
        for key, value in given.items()
        if value not in (None, "")
        and getattr(person, key) != value
        and not (key == "email" and value.lower() == person.email.lower())
    }
    if changed:
        person = core_services.person_update(person=person, by=book.by, **changed)
    return person, bool(changed)


def _new_person(book: Book, values: Values) -> Person:
    given = {key: value for key, value in values.person.items() if value is not None}
    return core_services.person_create(programme=book.programme, by=book.by, **given)


def _same_reason(recorded: Any, wanted: Any) -> bool:
    if wanted == NOT_SHOWN:
        return recorded is not None and recorded.reveals_health
    return recorded == wanted


def _outcome_problem(
    book: Book, application: Application, values: Values
) -> tuple[str, str] | None:
    """What differs from the reason and later cohort of an outcome already
    on record, as (column, message)."""
    for stage, _, header, _, attribute, _ in REASON_COLUMNS:
        if application.stage != stage:
            continue
        recorded = getattr(application, attribute)
        if not _same_reason(recorded, values.reasons[stage]):
            shown = recorded.label if recorded is not None else "none"
            if recorded is not None and recorded.reveals_health and not book.sensitive:
                shown = NOT_SHOWN.lower()
            return (
                header,
                f"peerprog has a different reason on record ({shown}). A workbook does not "
                "change an outcome already recorded.",
            )
    if application.stage == Stage.DEFERRED:
        later = application.deferred_to
        if later is None or later.cohort_id != getattr(values.deferred_to, "pk", None):
            return (
                "Deferred to",
                "peerprog has this application deferred to "
                f"{later.cohort.name if later else 'no cohort'}. A workbook does not change "
                "an outcome already recorded.",
            )
    return None


def _moves(book: Book, row: SheetRow, application: Application, values: Values) -> int:
    """Make the moves the row has and the application has not, in order,
    each dated its day. Returns how many were made."""
    recorded = application_path(application)
    made = 0
    closed_ok = values.stage in OUTCOMES
    steps = [(stage, day) for stage, day in in_order(values.path) if stage not in recorded]
    problem = step_problem(application.stage, [stage for stage, _ in steps])
    if problem is not None:
        row.error(*problem)
        return made
    if application.cohort.status == Cohort.Status.CLOSED:
        note_closed_touched(book, application.cohort)
    for stage, day in steps:
        reason = values.reasons.get(stage)
        if reason == NOT_SHOWN:
            row.error(
                HEADER_REASON[stage],
                "The reason was not shown in the export this row came from (it reveals "
                "health). Ask a programme lead or HR to export and import the workbook, or "
                "give the reason.",
            )
            return made
        later = None
        if stage == Stage.DEFERRED:
            assert values.deferred_to is not None
            later = Application.objects.filter(
                cohort=values.deferred_to, person=application.person_id
            ).first()
        if stage == Stage.OFFERED and not _places_left(row, application):
            return made
        application = services.application_move(
            application=application,
            to_stage=stage,
            by=book.by,
            at=moment_of(day),
            unsuccessful_reason=reason if stage == Stage.UNSUCCESSFUL else None,
            withdrawal_reason=reason if stage == Stage.WITHDRAWN else None,
            deferral_reason=reason if stage == Stage.DEFERRED else None,
            to_cohort=values.deferred_to if stage == Stage.DEFERRED else None,
            later=later,
            closed_ok=closed_ok,
        )
        if stage == Stage.DEFERRED and later is None and application.deferred_to is not None:
            book.lookup(MADE, None, set).add(application.deferred_to_id)
            if values.deferred_to.status == Cohort.Status.CLOSED:
                note_closed_touched(book, values.deferred_to)
        book.dated(day)
        made += 1
    return made


def _places_left(row: SheetRow, application: Application) -> bool:
    cohort = application.cohort
    taken = (
        Application.objects.filter(cohort=cohort, stage__in=services.PLACE_STAGES)
        .exclude(pk=application.pk)
        .count()
    )
    if taken >= cohort.capacity:
        row.error(
            "Offered on",
            f"Every place in {cohort.name} ({cohort.capacity}) is already offered or "
            "accepted. If more places were offered, raise the cohort's capacity on the "
            "Cohorts sheet.",
        )
        return False
    return True


def _details_update(book: Book, row: SheetRow, application: Application, values: Values) -> bool:
    given = values.application
    wanted = {
        "source": given["source"] or application.source,
        "pathway": given["pathway"] or application.pathway,
        "statement": given["statement"] or application.statement,
        "received_on": given["received_on"],
    }
    if all(getattr(application, key) == value for key, value in wanted.items()):
        return False
    first_move = min((day for stage, day in application_path(application).items()), default=None)
    if first_move is not None and wanted["received_on"] > first_move:
        row.error(
            "Received on",
            f"peerprog has moves on this application from {first_move:%-d %B %Y}, before "
            "the day the row says it was received.",
        )
        return False
    services.application_update(application=application, by=book.by, **wanted)
    return True


def load_application(book: Book, row: SheetRow) -> None:
    values = read_row(book, row)
    if values is None:
        return
    cohort = values.cohort
    person, person_changed = _person(book, values)
    key = (cohort.pk, _person_key(values))
    seen = book.lookup(APPLICATION_ROWS, key, lambda: row.number)
    if seen != row.number:
        row.error("E-mail", f"This application is also on row {seen}. Keep one row for it.")
        return
    application = (
        Application.objects.filter(cohort=cohort, person=person).first() if person else None
    )
    if application is None:
        if not check_closed(row, values):
            return
        if person is None:
            person = _new_person(book, values)
        given = values.application
        application = services.application_create(
            cohort=cohort,
            person=person,
            by=book.by,
            source=given["source"] or Application.Source.OTHER,
            pathway=given["pathway"] or Application.Pathway.NEW_RECRUIT,
            statement=given["statement"],
            received_on=given["received_on"],
            arrived=Application.Arrival.IMPORTED,
            closed_ok=values.stage in OUTCOMES,
        )
        if cohort.status == Cohort.Status.CLOSED:
            note_closed_touched(book, cohort)
        book.dated(given["received_on"])
        _moves(book, row, application, values)
        row.action = NEW
    else:
        made_here = application.pk in book.lookup(MADE, None, set)
        recorded = application_path(application)
        problem = difference(recorded, values.path, stage_now=application.stage)
        if problem is not None:
            row.error(*problem)
            return
        between = [
            stage
            for stage in values.path
            if stage not in recorded and ORDER[stage] <= ORDER[application.stage]
        ]
        if between:
            row.error(
                HEADER[between[0]],
                f"peerprog has this application {label(application.stage)} without being "
                f"{label(between[0])}. A workbook only adds the stages that came later, not "
                "one in between: leave this empty.",
            )
            return
        if not check_closed(row, values):
            return
        changed = _details_update(book, row, application, values)
        if row.errors:
            return
        if application.stage == values.stage:
            problem = _outcome_problem(book, application, values)
            if problem is not None:
                row.error(*problem)
                return
            moved = 0
        else:
            if application.stage in OUTCOMES:
                row.error(
                    "Stage",
                    f"peerprog has this application {label(application.stage)}; the row has "
                    f"it {label(values.stage)}. A workbook never moves an application back.",
                )
                return
            moved = _moves(book, row, application, values)
        if made_here:
            row.action = NEW
        elif changed or moved or person_changed:
            row.action = UPDATE
        else:
            row.action = UNCHANGED
    row.match = str(application.pk)


def _person_key(values: Values) -> tuple[Any, ...]:
    given = values.person
    if given["email"]:
        return ("email", given["email"].lower())
    return (
        "name",
        given["first_name"].lower(),
        given["last_name"].lower(),
        given["date_of_birth"],
    )


# Writing the programme's applications.


def _reason_cell(book: Book, reason: Any) -> str:
    if reason is None:
        return ""
    if reason.reveals_health and not book.sensitive:
        return NOT_SHOWN
    return reason.label


def dump_applications(book: Book) -> Iterator[dict[str, Any]]:
    applications = (
        Application.objects.filter(cohort__programme=book.programme)
        .select_related(
            "person",
            "cohort",
            "unsuccessful_reason",
            "withdrawal_reason",
            "deferral_reason",
            "deferred_to__cohort",
        )
        .prefetch_related(Prefetch("moves", queryset=ApplicationMove.objects.order_by("at", "pk")))
        .order_by(
            "cohort__training_start",
            "cohort__name",
            "person__last_name",
            "person__first_name",
            "pk",
        )
    )
    if book.cohort_ids is not None:
        applications = applications.filter(cohort_id__in=book.cohort_ids)
    for application in applications.iterator(chunk_size=500):
        person = application.person
        values: dict[str, Any] = {key: getattr(person, key) for key in PERSON_FIELDS}
        values.update(
            cohort=application.cohort.name,
            source=application.get_source_display(),
            pathway=application.get_pathway_display(),
            received_on=application.received_on,
            statement=application.statement,
            stage=application.get_stage_display(),
            unsuccessful_reason=_reason_cell(book, application.unsuccessful_reason),
            withdrawal_reason=_reason_cell(book, application.withdrawal_reason),
            deferral_reason=_reason_cell(book, application.deferral_reason),
            deferred_to=application.deferred_to.cohort.name if application.deferred_to else "",
        )
        path = application_path(application)
        for stage, key, _ in STAGE_COLUMNS:
            values[key] = path.get(stage)
        yield values


APPLICATIONS_SHEET = Sheet(
    key=APPLICATIONS,
    title="Applications",
    order=20,
    fields=FIELDS,
    load=load_application,
    dump=dump_applications,
    help="One row per application: a person's application to one cohort, and the day "
    "it reached each stage.",
    shown=("first_name", "last_name", "cohort"),
)
