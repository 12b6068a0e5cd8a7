"""Every write recruitment makes: cohorts, information events, reasons,
applications and their moves between stages, and outcome letters.

Stage moves go through one door, ``application_move``: an explicit map of
allowed moves, the application locked with ``select_for_update``, a refusal
in plain words when the rules do not allow the move, and an
``ApplicationMove`` on the timeline every time. Accepting an application
announces ``application_accepted`` inside the same transaction, so the
training app enrols the person, or nothing happens at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from peerprog.core import letters
from peerprog.core.models import Letter, Person, Programme, User
from peerprog.core.services import DomainError
from recruitment.models import (
    Application,
    ApplicationMove,
    Cohort,
    InformationEvent,
    UnsuccessfulReason,
    WithdrawalReason,
)
from recruitment.signals import application_accepted

Stage = Application.Stage

TRAINING_WEEKS = 12


class RecruitmentError(DomainError):
    """A refused recruitment action, with the reason in plain words."""


# Which stage may follow which. Endings and acceptance are final, except that
# an unsuccessful or withdrawn application may be reopened (to received) when
# it was closed by mistake or the person comes back; an accepted application
# is final because the person is now a trainee (leaving is recorded in
# training), and a deferred one carries on in the later cohort.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    Stage.RECEIVED: frozenset(
        {Stage.SHORTLISTED, Stage.UNSUCCESSFUL, Stage.WITHDRAWN, Stage.DEFERRED}
    ),
    Stage.SHORTLISTED: frozenset(
        {
            Stage.RECEIVED,
            Stage.INVITED,
            Stage.OFFERED,
            Stage.UNSUCCESSFUL,
            Stage.WITHDRAWN,
            Stage.DEFERRED,
        }
    ),
    Stage.INVITED: frozenset(
        {Stage.SHORTLISTED, Stage.OFFERED, Stage.UNSUCCESSFUL, Stage.WITHDRAWN, Stage.DEFERRED}
    ),
    Stage.OFFERED: frozenset(
        {Stage.INVITED, Stage.ACCEPTED, Stage.UNSUCCESSFUL, Stage.WITHDRAWN, Stage.DEFERRED}
    ),
    Stage.ACCEPTED: frozenset(),
    Stage.UNSUCCESSFUL: frozenset({Stage.RECEIVED}),
    Stage.WITHDRAWN: frozenset({Stage.RECEIVED}),
    Stage.DEFERRED: frozenset(),
}

# Moves back towards the start need a note saying why.
BACKWARD_MOVES = {
    (Stage.SHORTLISTED, Stage.RECEIVED),
    (Stage.INVITED, Stage.SHORTLISTED),
    (Stage.OFFERED, Stage.INVITED),
    (Stage.UNSUCCESSFUL, Stage.RECEIVED),
    (Stage.WITHDRAWN, Stage.RECEIVED),
}

# Stages that hold, or are about to take, one of the cohort's places.
PLACE_STAGES = (Stage.OFFERED, Stage.ACCEPTED)
OPEN_STAGES = (Stage.RECEIVED, Stage.SHORTLISTED, Stage.INVITED, Stage.OFFERED)
FINAL_STAGES = (Stage.ACCEPTED, Stage.DEFERRED)

# Words for the refusal of a move the map does not allow.
_REFUSALS = {
    Stage.ACCEPTED: "An accepted application is final: the person is now a trainee. "
    "If they leave, record it on their training record.",
    Stage.DEFERRED: "A deferred application is final: it carries on in the later cohort.",
}


def allowed_moves(application: Application) -> list[str]:
    """The stages this application may move to next, in pipeline order."""
    allowed = ALLOWED_MOVES[application.stage]
    return [stage for stage in Stage.values if stage in allowed]


def _stage_label(stage: str) -> str:
    return Stage(stage).label.lower() if stage else "new"


def _check_move(application: Application, to_stage: str) -> None:
    if to_stage not in Stage.values:
        raise RecruitmentError("That is not a stage an application can be in.")
    if to_stage == application.stage:
        raise RecruitmentError(f"This application is already {_stage_label(to_stage)}.")
    if to_stage not in ALLOWED_MOVES[application.stage]:
        if application.stage in _REFUSALS:
            raise RecruitmentError(_REFUSALS[application.stage])
        raise RecruitmentError(
            f"An application cannot move from {_stage_label(application.stage)} "
            f"to {_stage_label(to_stage)}."
        )
    if application.cohort.status == Cohort.Status.CLOSED:
        raise RecruitmentError(
            f"{application.cohort.name} is closed. Reopen it (change its status) "
            "before changing its applications."
        )


def _places_taken(cohort: Cohort, *, excluding: Application | None = None) -> int:
    applications = Application.objects.filter(cohort=cohort, stage__in=PLACE_STAGES)
    if excluding is not None:
        applications = applications.exclude(pk=excluding.pk)
    return applications.count()


@transaction.atomic
def application_move(
    *,
    application: Application,
    to_stage: str,
    by: User,
    note: str = "",
    unsuccessful_reason: UnsuccessfulReason | None = None,
    withdrawal_reason: WithdrawalReason | None = None,
    to_cohort: Cohort | None = None,
    override_capacity: bool = False,
    at: datetime | None = None,
) -> Application:
    """Move an application to another stage: the one door for every move.

    Rules: only the moves in ``ALLOWED_MOVES``; nothing in a closed cohort;
    a move back needs a note; unsuccessful needs a reason from the
    programme's list, withdrawn a withdrawal reason; an offer beyond the
    cohort's capacity is refused unless ``override_capacity`` is set with a
    note saying why; deferral needs a later cohort and creates the
    application there. Every move writes an ``ApplicationMove`` (who, when,
    why). Accepting sends ``application_accepted`` inside this transaction.
    ``at`` records a move made earlier than it is entered (never the future).
    """
    note = note.strip()
    now = timezone.now()
    if at is None:
        at = now
    elif at > now + timedelta(minutes=5):
        raise RecruitmentError("A move cannot be dated in the future.")
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort", "person")
        .get(pk=application.pk)
    )
    from_stage = application.stage
    _check_move(application, to_stage)
    if (from_stage, to_stage) in BACKWARD_MOVES and not note:
        raise RecruitmentError(
            f"Say why the application goes back to {_stage_label(to_stage)}: "
            "write a note for the timeline."
        )

    overrode = False
    if to_stage == Stage.OFFERED:
        # Lock the cohort so that two offers at once cannot both take the
        # last place.
        cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
        taken = _places_taken(cohort, excluding=application)
        if taken >= cohort.capacity:
            if not override_capacity:
                raise RecruitmentError(
                    f"{cohort.name} has {cohort.capacity} places and {taken} are already "
                    "offered or accepted. To offer a place beyond capacity, choose to "
                    "override and write a note saying why."
                )
            if not note:
                raise RecruitmentError(
                    "To offer a place beyond the cohort's capacity, write a note saying why."
                )
            overrode = True

    programme_id = application.cohort.programme_id
    if to_stage == Stage.UNSUCCESSFUL:
        if unsuccessful_reason is None:
            raise RecruitmentError("Choose a reason why the application was unsuccessful.")
        if unsuccessful_reason.programme_id != programme_id or unsuccessful_reason.is_archived:
            raise RecruitmentError("Choose a reason from the programme's current list.")
    if to_stage == Stage.WITHDRAWN:
        if withdrawal_reason is None:
            raise RecruitmentError("Choose a reason why the applicant withdrew.")
        if withdrawal_reason.programme_id != programme_id or withdrawal_reason.is_archived:
            raise RecruitmentError("Choose a reason from the programme's current list.")

    later: Application | None = None
    if to_stage == Stage.DEFERRED:
        later = _create_deferred_application(
            application=application, to_cohort=to_cohort, by=by, at=at
        )

    application.stage = to_stage
    application.stage_changed_at = at
    application.unsuccessful_reason = (
        unsuccessful_reason if to_stage == Stage.UNSUCCESSFUL else None
    )
    application.withdrawal_reason = withdrawal_reason if to_stage == Stage.WITHDRAWN else None
    if later is not None:
        application.deferred_to = later
    application.full_clean()
    application.save()
    ApplicationMove.objects.create(
        application=application,
        from_stage=from_stage,
        to_stage=to_stage,
        by=by,
        at=at,
        note=note,
        overrode_capacity=overrode,
    )
    if to_stage == Stage.ACCEPTED:
        application_accepted.send(sender=Application, application=application, by=by)
    return application


def _create_deferred_application(
    *, application: Application, to_cohort: Cohort | None, by: User, at: datetime
) -> Application:
    cohort = application.cohort
    if to_cohort is None:
        raise RecruitmentError("Choose the later cohort to defer the application to.")
    if to_cohort.programme_id != cohort.programme_id:
        raise RecruitmentError("Choose a cohort of this programme.")
    if to_cohort.pk == cohort.pk:
        raise RecruitmentError("Choose a different cohort: this is the one the person applied to.")
    if to_cohort.training_start <= cohort.training_start:
        raise RecruitmentError(
            f"{to_cohort.name} does not start after {cohort.name}. "
            "An application can only be deferred to a later cohort."
        )
    if to_cohort.status == Cohort.Status.CLOSED:
        raise RecruitmentError(f"{to_cohort.name} is closed.")
    if Application.objects.filter(cohort=to_cohort, person=application.person_id).exists():
        raise RecruitmentError(
            f"{application.person.display_name} has already applied to {to_cohort.name}."
        )
    later = Application(
        cohort=to_cohort,
        person=application.person,
        received_on=timezone.localdate(at),
        source=application.source,
        pathway=application.pathway,
        statement=application.statement,
        stage=Stage.RECEIVED,
        stage_changed_at=at,
    )
    later.full_clean()
    later.save()
    ApplicationMove.objects.create(
        application=later,
        from_stage="",
        to_stage=Stage.RECEIVED,
        by=by,
        at=at,
        note=f"Deferred from {cohort.name}.",
    )
    return later


def application_shortlist(*, application: Application, by: User, note: str = "") -> Application:
    return application_move(application=application, to_stage=Stage.SHORTLISTED, by=by, note=note)


def application_invite(*, application: Application, by: User, note: str = "") -> Application:
    return application_move(application=application, to_stage=Stage.INVITED, by=by, note=note)


def application_offer(
    *, application: Application, by: User, note: str = "", override_capacity: bool = False
) -> Application:
    return application_move(
        application=application,
        to_stage=Stage.OFFERED,
        by=by,
        note=note,
        override_capacity=override_capacity,
    )


def application_accept(*, application: Application, by: User, note: str = "") -> Application:
    return application_move(application=application, to_stage=Stage.ACCEPTED, by=by, note=note)


def application_mark_unsuccessful(
    *, application: Application, reason: UnsuccessfulReason, by: User, note: str = ""
) -> Application:
    return application_move(
        application=application,
        to_stage=Stage.UNSUCCESSFUL,
        by=by,
        note=note,
        unsuccessful_reason=reason,
    )


def application_withdraw(
    *, application: Application, reason: WithdrawalReason, by: User, note: str = ""
) -> Application:
    return application_move(
        application=application,
        to_stage=Stage.WITHDRAWN,
        by=by,
        note=note,
        withdrawal_reason=reason,
    )


def application_defer(
    *, application: Application, to_cohort: Cohort, by: User, note: str = ""
) -> Application:
    """Defer to a later cohort: the application there is created and linked."""
    return application_move(
        application=application, to_stage=Stage.DEFERRED, by=by, note=note, to_cohort=to_cohort
    )


BULK_ACTIONS = {
    "shortlist": Stage.SHORTLISTED,
    "invite": Stage.INVITED,
    "unsuccessful": Stage.UNSUCCESSFUL,
}


@transaction.atomic
def applications_bulk_move(
    *,
    applications: Iterable[Application],
    to_stage: str,
    by: User,
    unsuccessful_reason: UnsuccessfulReason | None = None,
    note: str = "",
) -> int:
    """Move several applications at once: all of them, or none.

    Each goes through ``application_move``; the first refusal undoes the
    whole action and names the application it was refused for.
    """
    if to_stage not in BULK_ACTIONS.values():
        raise RecruitmentError("That action cannot be done for several applications at once.")
    count = 0
    for application in applications:
        try:
            application_move(
                application=application,
                to_stage=to_stage,
                by=by,
                note=note,
                unsuccessful_reason=unsuccessful_reason,
            )
        except RecruitmentError as error:
            raise RecruitmentError(
                f"Nothing was changed. {application.person.display_name}: {error.message}"
            ) from error
        count += 1
    if not count:
        raise RecruitmentError("Choose at least one application.")
    return count


# Applications and the people who make them.


@transaction.atomic
def application_create(
    *,
    cohort: Cohort,
    person: Person,
    by: User,
    source: str = Application.Source.OTHER,
    pathway: str = Application.Pathway.NEW_RECRUIT,
    statement: str = "",
    received_on: date | None = None,
    at: datetime | None = None,
) -> Application:
    """Record a person's application to a cohort, at the received stage."""
    if person.programme_id != cohort.programme_id:
        raise RecruitmentError("The person and the cohort belong to different programmes.")
    if cohort.status == Cohort.Status.CLOSED:
        raise RecruitmentError(f"{cohort.name} is closed to new applications.")
    if Application.objects.filter(cohort=cohort, person=person).exists():
        raise RecruitmentError(f"{person.display_name} has already applied to {cohort.name}.")
    at = at or timezone.now()
    application = Application(
        cohort=cohort,
        person=person,
        source=source,
        pathway=pathway,
        statement=statement,
        received_on=received_on or timezone.localdate(at),
        stage=Stage.RECEIVED,
        stage_changed_at=at,
    )
    application.full_clean()
    application.save()
    ApplicationMove.objects.create(
        application=application, from_stage="", to_stage=Stage.RECEIVED, by=by, at=at
    )
    return application


