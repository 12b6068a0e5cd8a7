"""The editable lists of unsuccessful and withdrawal reasons."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from peerprog.core.models import Programme, User
from recruitment.models import Application, UnsuccessfulReason, WithdrawalReason
from recruitment.services.moves import RecruitmentError

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
