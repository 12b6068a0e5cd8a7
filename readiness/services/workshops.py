"""Preparation workshops for the teams that receive peer workers."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from peerprog.core.models import Service, User
from readiness.models import PreparationWorkshop, WorkshopAttendance
from readiness.services.common import ReadinessError, apply, clean_or_refuse


def _save_attendance(workshop: PreparationWorkshop, attendance: dict[str, int]) -> None:
    unknown = set(attendance) - set(WorkshopAttendance.StaffRole.values)
    if unknown:
        raise ReadinessError("Give attendance only for the roles listed.")
    for count in attendance.values():
        if count is not None and count < 0:
            raise ReadinessError("A number of staff cannot be below zero.")
    workshop.attendance.all().delete()
    for role, count in attendance.items():
        if count:
            row = WorkshopAttendance(workshop=workshop, role=role, count=count)
            row.full_clean()
            row.save()


@transaction.atomic
def workshop_record(
    *, service: Service, by: User, attendance: dict[str, int] | None = None, **values: Any
) -> PreparationWorkshop:
    """Record a preparation workshop held with a service's team.

    Attendance is a count per staff role; staff names are optional. Raises
    ``ReadinessError`` when the service is not in the recorder's programme.
    """
    if service.programme_id != by.programme_id:
        raise ReadinessError("Choose a service of your programme.")
    workshop = PreparationWorkshop(
        programme_id=service.programme_id, service=service, recorded_by=by, **values
    )
    clean_or_refuse(instance=workshop)
    workshop.save()
    _save_attendance(workshop, attendance or {})
    return workshop


@transaction.atomic
def workshop_update(
    *,
    workshop: PreparationWorkshop,
    by: User,
    attendance: dict[str, int] | None = None,
    **values: Any,
) -> PreparationWorkshop:
    workshop = PreparationWorkshop.objects.select_for_update().get(pk=workshop.pk)
    apply(instance=workshop, values=values)
    clean_or_refuse(instance=workshop)
    workshop.save()
    if attendance is not None:
        _save_attendance(workshop, attendance)
    return workshop