def person_match(
    *,
    programme: Programme,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
) -> Person | None:
    """The programme's record of this person, if there is one: by e-mail
    ignoring case, else by full name and date of birth."""
    people = Person.objects.filter(programme=programme)
    email = (email or "").strip()
    if email:
        found = people.filter(email__iexact=email).first()
        if found is not None:
            return found
    if first_name and last_name and date_of_birth:
        return (
            people.filter(
                first_name__iexact=first_name.strip(),
                last_name__iexact=last_name.strip(),
                date_of_birth=date_of_birth,
            )
            .order_by("pk")
            .first()
        )
    return None


@transaction.atomic
def application_create_with_person(
    *,
    cohort: Cohort,
    by: User,
    person_values: dict[str, Any],
    application_values: dict[str, Any],
) -> Application:
    """Add an application, finding the person's existing record (by e-mail,
    or name and date of birth) or creating it."""
    programme = cohort.programme
    person = person_match(
        programme=programme,
        email=person_values.get("email", ""),
        first_name=person_values.get("first_name", ""),
        last_name=person_values.get("last_name", ""),
        date_of_birth=person_values.get("date_of_birth"),
    )
    if person is None:
        person = Person(programme=programme, **person_values)
        person.full_clean()
        person.save()
    return application_create(cohort=cohort, person=person, by=by, **application_values)


