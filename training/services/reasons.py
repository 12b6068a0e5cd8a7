"""The editable reasons for not completing the course, seeded with the
study's own."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from peerprog.core.models import Programme, User
from training.defaults import non_completion_reasons_ensure_defaults
from training.models import NonCompletionReason
from training.services.common import TrainingError

Category = NonCompletionReason.Category


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


def default_reason(*, programme: Programme, category: str) -> NonCompletionReason:
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
