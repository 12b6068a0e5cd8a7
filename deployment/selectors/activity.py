"""Reads for the activity pages: the appointment a week is recorded for
(scoped by who is asking), the week as recorded or, when it is not yet,
the last week recorded before it as the pattern to start from, and the
programme's topics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum

from deployment.models import ActivityLine, ActivityTopic, ActivityWeek, Appointment
from peerprog.core.access import get_in_programme_or_404, require_role
from peerprog.core.dates import monday_of
from peerprog.core.models import Role, User

ACTIVITY_RECORDERS = (Role.PROGRAMME_LEAD,)
RECORDABLE = (Appointment.Status.IN_POST, Appointment.Status.LEFT, Appointment.Status.TRANSFERRED)


def activity_appointments() -> QuerySet[Appointment]:
    """Appointments with what the week page shows about them."""
    return Appointment.objects.select_related("person", "post__service", "programme").filter(
        status__in=RECORDABLE
    )


def appointment_for_lead(*, user: User, pk: Any) -> Appointment:
    """A lead records activity for any peer worker of their programme."""
    require_role(user, *ACTIVITY_RECORDERS)
    return get_in_programme_or_404(activity_appointments(), user, pk)


def topics_for_week(*, programme_id: int, week: ActivityWeek | None) -> QuerySet[ActivityTopic]:
    """The programme's topics that are offered, and any archived ones the
    week already has."""
    offered = Q(archived=False)
    if week is not None:
        offered |= Q(weeks=week)
    return ActivityTopic.objects.filter(offered, programme_id=programme_id).distinct()


def topic_list(*, user: User) -> QuerySet[ActivityTopic]:
    require_role(user, *ACTIVITY_RECORDERS)
    return ActivityTopic.objects.filter(programme_id=user.programme_id)


def topic_for_user(*, user: User, pk: Any) -> ActivityTopic:
    require_role(user, *ACTIVITY_RECORDERS)
    return get_in_programme_or_404(ActivityTopic.objects.all(), user, pk)


def _weeks() -> QuerySet[ActivityWeek]:
    return ActivityWeek.objects.prefetch_related(
        Prefetch("lines", queryset=ActivityLine.objects.order_by("pk")),
        Prefetch("topics", queryset=ActivityTopic.objects.only("pk")),
    )


@dataclass(frozen=True)
class WeekState:
    """The week the page is about, and what its form starts from."""

    week_starting: date
    recorded: ActivityWeek | None
    pattern: ActivityWeek | None
    previous: date | None
    next: date | None

    @property
    def source(self) -> ActivityWeek | None:
        return self.recorded or self.pattern

    def initial_lines(self) -> list[dict[str, Any]]:
        source = self.source
        if source is None:
            return []
        return [
            {
                "kind": line.kind,
                "setting": line.setting,
                "contacts": line.contacts,
                "minutes": line.minutes,
            }
            for line in source.lines.all()
        ]

    def initial_week(self) -> dict[str, Any]:
        source = self.source
        if source is None:
            return {}
        initial: dict[str, Any] = {"topics": [topic.pk for topic in source.topics.all()]}
        if self.recorded is not None:
            initial["note"] = self.recorded.note
        return initial


def parse_week(*, value: str | None, today: date) -> date:
    """The Monday of the week asked for (an ISO date in the address), or of
    last week, the week people usually record."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        day = None
    this_week = monday_of(today)
    if day is None or monday_of(day) > this_week:
        return this_week - timedelta(days=7)
    return monday_of(day)


def week_state(*, appointment: Appointment, week_starting: date, today: date) -> WeekState:
    """The recorded week, or the latest week before it as its pattern (two
    queries and their prefetches, however many lines they have)."""
    weeks = list(
        _weeks()
        .filter(appointment=appointment, week_starting__lte=week_starting)
        .order_by("-week_starting")[:2]
    )
    recorded = weeks[0] if weeks and weeks[0].week_starting == week_starting else None
    pattern = None
    if recorded is None and weeks:
        pattern = weeks[0]
    first = monday_of(appointment.start_date) if appointment.start_date else None
    last = monday_of(min(today, appointment.ended_on or today))
    previous = week_starting - timedelta(days=7)
    following = week_starting + timedelta(days=7)
    return WeekState(
        week_starting=week_starting,
        recorded=recorded,
        pattern=pattern,
        previous=previous if first is None or previous >= first else None,
        next=following if following <= last else None,
    )


def recent_weeks(*, appointment: Appointment, count: int = 8) -> list[ActivityWeek]:
    """The latest weeks recorded, with their totals, for the page's list."""
    return list(
        ActivityWeek.objects.filter(appointment=appointment)
        .annotate(contacts=Sum("lines__contacts"), minutes=Sum("lines__minutes"))
        .order_by("-week_starting")[:count]
    )