@transaction.atomic
def application_update(
    *,
    application: Application,
    by: User,
    source: str,
    pathway: str,
    statement: str,
    received_on: date,
) -> Application:
    """Correct an application's details (not its stage: that is a move)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.source = source
    application.pathway = pathway
    application.statement = statement
    application.received_on = received_on
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def application_import_row(
    *,
    cohort: Cohort,
    by: User,
    person: Person | None,
    person_values: dict[str, Any],
    application_values: dict[str, Any],
) -> tuple[Application, bool]:
    """Create or update one imported applicant and their application.

    ``person`` is the matched record (or None for someone new). Values that
    are blank in the file leave what is on record alone. Sends nothing.
    """
    if person is None:
        person = Person(programme=cohort.programme)
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
    for name, value in person_values.items():
        if value not in ("", None):
            setattr(person, name, value)
    person.full_clean()
    person.save()
    application = Application.objects.filter(cohort=cohort, person=person).first()
    if application is None:
        values = {k: v for k, v in application_values.items() if v not in ("", None)}
        return application_create(cohort=cohort, person=person, by=by, **values), True
    application = Application.objects.select_for_update().get(pk=application.pk)
    for name, value in application_values.items():
        if value not in ("", None):
            setattr(application, name, value)
    application.full_clean()
    application.save()
    return application, False


# Cohorts and information events.


def default_training_end(training_start: date) -> date:
    return training_start + timedelta(weeks=TRAINING_WEEKS)


@transaction.atomic
def cohort_create(
    *,
    programme: Programme,
    by: User,
    name: str,
    applications_open: date,
    applications_close: date,
    training_start: date,
    capacity: int,
    training_end: date | None = None,
    status: str = Cohort.Status.PLANNING,
) -> Cohort:
    """Plan a new intake. Training ends 12 weeks after it starts unless
    another end is given. Makes sure the programme has its reason lists."""
    reasons_ensure_defaults(programme=programme)
    cohort = Cohort(
        programme=programme,
        name=name.strip(),
        applications_open=applications_open,
        applications_close=applications_close,
        training_start=training_start,
        training_end=training_end or default_training_end(training_start),
        capacity=capacity,
        status=status,
    )
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, by: User, **values: Any) -> Cohort:
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if values.get("status") == Cohort.Status.CLOSED and cohort.status != Cohort.Status.CLOSED:
        _check_can_close(cohort)
    for name, value in values.items():
        setattr(cohort, name, value)
    if not cohort.training_end and cohort.training_start:
        cohort.training_end = default_training_end(cohort.training_start)
    cohort.full_clean()
    cohort.save()
    return cohort


def _check_can_close(cohort: Cohort) -> None:
    still_open = Application.objects.filter(cohort=cohort, stage__in=OPEN_STAGES).count()
    if still_open:
        raise RecruitmentError(
            f"{still_open} application{'s are' if still_open != 1 else ' is'} still open in "
            f"{cohort.name}. Move {'them' if still_open != 1 else 'it'} to an outcome "
            "before closing the cohort."
        )


@transaction.atomic
def cohort_close(*, cohort: Cohort, by: User) -> Cohort:
    """Close a cohort once every application has an outcome."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status == Cohort.Status.CLOSED:
        raise RecruitmentError(f"{cohort.name} is already closed.")
    _check_can_close(cohort)
    cohort.status = Cohort.Status.CLOSED
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def event_create(*, cohort: Cohort, by: User, **values: Any) -> InformationEvent:
    attendees = values.pop("attendees", None)
    event = InformationEvent(cohort=cohort, **values)
    event.full_clean()
    event.save()
    if attendees is not None:
        _set_attendees(event, attendees)
    return event


