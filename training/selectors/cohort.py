"""Reads behind a cohort's training page and a session's register.

The cohort page shows fifty trainees a page: the cohort's totals are counted
by the database over every trainee, in one grouped query. The register shows
the whole cohort by design, read as plain values in one query."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, FilteredRelation, Q, QuerySet

from peerprog.core.models import Person, User
from recruitment.models import Cohort
from training.models import CourseSession, Enrolment, NonCompletionReason
from training.selectors.records import category_label

Status = Enrolment.Status
# The statuses a lead can show on their own, in the order the page lists them.
STATUS_FILTERS = (Status.ACTIVE, Status.REFERRED, Status.COMPLETED, Status.NOT_COMPLETED)


@dataclass
class CohortFigures:
    """The cohort's trainees counted by status, and why those who did not
    complete left (by the study's reporting category)."""

    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    breakdown: list[tuple[str, int]] = field(default_factory=list)

    def count(self, status: str | None) -> int:
        """How many trainees the page lists with this filter (None: all)."""
        return self.total if not status else self.by_status.get(status, 0)

    def statuses(self) -> list[tuple[str, str, int]]:
        """Each status a lead can show: its value, its label and its count."""
        return [(s.value, s.label, self.by_status.get(s, 0)) for s in STATUS_FILTERS]


def cohort_figures(*, user: User, cohort: Cohort) -> CohortFigures:
    """Every trainee of the cohort counted by status and, for those who did
    not complete, by reason category: one grouped query.

    For readers who may not see health-related reasons, health issues and
    personal factors are counted together, as the study itself reports them.
    """
    rows = (
        Enrolment.objects.filter(cohort=cohort)
        .order_by()
        .values_list("status", "non_completion_reason__category")
        .annotate(n=Count("pk"))
    )
    figures = CohortFigures()
    left: dict[str, int] = {}
    for status, category, n in rows:
        figures.total += n
        figures.by_status[status] = figures.by_status.get(status, 0) + n
        if status == Status.NOT_COMPLETED:
            label = category_label(category=category, user=user)
            left[label] = left.get(label, 0) + n
    order = [category_label(category=c, user=user) for c in NonCompletionReason.Category.values]
    figures.breakdown = sorted(
        left.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)
    )
    return figures


def cohort_trainees(*, cohort: Cohort, status: str | None = None) -> QuerySet[Enrolment]:
    """The cohort's trainees (those with one status, if given), by surname:
    the page shows fifty of them at a time, each with the figures of
    ``attach_progress``."""
    queryset = Enrolment.objects.filter(cohort=cohort)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.select_related("person", "non_completion_reason").order_by(
        "person__last_name", "person__first_name", "pk"
    )


# The register


class RegisterTrainee(NamedTuple):
    """A trainee on a register: their enrolment's id and the name shown."""

    pk: int
    name: str


def session_register(*, session: CourseSession) -> list[tuple[RegisterTrainee, str]]:
    """The trainees on the register, by surname, with their current mark
    ('' if none), in one query: everyone whose course was open on the day
    of the session, and anyone already marked (see ``register_enrolments``).
    """
    rows = (
        Enrolment.objects.filter(cohort_id=session.cohort_id)
        .annotate(mark=FilteredRelation("attendances", condition=Q(attendances__session=session)))
        .filter(
            Q(status__in=Enrolment.OPEN)
            | Q(status=Status.COMPLETED)
            | Q(ended_on__gte=session.date)
            | Q(mark__id__isnull=False)
        )
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list(
            "pk",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
            "mark__status",
        )
    )
    return [
        (RegisterTrainee(pk, Person.name_shown(first, preferred, last)), mark or "")
        for pk, first, preferred, last, mark in rows
    ]
