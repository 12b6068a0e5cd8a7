"""Retention per cohort and per service, and the monthly trend from the
retention snapshots."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from deployment.models import (
    Appointment,
    RetentionSnapshot,
)
from deployment.retention import RetentionRow, Spell, SurvivalCurve, first_spell, survival_curve
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
    row: RetentionRow
    curve: SurvivalCurve


@dataclass
class RetentionReport:
    today: date
    overall: RetentionRow
    cohorts: list[CohortRetention] = field(default_factory=list)
    services: list[RetentionRow] = field(default_factory=list)


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
    today = today or timezone.localdate()
    started = scoped(Appointment.objects.all(), user).filter(
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
    spells: dict[int, Spell] = {}
    for person_id, person_periods in periods.items():
        # Most people have held one post: their spell is that post's.
        if len(person_periods) == 1:
            spell: Spell | None = Spell(*person_periods[0])
        else:
            spell = first_spell(person_periods)
        # Someone whose first day is still to come is not counted yet.
        if spell is not None and spell.first_day <= today:
            spells[person_id] = spell

    # Everyone who started; only those counted are looked up.
    cohorts = _cohorts_of(started.order_by().values("person_id"))
    report = RetentionReport(today=today, overall=RetentionRow("All peer workers"))
    by_cohort: dict[tuple[date, int, str], list[Spell]] = defaultdict(list)
    by_service: dict[str, RetentionRow] = {}
    no_cohort = (0, "No training cohort on record", date.max)
    for person_id, spell in spells.items():
        cohort_id, cohort_name, cohort_start = cohorts.get(person_id, no_cohort)
        by_cohort[(cohort_start, cohort_id, cohort_name)].append(spell)
        service = first_service[person_id]
        row = by_service.get(service)
        if row is None:
            row = by_service[service] = RetentionRow(service)
        row.add(spell, today)
    for (_, _, name), cohort_spells in sorted(by_cohort.items()):
        row = RetentionRow(name)
        for spell in cohort_spells:
            row.add(spell, today)
        # Everyone counted is in one cohort's row (or none's): the overall
        # figures are their sum.
        report.overall.update(row)
        report.cohorts.append(CohortRetention(row=row, curve=survival_curve(cohort_spells, today)))
    report.services = [by_service[name] for name in sorted(by_service)]
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
        scoped(RetentionSnapshot.objects.current(), user)
        .values("month")
        .annotate(**figures, revised_at=Max("taken_at", filter=revised))
        .order_by("-month")[:months]
    )
    return [TrendMonth(**row) for row in reversed(list(rows))]