@transaction.atomic
def event_update(*, event: InformationEvent, by: User, **values: Any) -> InformationEvent:
    attendees = values.pop("attendees", None)
    event = InformationEvent.objects.select_for_update().get(pk=event.pk)
    for name, value in values.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    if attendees is not None:
        _set_attendees(event, attendees)
    return event


def _set_attendees(event: InformationEvent, attendees: Iterable[Application]) -> None:
    attendees = list(attendees)
    if any(a.cohort_id != event.cohort_id for a in attendees):
        raise RecruitmentError("Only applicants to this cohort can be recorded as attending.")
    event.attendees.set(attendees)


# Reasons.

DEFAULT_UNSUCCESSFUL_REASONS = [
    (
        "Not yet able to complete a training programme",
        UnsuccessfulReason.Category.NOT_READY_FOR_TRAINING,
    ),
    ("Needs more volunteering experience", UnsuccessfulReason.Category.NEEDS_VOLUNTEERING),
    ("Does not meet the criteria for the course", UnsuccessfulReason.Category.NOT_ELIGIBLE),
    ("No places left in this cohort", UnsuccessfulReason.Category.COHORT_FULL),
]
DEFAULT_WITHDRAWAL_REASONS = [
    ("Found paid employment", WithdrawalReason.Category.PAID_EMPLOYMENT, False),
    ("Going into further study", WithdrawalReason.Category.STUDY, False),
    ("Health reasons", WithdrawalReason.Category.HEALTH, True),
    ("Personal reasons", WithdrawalReason.Category.PERSONAL, False),
    ("Other reason", WithdrawalReason.Category.OTHER, False),
]

