"""Moving applications between stages: the one door.

``application_move`` holds the explicit map of allowed moves, locks the
application with ``select_for_update``, refuses in plain words what the
rules do not allow, and writes an ``ApplicationMove`` on the timeline every
time. Accepting announces ``application_accepted`` inside the same
transaction, so the training app enrols the person, or nothing happens.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from peerprog.core.models import User
from peerprog.core.services import DomainError
from recruitment.models import (
    Application,
    ApplicationMove,
    Cohort,
    DeferralReason,
    UnsuccessfulReason,
    WithdrawalReason,
)
from recruitment.signals import application_accepted

Stage = Application.Stage


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


def allowed_moves(*, application: Application) -> list[str]:
    """The stages this application may move to next, in pipeline order."""
    allowed = ALLOWED_MOVES[application.stage]
    return [stage for stage in Stage.values if stage in allowed]


def _stage_label(stage: str) -> str:
    return Stage(stage).label.lower() if stage else "new"


def _check_move(application: Application, to_stage: str, *, closed_ok: bool = False) -> None:
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
    if application.cohort.status == Cohort.Status.CLOSED and not closed_ok:
        raise RecruitmentError(
            f"{application.cohort.name} is closed. Reopen it (change its status) "
            "before changing its applications."
        )


def _check_move_date(application: Application, at: datetime) -> datetime:
    """A move happens on or after the day the application was received and
    the day of its last move; one dated the same day as the last move is
    placed just after it on the timeline."""
    day = timezone.localdate(at)
    if day < application.received_on:
        raise RecruitmentError(
            "A move cannot be dated before the application was received "
            f"({application.received_on:%-d %B %Y})."
        )
    last = application.stage_changed_at
    if last is not None and application.moves.exists():
        last_day = timezone.localdate(last)
        if day < last_day:
            raise RecruitmentError(
                f"A move cannot be dated before the application's last move ({last_day:%-d %B %Y})."
            )
        if at < last:
            at = last + timedelta(seconds=1)
    return at


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
    deferral_reason: DeferralReason | None = None,
    to_cohort: Cohort | None = None,
    override_capacity: bool = False,
    at: datetime | None = None,
    later: Application | None = None,
    closed_ok: bool = False,
) -> Application:
    """Move an application to another stage: the one door for every move.

    Rules: only the moves in ``ALLOWED_MOVES``; nothing in a closed cohort;
    a move back needs a note; unsuccessful needs a reason from the
    programme's list, withdrawn a withdrawal reason, deferred a deferral
    reason; an offer beyond the
    cohort's capacity is refused unless ``override_capacity`` is set with a
    note saying why; deferral needs a later cohort and creates the
    application there. Every move writes an ``ApplicationMove`` (who, when,
    why). Accepting sends ``application_accepted`` inside this transaction.
    ``at`` records a move made earlier than it is entered (never the future,
    never before the application was received or before its last move); the
    move keeps when it was recorded beside it.

    Two switches serve a programme's history brought in from a workbook:
    ``later`` is the person's application to the later cohort when it is
    already on record (the deferral links it instead of creating one), and
    ``closed_ok`` records a past move in a cohort that has since closed (the
    caller makes sure the application ends with an outcome, as a closed
    cohort's applications do). Neither sends or queues anything; no move does.
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
    _check_move(application, to_stage, closed_ok=closed_ok)
    at = _check_move_date(application, at)
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
    if to_stage == Stage.DEFERRED:
        if deferral_reason is None:
            raise RecruitmentError("Choose a reason why the application was deferred.")
        if deferral_reason.programme_id != programme_id or deferral_reason.is_archived:
            raise RecruitmentError("Choose a reason from the programme's current list.")

    if to_stage == Stage.DEFERRED:
        later = _deferred_application(
            application=application,
            to_cohort=to_cohort,
            by=by,
            at=at,
            later=later,
            closed_ok=closed_ok,
        )
    else:
        later = None

    application.stage = to_stage
    application.stage_changed_at = at
    application.unsuccessful_reason = (
        unsuccessful_reason if to_stage == Stage.UNSUCCESSFUL else None
    )
    application.withdrawal_reason = withdrawal_reason if to_stage == Stage.WITHDRAWN else None
    application.deferral_reason = deferral_reason if to_stage == Stage.DEFERRED else None
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


def _deferred_application(
    *,
    application: Application,
    to_cohort: Cohort | None,
    by: User,
    at: datetime,
    later: Application | None,
    closed_ok: bool,
) -> Application:
    """The application in the later cohort: created, or the one given."""
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
    if to_cohort.status == Cohort.Status.CLOSED and not closed_ok:
        raise RecruitmentError(f"{to_cohort.name} is closed.")
    if later is not None:
        return _link_later(application=application, to_cohort=to_cohort, later=later)
    if Application.objects.filter(cohort=to_cohort, person=application.person_id).exists():
        raise RecruitmentError(
            f"{application.person.display_name} has already applied to {to_cohort.name}."
        )
    later = Application(
        cohort=to_cohort,
        person=application.person,
        received_on=timezone.localdate(at),
        source=application.source,
        arrived=application.arrived,
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


def _link_later(*, application: Application, to_cohort: Cohort, later: Application) -> Application:
    if later.cohort_id != to_cohort.pk or later.person_id != application.person_id:
        raise RecruitmentError(
            f"The application to link is not {application.person.display_name}'s "
            f"application to {to_cohort.name}."
        )
    if Application.objects.filter(deferred_to=later).exclude(pk=application.pk).exists():
        raise RecruitmentError(
            f"{application.person.display_name}'s application to {to_cohort.name} is already "
            "linked to a deferral from another cohort."
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
    *,
    application: Application,
    to_cohort: Cohort,
    reason: DeferralReason,
    by: User,
    note: str = "",
    at: datetime | None = None,
) -> Application:
    """Defer to a later cohort: the application there is created and linked."""
    return application_move(
        application=application,
        to_stage=Stage.DEFERRED,
        by=by,
        note=note,
        deferral_reason=reason,
        to_cohort=to_cohort,
        at=at,
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
    at: datetime | None = None,
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
                at=at,
            )
        except RecruitmentError as error:
            raise RecruitmentError(
                f"Nothing was changed. {application.person.display_name}: {error.message}"
            ) from error
        count += 1
    if not count:
        raise RecruitmentError("Choose at least one application.")
    return count
