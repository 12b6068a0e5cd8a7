"""Leavers, and the editable list of leaving reasons."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from deployment.models import (
    Appointment,
    LeavingReason,
)
from deployment.services.appointments import _lock_active, _reopen
from deployment.services.common import DeploymentError, apply, clean_or_refuse
from deployment.snapshots import retention_snapshots_revise
from peerprog.core.accounts import account_review
from peerprog.core.models import Programme, User


@transaction.atomic
def appointment_leave(
    *, appointment: Appointment, last_day: date, reason: LeavingReason, by: User
) -> Appointment:
    """Record a leaver: the appointment ends on ``last_day`` with a reason,
    any open absence ends with it, and the post is vacant again. A leaver
    is recorded on or after their last day, never ahead of it. A last day in
    a month whose retention snapshot is already taken re-takes it (and the
    later months taken) as a revision."""
    if last_day > timezone.localdate():
        raise DeploymentError(
            "The last day in post cannot be in the future: record the leaver on or after it."
        )
    appointment = _lock_active(appointment)
    if appointment.status != Appointment.Status.IN_POST:
        raise DeploymentError(
            "This person has not started yet: withdraw the offer instead of recording a leaver."
        )
    if reason.programme_id != appointment.programme_id or reason.is_archived:
        raise DeploymentError("Choose a leaving reason from the list.")
    if appointment.start_date and last_day < appointment.start_date:
        raise DeploymentError("The last day in post cannot be before the start date.")
    latest = appointment.absences.aggregate(latest=Max("starts_on"))["latest"]
    if latest and latest > last_day:
        raise DeploymentError(
            "An absence starts after this last day in post; correct the absence first."
        )
    for absence in appointment.absences.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=last_day)):
        absence.ends_on = last_day
        absence.save()
    appointment.status = Appointment.Status.LEFT
    appointment.ended_on = last_day
    appointment.leaving_reason = reason
    clean_or_refuse(instance=appointment)
    appointment.save()
    _reopen(appointment.post)
    retention_snapshots_revise(programme_id=appointment.programme_id, since=last_day)
    # A leaver with no other part in the programme signs in no more.
    account_review(user_id=appointment.person.user_id, by=by)
    return appointment


# The study's reasons, in the programme's own words to start with.
DEFAULT_LEAVING_REASONS = [
    ("Paid employment elsewhere", LeavingReason.Category.PAID_EMPLOYMENT),
    ("Further study", LeavingReason.Category.FURTHER_STUDY),
    ("Ill health", LeavingReason.Category.ILL_HEALTH),
    ("Personal factors", LeavingReason.Category.PERSONAL),
    ("End of fixed-term contract", LeavingReason.Category.END_OF_CONTRACT),
    ("Dismissal", LeavingReason.Category.DISMISSAL),
    ("Retirement", LeavingReason.Category.RETIREMENT),
    ("Other", LeavingReason.Category.OTHER),
]


@transaction.atomic
def leaving_reasons_ensure_defaults(*, programme: Programme, by: User) -> int:
    """Give a programme the default leaving reasons if it has none yet.
    Returns how many were created."""
    if LeavingReason.objects.filter(programme=programme).exists():
        return 0
    for order, (label, category) in enumerate(DEFAULT_LEAVING_REASONS):
        reason = LeavingReason(programme=programme, label=label, category=category, order=order)
        reason.full_clean()
        reason.save()
    return len(DEFAULT_LEAVING_REASONS)


@transaction.atomic
def leaving_reason_create(*, programme: Programme, by: User, **values: Any) -> LeavingReason:
    reason = LeavingReason(programme=programme, **values)
    clean_or_refuse(instance=reason)
    reason.save()
    return reason


@transaction.atomic
def leaving_reason_update(*, reason: LeavingReason, by: User, **values: Any) -> LeavingReason:
    """Reword, recategorise or archive a leaving reason. Reasons are never
    deleted: one in use stays on the leavers it explains."""
    reason = LeavingReason.objects.select_for_update().get(pk=reason.pk)
    apply(instance=reason, values=values)
    clean_or_refuse(instance=reason)
    reason.save()
    return reason
