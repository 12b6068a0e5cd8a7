"""Appointments with their pre-employment checks, absences and story, the
people a line manager manages, and leaving reasons."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from deployment.models import (
    Absence,
    Appointment,
    InductionItem,
    LeavingReason,
    PreEmploymentCheck,
)
from deployment.selectors.common import READERS
from peerprog.core.access import (
    can_read_sensitive,
    get_in_programme_or_404,
    require_role,
    scoped,
)
from peerprog.core.kept_values import kept_values
from peerprog.core.models import Person, User
from peerprog.core.report_changes import read_unless_changed

# Appointments -------------------------------------------------------------


def _outstanding_checks() -> Any:
    """The appointment's checks not cleared yet. A subquery rather than a
    join and grouping: a page of the list counts the checks of its own rows
    only, not of every appointment before sorting."""
    checks = (
        PreEmploymentCheck.objects.filter(appointment=OuterRef("pk"))
        .exclude(status=PreEmploymentCheck.Status.CLEARED)
        .order_by()
        .values("appointment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(checks, output_field=IntegerField()), 0)


def appointment_list(*, user: User, status: str = "active") -> QuerySet[Appointment]:
    require_role(user, *READERS)
    appointments = (
        scoped(Appointment.objects.all(), user)
        .select_related("person", "post__service", "line_manager")
        .annotate(outstanding_checks=_outstanding_checks())
        .annotate(
            absent_now=Exists(
                Absence.objects.filter(
                    appointment=OuterRef("pk"), starts_on__lte=timezone.localdate()
                ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))
            )
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )
    if status == "active":
        appointments = appointments.filter(status__in=Appointment.ACTIVE)
    elif status in Appointment.Status.values:
        appointments = appointments.filter(status=status)
    return appointments


def appointment_count(*, user: User, appointments: QuerySet[Appointment], chosen: Hashable) -> int:
    """How many appointments ``appointments`` (``appointment_list`` for one
    status, ``chosen``, or all) holds: counted again only once an
    appointment has changed (``read_unless_changed``)."""
    require_role(user, *READERS)
    return read_unless_changed("appointment_count", (user.programme_id, chosen), appointments.count)


def appointment_page(
    *, user: User, appointments: QuerySet[Appointment], number: int, size: int
) -> QuerySet[Appointment]:
    """Page ``number`` of ``appointments`` (``appointment_list``), ``size``
    a page. The people are those of the reader's programme, as every
    appointment of it is for one of them: so the database walks the
    programme's people in name order (their index) and stops at the page's
    end, rather than joining and sorting every appointment."""
    require_role(user, *READERS)
    bottom = (number - 1) * size
    return appointments.filter(person__programme_id=user.programme_id)[bottom : bottom + size]


def appointment_page_values(
    *,
    user: User,
    appointments: QuerySet[Appointment],
    number: int,
    size: int,
    fields: Sequence[str],
    chosen: Hashable,
) -> list[dict[str, Any]]:
    """``appointment_page`` as plain values of ``fields``. Its SQL is
    built once for the programme, ``chosen`` (the list chosen and the day:
    everything else the query depends on) and the page, and planned once
    per connection (``kept_values``)."""
    return kept_values(
        name="appointment_page",
        key=(user.programme_id, chosen, number, size, tuple(fields)),
        build=lambda: appointment_page(
            user=user, appointments=appointments, number=number, size=size
        ).values(*fields),
    )


def get_appointment_for_user(*, user: User, pk: Any) -> Appointment:
    """An appointment with its checks and absences. The health category of
    sickness absences is loaded only for HR and programme leads."""
    require_role(user, *READERS)
    absences = Absence.objects.select_related("cover_reserve__person", "recorded_by")
    if can_read_sensitive(user):
        absences = absences.select_related("health")
    queryset = Appointment.objects.select_related(
        "person",
        "post__service",
        "line_manager",
        "leaving_reason",
        "start_confirmed_by",
        "created_by",
        "transferred_from__post",
        "transferred_to__post",
        "interview__day",
        "reserve_entry",
    ).prefetch_related(
        Prefetch("checks", queryset=PreEmploymentCheck.objects.order_by("kind")),
        Prefetch("absences", queryset=absences.order_by("-starts_on", "-pk")),
        Prefetch(
            "induction_items", queryset=InductionItem.objects.select_related("done_recorded_by")
        ),
    )
    return get_in_programme_or_404(queryset, user, pk)


def get_check_for_user(*, user: User, pk: Any) -> PreEmploymentCheck:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        PreEmploymentCheck.objects.select_related("appointment__person"),
        user,
        pk,
        "appointment__programme",
    )


def get_absence_for_user(*, user: User, pk: Any) -> Absence:
    require_role(user, *READERS)
    queryset = Absence.objects.select_related("appointment__person")
    if can_read_sensitive(user):
        queryset = queryset.select_related("health")
    return get_in_programme_or_404(queryset, user, pk, "appointment__programme")


@dataclass(frozen=True)
class TimelineEvent:
    on: date
    title: str
    detail: str = ""


def appointment_timeline(*, appointment: Appointment, user: User) -> list[TimelineEvent]:
    """The appointment's story, oldest first, from the records already
    loaded by ``get_appointment_for_user``. Health categories and
    health-related leaving reasons appear only for HR and leads."""
    sensitive = can_read_sensitive(user)
    events: list[TimelineEvent] = []
    if appointment.transferred_from_id:
        events.append(
            TimelineEvent(
                appointment.start_date or appointment.created_at.date(),
                "Transferred in",
                f"From post {appointment.transferred_from.post.position_number}",
            )
        )
    else:
        via = "from the reserve list" if appointment.reserve_entry_id else "at the recruitment day"
        events.append(
            TimelineEvent(
                timezone.localtime(appointment.created_at).date(),
                "Offered the post",
                f"Offered {via} by {appointment.created_by}",
            )
        )
    for check in appointment.checks.all():
        if check.requested_on:
            events.append(
                TimelineEvent(check.requested_on, f"{check.get_kind_display()} requested")
            )
        if check.completed_on:
            events.append(
                TimelineEvent(
                    check.completed_on,
                    f"{check.get_kind_display()}: {check.get_status_display().lower()}",
                )
            )
    if appointment.start_date and appointment.status != Appointment.Status.OFFERED:
        detail = f"Confirmed by {appointment.start_confirmed_by or 'HR'}"
        if appointment.start_override_reason:
            detail += " with checks outstanding: " + appointment.start_override_reason
        events.append(TimelineEvent(appointment.start_date, "First day in post", detail))
    for item in appointment.induction_items.all():
        if item.done_on:
            events.append(TimelineEvent(item.done_on, f"Induction: {item.title}"))
    for absence in appointment.absences.all():
        title = absence.get_kind_display()
        if sensitive and absence.kind == Absence.Kind.SICKNESS:
            health = getattr(absence, "health", None)
            if health is not None:
                title += f" ({health.get_category_display().lower()})"
        detail = absence.get_cover_display()
        if absence.cover_reserve_id:
            detail += f": {absence.cover_reserve.person.display_name}"
        events.append(TimelineEvent(absence.starts_on, f"Absence began: {title}", detail))
        if absence.ends_on:
            events.append(TimelineEvent(absence.ends_on, "Absence ended"))
    if appointment.ended_on:
        if appointment.status == Appointment.Status.TRANSFERRED:
            to = getattr(appointment, "transferred_to", None)
            detail = f"To post {to.post.position_number}" if to else ""
            events.append(TimelineEvent(appointment.ended_on, "Transferred out", detail))
        else:
            events.append(
                TimelineEvent(
                    appointment.ended_on,
                    "Left",
                    leaving_reason_label(reason=appointment.leaving_reason, user=user),
                )
            )
    return sorted(events, key=lambda event: event.on)


def leaving_reason_label(*, reason: LeavingReason | None, user: User) -> str:
    """A leaving reason as this user may see it: health-related reasons are
    hidden from anyone but HR and programme leads."""
    if reason is None:
        return ""
    if reason.reveals_health and not can_read_sensitive(user):
        return "Reason not shown (special-category information)"
    return reason.label


def appointments_for_people(*, user: User, people: Iterable[Person | int]) -> list[Appointment]:
    """Current appointments of the given people, for the supervision app's
    supervisor pages.

    The caller has already limited ``people`` to the user's own supervisees;
    this keeps them to the user's programme. Nothing special-category is
    loaded: no absences' health categories, no leaving reasons.
    """
    ids = [person if isinstance(person, int) else person.pk for person in people]
    return list(
        scoped(Appointment.objects.all(), user)
        .filter(person_id__in=ids, status__in=Appointment.ACTIVE)
        .select_related("person", "post__service", "line_manager")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def line_managed_people(*, user: User, manager: User) -> QuerySet[Person]:
    """People whose active appointment names ``manager`` as line manager
    (so supervision can warn when a supervisor or mentor is also the line
    manager)."""
    return scoped(Person.objects.all(), user).filter(
        appointments__line_manager=manager, appointments__status__in=Appointment.ACTIVE
    )


def leaving_reason_list(*, user: User) -> QuerySet[LeavingReason]:
    require_role(user, *READERS)
    return scoped(LeavingReason.objects.all(), user).order_by("is_archived", "order", "label")


def get_leaving_reason_for_user(*, user: User, pk: Any) -> LeavingReason:
    require_role(user, *READERS)
    return get_in_programme_or_404(LeavingReason.objects.all(), user, pk)
