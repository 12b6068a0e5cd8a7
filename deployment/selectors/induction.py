"""Reads of the induction checklist: progress per appointment, the
inductions still in progress, items overdue (for reminders), and the
programme's template.

An item is due ``due_days`` after the start date; it is overdue once that
day has passed without it being done, and only for someone in post. Dates
are compared in the database (days since the start date against the
item's days), so every read is a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Value

from deployment.models import Appointment, InductionItem, InductionOwner, InductionTemplateItem
from deployment.selectors.common import READERS
from peerprog.core.access import get_in_programme_or_404, require_role, scoped
from peerprog.core.models import User


def days_in_post(*, today: date, start_date: str = "start_date") -> Func:
    """Whole days from the start date (a field path) to ``today``: in
    PostgreSQL a date minus a date is a number of days."""
    return Func(
        Value(today),
        F(start_date),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def induction_progress(*, appointment: Appointment, today: date) -> Progress:
    """Progress of one appointment's checklist, from its prefetched items."""
    items = list(appointment.induction_items.all())
    overdue = 0
    if appointment.status == Appointment.Status.IN_POST and appointment.start_date:
        overdue = sum(
            1
            for item in items
            if item.done_on is None and item.due_on(appointment.start_date) < today
        )
    return Progress(
        done=sum(1 for item in items if item.done_on), total=len(items), overdue=overdue
    )


def overdue_items_q(*, today: date, prefix: str = "") -> Q:
    """Items (reached through ``prefix``) not done and past their due day,
    of appointments in post."""
    return Q(
        **{
            f"{prefix}done_on__isnull": True,
            f"{prefix}appointment__status": Appointment.Status.IN_POST,
            f"{prefix}due_days__lt": days_in_post(
                today=today, start_date=f"{prefix}appointment__start_date"
            ),
        }
    )


def induction_checklists(*, user: User, today: date) -> QuerySet[Appointment]:
    """Active appointments with a checklist, complete or not, with ``done``,
    ``total`` and ``overdue`` counts, most overdue first. One query."""
    require_role(user, *READERS)
    overdue = Q(
        status=Appointment.Status.IN_POST,
        induction_items__done_on__isnull=True,
        induction_items__due_days__lt=days_in_post(today=today),
    )
    return (
        scoped(Appointment.objects.filter(status__in=Appointment.ACTIVE), user)
        .select_related("person", "post__service")
        .annotate(
            total=Count("induction_items"),
            done=Count("induction_items", filter=Q(induction_items__done_on__isnull=False)),
            overdue=Count("induction_items", filter=overdue),
        )
        .filter(total__gt=0)
        .order_by("-overdue", "start_date", "person__last_name", "pk")
    )


def inductions_in_progress(*, user: User, today: date) -> QuerySet[Appointment]:
    """Active appointments whose checklist is not all done, with ``done``,
    ``total`` and ``overdue`` counts, most overdue first. One query."""
    return induction_checklists(user=user, today=today).filter(total__gt=F("done"))


def induction_counts(*, user: User, today: date) -> dict[str, int]:
    """For HR's home: inductions in progress, and how many of them have an
    item overdue. Two queries."""
    rows = inductions_in_progress(user=user, today=today)
    return {
        "in_progress": rows.count(),
        "overdue": rows.filter(overdue__gt=0).count(),
    }


def overdue_items(*, today: date, owners: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every overdue item owned by one of ``owners``, in every programme,
    that fell due after it was put on the checklist (an item already past
    its day when entered reminds nobody). One query, for reminders."""
    return list(
        InductionItem.objects.filter(overdue_items_q(today=today), owner__in=owners)
        .filter(
            due_days__gte=Func(
                F("created_on"),
                F("appointment__start_date"),
                template="(%(expressions)s)",
                arg_joiner=" - ",
                output_field=IntegerField(),
            )
        )
        .order_by("pk")
        .values(
            "pk",
            "title",
            "owner",
            "due_days",
            "appointment_id",
            "appointment__programme_id",
            "appointment__start_date",
            "appointment__line_manager_id",
            "appointment__person_id",
            "appointment__person__first_name",
            "appointment__person__preferred_name",
            "appointment__person__last_name",
        )
    )


def induction_template(*, user: User) -> QuerySet[InductionTemplateItem]:
    require_role(user, *READERS)
    return scoped(InductionTemplateItem.objects.select_related("service"), user).order_by(
        "is_archived", "service__name", "order", "due_days", "title"
    )


def get_template_item_for_user(*, user: User, pk: Any) -> InductionTemplateItem:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        InductionTemplateItem.objects.select_related("service"), user, pk
    )


OWNER_WORDS = dict(InductionOwner.choices)