REASON_MODELS: dict[str, type[UnsuccessfulReason] | type[WithdrawalReason]] = {
    "unsuccessful": UnsuccessfulReason,
    "withdrawal": WithdrawalReason,
}


def reasons_ensure_defaults(*, programme: Programme) -> None:
    """Give the programme the study's reasons, once. A programme that has
    any reason of a kind keeps its own list, however it was reworded."""
    if not UnsuccessfulReason.objects.filter(programme=programme).exists():
        for order, (label, category) in enumerate(DEFAULT_UNSUCCESSFUL_REASONS, start=1):
            UnsuccessfulReason.objects.create(
                programme=programme, label=label, category=category, order=order
            )
    if not WithdrawalReason.objects.filter(programme=programme).exists():
        for order, (label, category, health) in enumerate(DEFAULT_WITHDRAWAL_REASONS, start=1):
            WithdrawalReason.objects.create(
                programme=programme,
                label=label,
                category=category,
                reveals_health=health,
                order=order,
            )


def _reason_in_use(reason: UnsuccessfulReason | WithdrawalReason) -> bool:
    field = "unsuccessful_reason" if isinstance(reason, UnsuccessfulReason) else "withdrawal_reason"
    return Application.objects.filter(**{field: reason}).exists()


@transaction.atomic
def reason_create(
    *, programme: Programme, kind: str, by: User, **values: Any
) -> UnsuccessfulReason | WithdrawalReason:
    model = REASON_MODELS[kind]
    reason = model(programme=programme, **values)
    reason.full_clean()
    reason.save()
    return reason


