"""Exports of the first months in post: every training record of the
programme's peer workers (filtered by service like the compliance page),
with where each stands against its expiry; and each induction checklist's
progress, one row per appointment. Registered by
``deployment.exports.register``'s caller, the app's ``ready``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import QueryDict
from django.utils import timezone

from deployment.exports import LISTS
from deployment.models import Appointment, InductionItem, TrainingRecord
from deployment.selectors.induction import inductions_in_progress
from deployment.selectors.training_records import STATE_WORDS, state_of
from peerprog.core import exports
from peerprog.core.access import scoped
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import Role, Service, User

TRAINING = "deployment.training_records"
INDUCTIONS = "deployment.inductions"
# Induction progress is HR's work, followed by the programme's leads.
INDUCTION_EXPORTERS = (Role.HR, Role.PROGRAMME_LEAD)
SHOW_WORDS = {
    "progress": "Inductions in progress",
    "overdue": "Inductions with an item overdue",
}


def _service_id(params: QueryDict) -> int | None:
    try:
        return int(params.get("service") or 0) or None
    except ValueError:
        return None


def training_rows(user: User, params: QueryDict) -> QuerySet[TrainingRecord]:
    """Records, with the service of the person's latest appointment."""
    latest_service = Subquery(
        Appointment.objects.filter(person=OuterRef("person"))
        .order_by("-start_date", "-pk")
        .values("post__service__name")[:1]
    )
    latest_service_id = Subquery(
        Appointment.objects.filter(person=OuterRef("person"))
        .order_by("-start_date", "-pk")
        .values("post__service_id")[:1]
    )
    rows = (
        scoped(TrainingRecord.objects.all(), user)
        .select_related("person", "course")
        .annotate(service_name=latest_service, service_id=latest_service_id)
        .order_by("person__last_name", "person__first_name", "course__name", "-completed_on")
    )
    service_id = _service_id(params)
    if service_id:
        rows = rows.filter(service_id=service_id)
    return rows


def describe_training(user: User, params: QueryDict) -> list[tuple[str, str]]:
    service_id = _service_id(params)
    if not service_id:
        return []
    service = scoped(Service.objects.filter(pk=service_id), user).first()
    return [("Service", service.name if service else "Unknown")]


def _state(record: Any) -> str:
    return STATE_WORDS[state_of(record=record, today=timezone.localdate())]


# Induction checklists


def _show(params: QueryDict) -> str:
    show = params.get("show", "progress")
    return show if show in SHOW_WORDS else "progress"


def induction_rows(user: User, params: QueryDict) -> QuerySet[Appointment]:
    """One row per appointment offered or in post whose checklist is not all
    done, as the inductions page lists them (``show=overdue``: only those
    with an item overdue), with the first item not yet done. One query."""
    next_item = InductionItem.objects.filter(
        appointment=OuterRef("pk"), done_on__isnull=True
    ).order_by("due_days", "order", "pk")
    rows = inductions_in_progress(user=user, today=timezone.localdate()).annotate(
        next_title=Subquery(next_item.values("title")[:1]),
        next_due_days=Subquery(next_item.values("due_days")[:1]),
    )
    if _show(params) == "overdue":
        rows = rows.filter(overdue__gt=0)
    return rows


def describe_inductions(user: User, params: QueryDict) -> list[tuple[str, str]]:
    return [("Show", SHOW_WORDS[_show(params)])]


def _next_due_on(appointment: Any) -> date | None:
    if appointment.next_due_days is None or appointment.start_date is None:
        return None
    return appointment.start_date + timedelta(days=appointment.next_due_days)


def register() -> None:
    exports.register(
        ExportSpec(
            key=TRAINING,
            title="Training records",
            roles=LISTS,
            columns=[
                Column("First name", lambda r: r.person.preferred_name or r.person.first_name),
                Column("Last name", lambda r: r.person.last_name),
                Column("Service", lambda r: r.service_name or ""),
                Column("Course", lambda r: r.course.name),
                Column("Mandatory", lambda r: r.course.is_mandatory),
                Column("Date completed", lambda r: r.completed_on),
                Column("Expires on", lambda r: r.expires_on),
                Column("Standing", _state),
            ],
            rows=training_rows,
            url_name="deployment:training-export",
            describe=describe_training,
        )
    )
    exports.register(
        ExportSpec(
            key=INDUCTIONS,
            title="Induction checklists",
            roles=INDUCTION_EXPORTERS,
            columns=[
                Column("First name", lambda a: a.person.preferred_name or a.person.first_name),
                Column("Last name", lambda a: a.person.last_name),
                Column("Service", lambda a: a.post.service.name),
                Column("Status", lambda a: a.get_status_display()),
                Column("Start date", lambda a: a.start_date),
                Column("Items", lambda a: a.total),
                Column("Done", lambda a: a.done),
                Column("Overdue", lambda a: a.overdue),
                Column("Next item", lambda a: a.next_title or ""),
                Column("Next item due on", _next_due_on),
            ],
            rows=induction_rows,
            url_name="deployment:induction-export",
            describe=describe_inductions,
        )
    )
