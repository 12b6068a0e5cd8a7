"""Enrolment: the hand-over from recruitment, the one door for moves
between enrolment states, and the editable non-completion reasons."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from peerprog.core.models import Programme, User
from peerprog.core.services import DomainError
from recruitment.models import Application
from training.models import Enrolment, NonCompletionReason


class TrainingError(DomainError):
    """A training action that was refused."""


Category = NonCompletionReason.Category

# The study's reasons, seeded for every programme. Leads may reword them.
DEFAULT_REASONS: list[tuple[str, str, bool]] = [
    ("Portfolio incomplete", Category.PORTFOLIO_INCOMPLETE, False),
    ("Portfolio not submitted", Category.PORTFOLIO_NOT_SUBMITTED, False),
    ("Left the programme: paid employment elsewhere", Category.LEFT_PAID_EMPLOYMENT, False),
    ("Left the programme: further study", Category.LEFT_FURTHER_STUDY, False),
    ("Left the programme: other volunteering", Category.LEFT_OTHER_VOLUNTEERING, False),
    ("Left the programme: health issues", Category.LEFT_HEALTH, True),
    ("Left the programme: personal factors", Category.LEFT_PERSONAL, True),
]


def non_completion_reasons_ensure_defaults(*, programme: Programme) -> list[NonCompletionReason]:
    """Seed the study's reasons for the programme, once per category.

    A category that already has a reason (perhaps reworded by a lead, or
    archived) is left alone, so running this again changes nothing.
    """
    with transaction.atomic():
        existing = set(
            NonCompletionReason.objects.filter(programme=programme).values_list(
                "category", flat=True
            )
        )
        for order, (label, category, reveals_health) in enumerate(DEFAULT_REASONS):
            if category in existing:
                continue
            reason = NonCompletionReason(
                programme=programme,
                label=label,
                category=category,
                reveals_health=reveals_health,
                order=order,
            )
            reason.full_clean()
            reason.save()
    return list(NonCompletionReason.objects.filter(programme=programme))


def _check_reason(reason: NonCompletionReason) -> None:
    if reason.category not in Category.values:
        raise TrainingError("Choose one of the reporting categories.")
    if reason.category in NonCompletionReason.HEALTH_CATEGORIES and not reason.reveals_health:
        # Health and personal factors are always special-category data.
        reason.reveals_health = True


@transaction.atomic
def non_completion_reason_create(
    *, programme: Programme, by: User, **values: Any
) -> NonCompletionReason:
    reason = NonCompletionReason(programme=programme, **values)
    _check_reason(reason)
    reason.full_clean()
    reason.save()
    return reason


@transaction.atomic
def non_completion_reason_update(
    *, reason: NonCompletionReason, by: User, **values: Any
) -> NonCompletionReason:
    """Reword, recategorise or archive a reason. Reasons are never deleted."""
    reason = NonCompletionReason.objects.select_for_update().get(pk=reason.pk)
    if (
        "category" in values
        and values["category"] != reason.category
        and reason.enrolments.exists()
    ):
        raise TrainingError(
            "This reason is already in use, so its reporting category cannot change. "
            "Archive it and add a new one instead."
        )
    for name, value in values.items():
        setattr(reason, name, value)
    _check_reason(reason)
    reason.full_clean()
    reason.save()
    return reason


def default_reason(programme: Programme, category: str) -> NonCompletionReason:
    """The programme's first reason in a category, seeding the defaults if needed."""
    reason = (
        NonCompletionReason.objects.filter(programme=programme, category=category)
        .order_by("is_archived", "order", "pk")
        .first()
    )
    if reason is None:
        non_completion_reasons_ensure_defaults(programme=programme)
        reason = NonCompletionReason.objects.filter(programme=programme, category=category).first()
    assert reason is not None
    return reason


@transaction.atomic
def enrolment_enrol(*, application: Application, by: User | None = None) -> Enrolment:
    """Enrol the person of an accepted application on its cohort, once.

    Called by the receiver of recruitment's ``application_accepted`` signal,
    inside recruitment's transaction. A repeat returns the existing
    enrolment (the unique constraint on the application decides). Creates
    the cohort's training settings if they are missing.
    """
    from training.services.course import cohort_training_ensure

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
    )
    enrolment.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        return Enrolment.objects.get(application=application)
    return enrolment


def lock_open_enrolment(enrolment: Enrolment) -> Enrolment:
    """The enrolment, locked for the rest of the transaction, or a refusal
    when it has already ended."""
    locked = Enrolment.objects.select_for_update().select_related("cohort").get(pk=enrolment.pk)
    if not locked.is_open:
        raise TrainingError(
            f"{locked.person.display_name}'s course has already ended "
            f"({locked.get_status_display().lower()}), so nothing more can be decided on it."
        )
    return locked


def enrolment_move(enrolment: Enrolment, to: str, **fields: Any) -> Enrolment:
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
    not submit or complete the portfolio. Only an open enrolment can end."""
    locked = lock_open_enrolment(enrolment)
    if reason.programme_id != locked.cohort.programme_id:
        raise TrainingError("Choose one of your programme's reasons.")
    if reason.is_archived:
        raise TrainingError("This reason has been archived; choose a current one.")
    ended_on = ended_on or timezone.localdate()
    if ended_on < locked.cohort.training_start:
        raise TrainingError("The course cannot end before the cohort's training started.")
    return enrolment_move(
        locked, Enrolment.Status.NOT_COMPLETED, non_completion_reason=reason, ended_on=ended_on
    )