@transaction.atomic
def reason_update(
    *, reason: UnsuccessfulReason | WithdrawalReason, by: User, **values: Any
) -> UnsuccessfulReason | WithdrawalReason:
    """Reword a reason. Its reporting category cannot change once it is in
    use, so that earlier figures keep their meaning."""
    reason = type(reason).objects.select_for_update().get(pk=reason.pk)
    if "category" in values and values["category"] != reason.category and _reason_in_use(reason):
        raise RecruitmentError(
            "This reason is already in use, so its reporting category cannot change. "
            "Archive it and add a new reason instead."
        )
    for name, value in values.items():
        setattr(reason, name, value)
    reason.full_clean()
    reason.save()
    return reason


@transaction.atomic
def reason_set_archived(
    *, reason: UnsuccessfulReason | WithdrawalReason, archived: bool, by: User
) -> UnsuccessfulReason | WithdrawalReason:
    """Archive a reason (it stays on the applications that used it) or bring
    it back."""
    reason = type(reason).objects.select_for_update().get(pk=reason.pk)
    reason.is_archived = archived
    reason.full_clean()
    reason.save()
    return reason


@transaction.atomic
def reason_delete(*, reason: UnsuccessfulReason | WithdrawalReason, by: User) -> None:
    """Delete a reason that was never used; one in use is archived instead."""
    if _reason_in_use(reason):
        raise RecruitmentError(
            "This reason is in use on applications, so it cannot be deleted. Archive it instead."
        )
    reason.delete()


# Outcome letters.

# The unsuccessful reason in a letter is a kind phrase chosen by the reason's
# reporting category, never the lead's own wording of it: that wording is for
# staff, and might say more than a letter should.
KIND_REASONS = {
    UnsuccessfulReason.Category.NOT_READY_FOR_TRAINING: (
        "we feel that now may not be the right time for you to take on a 12-week training programme"
    ),
    UnsuccessfulReason.Category.NEEDS_VOLUNTEERING: (
        "we think a little more volunteering experience would help you get the most "
        "out of the training"
    ),
    UnsuccessfulReason.Category.NOT_ELIGIBLE: (
        "the course is not quite the right fit for your circumstances at the moment"
    ),
    UnsuccessfulReason.Category.COHORT_FULL: "all the places on this course have been filled",
    UnsuccessfulReason.Category.OTHER: "we were not able to offer you a place this time",
}

LETTER_FOR_STAGE = {
    Stage.OFFERED: "recruitment.offer",
    Stage.UNSUCCESSFUL: "recruitment.unsuccessful",
    Stage.DEFERRED: "recruitment.deferral",
}

