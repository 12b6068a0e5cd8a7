"""Retention per cohort and per service, and the monthly trend from the
retention snapshots."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from deployment.models import (
    Appointment,
    RetentionSnapshot,
)
from deployment.retention import (
    RetentionRow,
    SurvivalCurve,
    first_spell,
    survival_curve_counted,
    tally,
)
from deployment.selectors.common import READERS
from peerprog.core.access import (
    require_role,
    scoped,
)
from peerprog.core.models import Service, User
from recruitment.models import Cohort
from training.models import Enrolment

# Retention ----------------------------------------------------------------


@dataclass
class CohortRetention:
    """A cohort's row, and its people counted by (days in post, left)
    (``deployment.retention.observation``), from which its survival curve
    is drawn when it is asked for: the page draws a cohort's curve only
    when that cohort is chosen."""

    row: RetentionRow
    # (days in post, left, people), in no particular order.
    observations: list[tuple[int, bool, int]]
    # The cohort's id; 0 for the people with no training cohort on record.
    cohort_id: int = 0

    @cached_property
    def curve(self) -> SurvivalCurve:
        return survival_curve_counted(self.observations)


@dataclass
class RetentionReport:
    today: date
    overall: RetentionRow
    cohorts: list[CohortRetention] = field(default_factory=list)
    services: list[RetentionRow] = field(default_factory=list)
    # Everyone counted by (days in post, left, people), for the overall curve.
    observations: list[tuple[int, bool, int]] = field(default_factory=list)
    # The overall curve as stored, where the report was read from stored
    # figures (which keep the curve rather than everyone's observations).
    stored_curve: SurvivalCurve | None = None

    @cached_property
    def overall_curve(self) -> SurvivalCurve:
        """The survival curve of everyone counted (every cohort's people,
        and those with none)."""
        if self.stored_curve is not None:
            return self.stored_curve
        return survival_curve_counted(self.observations)


def _cohorts_of(people: QuerySet[Any]) -> dict[int, tuple[int, str, date]]:
    """Each person's training cohort (id, name, start): the cohort of the
    enrolment that passed, the first if there were several. ``people`` is a
    query of person ids, asked in the same query rather than as a list of
    every id."""
    cohorts: dict[int, tuple[int, str, date]] = {}
    rows = (
        Enrolment.objects.filter(person__in=people, status=Enrolment.Status.COMPLETED)
        .order_by("-passed_on", "-pk")
        .values_list("person_id", "cohort_id", "cohort__name", "cohort__training_start")
    )
    for person_id, cohort_id, name, start in rows:
        cohorts[person_id] = (cohort_id, name, start)
    return cohorts


def retention_report(*, user: User, today: date | None = None) -> RetentionReport:
    """Retention per cohort and per service, counted per person from their
    first day in a peer post (see ``deployment.retention`` for the rules).

    A person counts under the service where they started. Two queries
    however many appointments there are.
    """
    require_role(user, *READERS)
    return programme_retention(
        appointments=scoped(Appointment.objects.all(), user),
        today=today or timezone.localdate(),
    )


def programme_retention(*, appointments: QuerySet[Appointment], today: date) -> RetentionReport:
    """``retention_report`` over ``appointments`` (one programme's), with no
    reader: for the refresh of the retention page's stored figures."""
    started = appointments.filter(
        status__in=[
            Appointment.Status.IN_POST,
            Appointment.Status.LEFT,
            Appointment.Status.TRANSFERRED,
        ],
        start_date__isnull=False,
    )
    rows = started.order_by("start_date", "pk").values_list(
        "person_id", "start_date", "ended_on", "post__service__name"
    )
    periods: dict[int, list[tuple[date, date | None]]] = {}
    first_service: dict[int, str] = {}
    for person_id, start, end, service_name in rows:
        known = periods.get(person_id)
        if known is None:
            periods[person_id] = [(start, end)]
            first_service[person_id] = service_name
        else:
            known.append((start, end))
    # Each person is counted once: what their spell adds to a row (its
    # tally) and what it adds to the survival curve (its observation).
    # Rows then add up the tallies their people share, far fewer than the
    # people themselves.
    counted: dict[int, tuple[tuple[bool, ...], tuple[int, bool]]] = {}
    for person_id, person_periods in periods.items():
        # Most people have held one post: their spell is that post's.
        if len(person_periods) == 1:
            first_day, last_day = person_periods[0]
        else:
            spell = first_spell(person_periods)
            assert spell is not None
            first_day, last_day = spell.first_day, spell.last_day
        # Someone whose first day is still to come is not counted yet.
        if first_day > today:
            continue
        left = last_day is not None and last_day < today
        days = ((last_day if left and last_day else today) - first_day).days
        counted[person_id] = (tally(first_day, last_day, today), (days, left))

    # Everyone who started; only those counted are looked up.
    cohorts = _cohorts_of(started.order_by().values("person_id"))
    report = RetentionReport(today=today, overall=RetentionRow("All peer workers"))
    by_cohort: dict[tuple[date, int, str], tuple[Counter, Counter]] = {}
    by_service: dict[str, Counter] = defaultdict(Counter)
    everyone: Counter = Counter()
    no_cohort = (0, "No training cohort on record", date.max)
    for person_id, (marks, seen) in counted.items():
        cohort_id, cohort_name, cohort_start = cohorts.get(person_id, no_cohort)
        key = (cohort_start, cohort_id, cohort_name)
        group = by_cohort.get(key)
        if group is None:
            group = by_cohort[key] = (Counter(), Counter())
        group[0][marks] += 1
        group[1][seen] += 1
        everyone[seen] += 1
        by_service[first_service[person_id]][marks] += 1
    by_service_rows: dict[str, RetentionRow] = {}
    for (_, cohort_id, name), (tallies, observations) in sorted(by_cohort.items()):
        row = RetentionRow(name)
        for marks, people in tallies.items():
            row.add_tally(marks, people)
        # Everyone counted is in one cohort's row (or none's): the overall
        # figures are their sum.
        report.overall.update(row)
        report.cohorts.append(
            CohortRetention(
                row=row,
                observations=[(d, left, n) for (d, left), n in observations.items()],
                cohort_id=cohort_id,
            )
        )
    for name, tallies in by_service.items():
        row = RetentionRow(name)
        for marks, people in tallies.items():
            row.add_tally(marks, people)
        by_service_rows[name] = row
    report.services = [by_service_rows[name] for name in sorted(by_service_rows)]
    report.observations = [(d, left, n) for (d, left), n in everyone.items()]
    return report


# The monthly trend, from the retention snapshots ---------------------------

TREND_FIGURES = ("appointed", "in_post", "starters", "leavers", "absence_days")
TREND_MONTHS = 24


@dataclass(frozen=True)
class TrendMonth:
    """One month's figures from its snapshots, summed over the cohort and
    service chosen (or all of them); ``revised_at`` is when the latest
    revision among them was taken, or None when they are as first taken."""

    month: date
    appointed: int
    in_post: int
    starters: int
    leavers: int
    absence_days: int
    revised_at: datetime | None = None


def retention_trend(
    *,
    user: User,
    cohort: Cohort | None = None,
    service: Service | None = None,
    months: int = TREND_MONTHS,
) -> list[TrendMonth]:
    """The last ``months`` months with a retention snapshot, oldest first,
    for the programme or one cohort or service of it.

    A month that has snapshots for the programme but none for the chosen
    cohort or service counts zero (nobody of theirs had started). Each month
    counts its current figures (its latest revision where it was re-taken)
    and says when they were revised. One query, however many months and
    snapshots there are.
    """
    require_role(user, *READERS)
    return programme_trend(
        snapshots=scoped(RetentionSnapshot.objects.all(), user),
        cohort=cohort,
        service=service,
        months=months,
    )


def programme_trend(
    *,
    snapshots: QuerySet[RetentionSnapshot],
    cohort: Cohort | None = None,
    service: Service | None = None,
    months: int = TREND_MONTHS,
) -> list[TrendMonth]:
    """``retention_trend`` over ``snapshots`` (one programme's), with no
    reader: for the refresh of the retention page's stored figures."""
    chosen = Q()
    if cohort is not None:
        chosen &= Q(cohort=cohort)
    if service is not None:
        chosen &= Q(service=service)
    figures = {
        name: Coalesce(Sum(name, filter=chosen if chosen else None), 0) for name in TREND_FIGURES
    }
    revised = Q(revision__gt=0) & chosen
    rows = (
        snapshots.filter(superseded_at__isnull=True)
        .values("month")
        .annotate(**figures, revised_at=Max("taken_at", filter=revised))
        .order_by("-month")[:months]
    )
    return [TrendMonth(**row) for row in reversed(list(rows))]
