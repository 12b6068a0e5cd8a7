"""Absences of peer workers in post, with their cover and, for sickness,
the health category."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from deployment.models import (
    Absence,
    AbsenceHealth,
    Appointment,
    ReserveEntry,
)
from deployment.services.common import DeploymentError, clean_or_refuse
from deployment.snapshots import retention_snapshots_revise
from peerprog.core.models import User


def _check_absence(
    *,
    appointment: Appointment,
    kind: str,
    starts_on: date,
    ends_on: date | None,
    cover: str,
    cover_reserve: ReserveEntry | None,
    exclude: int | None = None,
) -> None:
    if appointment.start_date is None or starts_on < appointment.start_date:
        raise DeploymentError("An absence cannot start before the person's first day in post.")
    if ends_on is not None and ends_on < starts_on:
        raise DeploymentError("An absence cannot end before it starts.")
    # Leave is planned ahead; sickness is recorded once it has begun.
    if kind == Absence.Kind.SICKNESS and starts_on > timezone.localdate():
        raise DeploymentError(
            "A sickness absence cannot start in the future: record it once it has begun."
        )
    if appointment.ended_on and (ends_on is None or ends_on > appointment.ended_on):
        raise DeploymentError("An absence cannot run past the person's last day in post.")
    overlapping = (
        Absence.objects.filter(appointment=appointment)
        .exclude(pk=exclude)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    clash = overlapping.first()
    if clash is not None:
        raise DeploymentError(
            f"This overlaps the absence that starts on {clash.starts_on:%-d %B %Y}."
        )
    if cover == Absence.Cover.RESERVE:
        if cover_reserve is None:
            raise DeploymentError("Name the reserve peer worker who covers the absence.")
        if cover_reserve.programme_id != appointment.programme_id:
            raise DeploymentError("Choose a reserve of this programme.")
        if cover_reserve.person_id == appointment.person_id:
            raise DeploymentError("A person cannot cover their own absence.")
        if not cover_reserve.is_standing_on(starts_on):
            raise DeploymentError(
                f"{cover_reserve.person.display_name} is not on the reserve list on "
                f"{starts_on:%-d %B %Y}."
            )
        if ends_on is not None and ends_on > cover_reserve.stands_until:
            raise DeploymentError(
                f"{cover_reserve.person.display_name} is on the reserve list until "
                f"{cover_reserve.stands_until:%-d %B %Y}: reserve cover cannot run past that."
            )
    elif cover_reserve is not None:
        raise DeploymentError("Only reserve cover names a reserve peer worker.")


def _save_health(absence: Absence, health_category: str) -> None:
    existing = AbsenceHealth.objects.filter(absence=absence).first()
    if absence.kind != Absence.Kind.SICKNESS or not health_category:
        if existing is not None:
            existing.delete()
        return
    health = existing or AbsenceHealth(absence=absence)
    health.category = health_category
    clean_or_refuse(instance=health)
    health.save()


@transaction.atomic
def absence_record(
    *,
    appointment: Appointment,
    kind: str,
    starts_on: date,
    by: User,
    ends_on: date | None = None,
    cover: str = Absence.Cover.NONE,
    cover_reserve: ReserveEntry | None = None,
    health_category: str = "",
) -> Absence:
    """Record an absence of a peer worker in post, and how it is covered.

    Long absences may be covered by a reserve peer worker named from the
    reserve list, whose entry must stand on the first day of the absence.
    A sickness absence may carry a health category (HR and leads only).
    Someone who has left or moved post may have an absence recorded late,
    within their time in the post. One dated into a month whose retention snapshot is already taken
    re-takes it (and the later months taken) as a revision.
    """
    appointment = (
        Appointment.objects.select_for_update().select_related("person").get(pk=appointment.pk)
    )
    # An absence recorded late may belong to someone who has since left or
    # moved post: it must then lie within their time in this post, which
    # ``_check_absence`` holds.
    ended = (Appointment.Status.LEFT, Appointment.Status.TRANSFERRED)
    if appointment.status != Appointment.Status.IN_POST and appointment.status not in ended:
        raise DeploymentError("Absences are recorded for peer workers in post.")
    _check_absence(
        appointment=appointment,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        cover=cover,
        cover_reserve=cover_reserve,
    )
    absence = Absence(
        appointment=appointment,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        cover=cover,
        cover_reserve=cover_reserve,
        recorded_by=by,
    )
    clean_or_refuse(instance=absence)
    absence.save()
    _save_health(absence, health_category)
    retention_snapshots_revise(programme_id=appointment.programme_id, since=starts_on)
    return absence


@transaction.atomic
def absence_update(
    *,
    absence: Absence,
    by: User,
    kind: str,
    starts_on: date,
    ends_on: date | None,
    cover: str,
    cover_reserve: ReserveEntry | None,
    health_category: str | None = None,
) -> Absence:
    """Change an absence (usually to record the last day). A
    ``health_category`` of None leaves the recorded category as it is.
    When it was, or now is, dated into a month whose retention snapshot is
    already taken, that month (and the later months taken) is re-taken as a
    revision."""
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    appointment = Appointment.objects.select_for_update().get(pk=absence.appointment_id)
    _check_absence(
        appointment=appointment,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        cover=cover,
        cover_reserve=cover_reserve,
        exclude=absence.pk,
    )
    since = min(absence.starts_on, starts_on)
    absence.kind = kind
    absence.starts_on = starts_on
    absence.ends_on = ends_on
    absence.cover = cover
    absence.cover_reserve = cover_reserve
    clean_or_refuse(instance=absence)
    absence.save()
    if health_category is not None or kind != Absence.Kind.SICKNESS:
        _save_health(absence, health_category or "")
    retention_snapshots_revise(programme_id=appointment.programme_id, since=since)
    return absence
