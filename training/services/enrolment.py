"""Enrolment: the hand-over from recruitment and the one door for moves
between enrolment states."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from peerprog.core.accounts import account_review
from peerprog.core.models import User
from recruitment.models import Application
from training.defaults import cohort_training_ensure
from training.models import Enrolment, NonCompletionReason
from training.services.common import TrainingError


@transaction.atomic
def enrolment_enrol(*, application: Application, by: User | None = None) -> Enrolment:
    """Enrol the person of an accepted application on its cohort, once.

    Called by the receiver of recruitment's ``application_accepted`` signal,
    inside recruitment's transaction. A repeat returns the existing
    enrolment (the unique constraint on the application decides). Creates
    the cohort's training settings if they are missing.
    """
    if application.stage != Application.Stage.ACCEPTED:
        raise TrainingError("Only an accepted application leads to an enrolment.")
    existing = Enrolment.objects.filter(application=application).first()
    if existing is not None:
        return existing
    cohort_training_ensure(cohort=application.cohort)
    enrolment = Enrolment(
        application=application,
        cohort_id=application.cohort_id,
        person_id=application.person_id,
        status=Enrolment.Status.ACTIVE,
        # Enrolled the day the place was accepted, however late it is entered.
        enrolled_at=application.stage_changed_at,
    )
    enrolment.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        return Enrolment.objects.get(application=application)
    return enrolment


def lock_open_enrolment(*, enrolment: Enrolment) -> Enrolment:
    """The enrolment, locked for the rest of the transaction, or a refusal
    when it has already ended."""
    locked = Enrolment.objects.select_for_update().select_related("cohort").get(pk=enrolment.pk)
    if not locked.is_open:
        raise TrainingError(
            f"{locked.person.display_name}'s course has already ended "
            f"({locked.get_status_display().lower()}), so nothing more can be decided on it."
        )
    return locked


def enrolment_move(*, enrolment: Enrolment, to: str, **fields: Any) -> Enrolment:
    """Move a locked enrolment to another state, through the one map of
    allowed moves. Callers hold the lock (``lock_open_enrolment``)."""
    if to not in Enrolment.MOVES[enrolment.status]:
        raise TrainingError(
            f"An enrolment that is {enrolment.get_status_display().lower()} cannot become "
            f"{Enrolment.Status(to).label.lower()}."
        )
    enrolment.status = to
    for name, value in fields.items():
        setattr(enrolment, name, value)
    enrolment.full_clean(validate_unique=False)
    enrolment.save()
    return enrolment


@transaction.atomic
def enrolment_close(
    *,
    enrolment: Enrolment,
    reason: NonCompletionReason,
    ended_on: date | None = None,
    by: User,
) -> Enrolment:
    """Record that a trainee did not complete: left the programme, or did
    not submit or complete the portfolio. Only an open enrolment can end,
    on a day neither in the future, nor before the cohort's training
    started, nor before the trainee was enrolled."""
    locked = lock_open_enrolment(enrolment=enrolment)
    if reason.programme_id != locked.cohort.programme_id:
        raise TrainingError("Choose one of your programme's reasons.")
    if reason.is_archived:
        raise TrainingError("This reason has been archived; choose a current one.")
    ended_on = ended_on or timezone.localdate()
    if ended_on > timezone.localdate():
        raise TrainingError("The end of the course cannot be dated in the future.")
    if ended_on < locked.cohort.training_start:
        raise TrainingError("The course cannot end before the cohort's training started.")
    enrolled_on = timezone.localdate(locked.enrolled_at)
    if ended_on < enrolled_on:
        raise TrainingError(
            f"{locked.person.display_name} was enrolled on {enrolled_on:%-d %B %Y}, so their "
            "course cannot end before that day."
        )
    closed = enrolment_move(
        enrolment=locked,
        to=Enrolment.Status.NOT_COMPLETED,
        non_completion_reason=reason,
        ended_on=ended_on,
    )
    # A trainee with no other part in the programme signs in no more.
    account_review(user_id=closed.person.user_id, by=by)
    return closed