LETTER_KINDS = [
    letters.LetterKind(
        key="recruitment.offer",
        label="Offer of a training place",
        placeholders=(
            "preferred_name",
            "full_name",
            "programme_name",
            "cohort_name",
            "training_start",
            "training_end",
            "today",
            "signed_by",
        ),
        default_subject="Your place on the {{ programme_name }} training",
        default_body=(
            "{{ today }}\n\nDear {{ preferred_name }},\n\n"
            "Thank you for applying to the {{ programme_name }}. We are delighted to offer "
            "you a place on the training course for {{ cohort_name }}. The course starts on "
            "{{ training_start }} and ends on {{ training_end }}.\n\n"
            "Please let us know whether you would like to accept the place. If you need "
            "anything to be arranged differently so that you can take part, tell us and we "
            "will talk it through with you.\n\n"
            "With best wishes,\n\n{{ signed_by }}\n{{ programme_name }}"
        ),
    ),
    letters.LetterKind(
        key="recruitment.unsuccessful",
        label="Application not successful",
        placeholders=(
            "preferred_name",
            "full_name",
            "programme_name",
            "cohort_name",
            "reason",
            "today",
            "signed_by",
        ),
        default_subject="Your application to the {{ programme_name }}",
        default_body=(
            "{{ today }}\n\nDear {{ preferred_name }},\n\n"
            "Thank you for applying to the {{ programme_name }} and for the time you gave "
            "us. We are sorry that we cannot offer you a place in {{ cohort_name }}: "
            "{{ reason }}.\n\n"
            "This is not the end of the road. You are very welcome to apply for a later "
            "cohort, and we would be glad to talk about ways to get there, such as "
            "volunteering opportunities.\n\n"
            "With best wishes,\n\n{{ signed_by }}\n{{ programme_name }}"
        ),
    ),
    letters.LetterKind(
        key="recruitment.deferral",
        label="Place deferred to a later cohort",
        placeholders=(
            "preferred_name",
            "full_name",
            "programme_name",
            "cohort_name",
            "later_cohort_name",
            "later_training_start",
            "today",
            "signed_by",
        ),
        default_subject="Your application moves to {{ later_cohort_name }}",
        default_body=(
            "{{ today }}\n\nDear {{ preferred_name }},\n\n"
            "As we discussed, your application to {{ cohort_name }} of the "
            "{{ programme_name }} now moves to {{ later_cohort_name }}, whose training starts "
            "on {{ later_training_start }}. You do not need to apply again.\n\n"
            "We look forward to staying in touch until then.\n\n"
            "With best wishes,\n\n{{ signed_by }}\n{{ programme_name }}"
        ),
    ),
]


def letter_kind_for(application: Application) -> str | None:
    return LETTER_FOR_STAGE.get(application.stage)


def letter_values(*, application: Application, by: User) -> dict[str, str]:
    """The only facts a recruitment letter may carry, as plain strings."""
    person = application.person
    cohort = application.cohort
    values = {
        "preferred_name": person.preferred_name or person.first_name,
        "full_name": person.legal_name,
        "programme_name": cohort.programme.name,
        "cohort_name": cohort.name,
        "training_start": date_format(cohort.training_start),
        "training_end": date_format(cohort.training_end),
        "today": date_format(timezone.localdate()),
        "signed_by": by.full_name,
        "reason": "",
        "later_cohort_name": "",
        "later_training_start": "",
    }
    if application.stage == Stage.UNSUCCESSFUL and application.unsuccessful_reason:
        values["reason"] = KIND_REASONS.get(
            application.unsuccessful_reason.category, KIND_REASONS["other"]
        )
    if application.stage == Stage.DEFERRED and application.deferred_to_id:
        later = application.deferred_to.cohort
        values["later_cohort_name"] = later.name
        values["later_training_start"] = date_format(later.training_start)
    return values


def letter_key(application: Application, kind: str) -> str:
    return f"recruitment.application:{application.pk}:{kind}"


@transaction.atomic
def application_letter_issue(*, application: Application, by: User) -> Letter:
    """Issue the outcome letter for the application's current stage: e-mailed
    where the person agreed to e-mail, otherwise marked for posting."""
    kind = letter_kind_for(application)
    if kind is None:
        raise RecruitmentError(
            "There is no outcome letter for this stage. Letters are for offers, "
            "unsuccessful applications and deferrals."
        )
    return letters.letter_issue(
        person=application.person,
        kind=kind,
        key=letter_key(application, kind),
        values=letter_values(application=application, by=by),
        by=by,
    )
