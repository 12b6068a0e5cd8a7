"""The editable lists of unsuccessful, withdrawal and deferral reasons."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from peerprog.core.models import Programme, User
from recruitment.models import (
    Application,
    DeferralReason,
    UnsuccessfulReason,
    WithdrawalReason,
)
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
DEFAULT_DEFERRAL_REASONS = [
    ("The course dates do not suit", DeferralReason.Category.COURSE_DATES, False),
    ("More volunteering experience first", DeferralReason.Category.NEEDS_EXPERIENCE, False),
    ("Work or study commitments", DeferralReason.Category.WORK_OR_STUDY, False),
    ("Caring responsibilities", DeferralReason.Category.CARING, False),
    ("Health reasons", DeferralReason.Category.HEALTH, True),
    ("Personal reasons", DeferralReason.Category.PERSONAL, False),
    ("No places left in this cohort", DeferralReason.Category.COHORT_FULL, False),
    ("Other reason", DeferralReason.Category.OTHER, False),
]

Reason = UnsuccessfulReason | WithdrawalReason | DeferralReason

REASON_MODELS: dict[str, type[Reason]] = {
    "unsuccessful": UnsuccessfulReason,
    "withdrawal": WithdrawalReason,
    "deferral": DeferralReason,
}
# The application field that holds a reason of each list.
REASON_FIELDS: dict[type[Reason], str] = {
    UnsuccessfulReason: "unsuccessful_reason",
    WithdrawalReason: "withdrawal_reason",
    DeferralReason: "deferral_reason",
}


def reasons_ensure_defaults(*, programme: Programme) -> None:
    """Give the programme the study's reasons, once. A programme that has
    any reason of a kind keeps its own list, however it was reworded."""
    if not UnsuccessfulReason.objects.filter(programme=programme).exists():
        for order, (label, category) in enumerate(DEFAULT_UNSUCCESSFUL_REASONS, start=1):
            UnsuccessfulReason.objects.create(
                programme=programme, label=label, category=category, order=order
            )
    for model, defaults in (
        (WithdrawalReason, DEFAULT_WITHDRAWAL_REASONS),
        (DeferralReason, DEFAULT_DEFERRAL_REASONS),
    ):
        if model.objects.filter(programme=programme).exists():
            continue
        for order, (label, category, health) in enumerate(defaults, start=1):
            model.objects.create(
                programme=programme,
                label=label,
                category=category,
                reveals_health=health,
                order=order,
            )


def _reason_in_use(reason: Reason) -> bool:
    return Application.objects.filter(**{REASON_FIELDS[type(reason)]: reason}).exists()


@transaction.atomic
def reason_create(*, programme: Programme, kind: str, by: User, **values: Any) -> Reason:
    model = REASON_MODELS[kind]
    reason = model(programme=programme, **values)
    reason.full_clean()
    reason.save()
    return reason


@transaction.atomic
def reason_update(*, reason: Reason, by: User, **values: Any) -> Reason:
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
def reason_set_archived(*, reason: Reason, archived: bool, by: User) -> Reason:
    """Archive a reason (it stays on the applications that used it) or bring
    it back."""
    reason = type(reason).objects.select_for_update().get(pk=reason.pk)
    reason.is_archived = archived
    reason.full_clean()
    reason.save()
    return reason


@transaction.atomic
def reason_delete(*, reason: Reason, by: User) -> None:
    """Delete a reason that was never used; one in use is archived instead."""
    if _reason_in_use(reason):
        raise RecruitmentError(
            "This reason is in use on applications, so it cannot be deleted. Archive it instead."
        )
    reason.delete()
