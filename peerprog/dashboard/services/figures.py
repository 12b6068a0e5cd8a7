"""Refresh the dashboard's stored figures from live records.

The dashboard reads each cohort's figures from ``CohortFigures`` rather
than counting every application, trainee and peer worker on each view;
this service is the one place they are counted, with the same selectors
and rules the study tables use, in a fixed number of grouped queries
whatever the number of cohorts or people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from deployment.models import InductionItem
from deployment.selectors.induction import overdue_items_q
from deployment.selectors.training_records import training_compliance
from peerprog.core.models import Programme, Role, User
from peerprog.dashboard.home_queue import lead_queue_figures
from peerprog.dashboard.models import CohortFigures
from peerprog.dashboard.selectors.programme import mentoring_figures
from peerprog.dashboard.selectors.scope import ReportScope, eligible_by_cohort
from peerprog.dashboard.selectors.study import TRAINING_FIELDS, employment_table, training_table
from recruitment.models import Cohort
from supervision.models import SupervisionAssignment
from supervision.selectors import is_overdue
from supervision.selectors.supervising import with_last_session

# Codes of a peer worker's induction and mandatory training, as stored.
INDUCTION_COMPLETE = "c"
INDUCTION_IN_PROGRESS = "p"
INDUCTION_OVERDUE = "o"
TRAINING_COMPLIANT = "c"
TRAINING_EXPIRING = "e"


def figures_reader(*, programme: Programme) -> User:
    """An unsaved programme lead of the programme: the selectors keep every
    figure to their reader's programme, and the refresh has no request. It is
    never saved, so it cannot sign in."""
    reader = User(programme=programme, full_name="Dashboard figures", is_active=True)
    reader._role_names = frozenset({Role.PROGRAMME_LEAD})  # type: ignore[attr-defined]
    return reader


def _induction_codes(appointment_ids: Iterable[int], today: Any) -> dict[int, str]:
    from django.db.models import Count, Q

    rows = (
        InductionItem.objects.filter(appointment_id__in=list(appointment_ids))
        .values("appointment_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(done_on__isnull=False)),
            overdue=Count("pk", filter=overdue_items_q(today=today)),
        )
        .order_by()
    )
    codes = {}
    for row in rows:
        if row["done"] == row["total"]:
            codes[row["appointment_id"]] = INDUCTION_COMPLETE
        elif row["overdue"]:
            codes[row["appointment_id"]] = INDUCTION_OVERDUE
        else:
            codes[row["appointment_id"]] = INDUCTION_IN_PROGRESS
    return codes


def compute_figures(*, programme: Programme) -> tuple[Any, dict[int, dict[str, Any]]]:
    """Every cohort of the programme's figures as stored (a JSON-safe dict
    per cohort id), counted today. Reads only."""
    today = timezone.localdate()
    reader = figures_reader(programme=programme)
    cohorts = tuple(Cohort.objects.filter(programme=programme).order_by("pk"))
    scope = ReportScope(user=reader, cohorts=cohorts, today=today)
    training = training_table(scope=scope)
    employment = employment_table(scope=scope)
    mentoring = mentoring_figures(scope=scope, training=training)
    eligible = eligible_by_cohort(scope=scope)
    seen: dict[int, int] = defaultdict(int)
    for people in eligible.values():
        for person_id in people:
            seen[person_id] += 1

    workers = employment.total.workers
    in_post = [w for w in workers if w.in_post_today]
    supervised: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    assignments = with_last_session(
        assignments=SupervisionAssignment.objects.filter(
            person__programme=programme,
            person__in=[w.person_id for w in in_post],
            ended_on__isnull=True,
        )
    ).order_by()
    for assignment in assignments:
        supervised[assignment.person_id][0] += 1
        if not is_overdue(assignment=assignment, today=today):
            supervised[assignment.person_id][1] += 1
    induction = _induction_codes((w.latest.pk for w in in_post), today)
    compliance = training_compliance(user=reader, today=today)
    trained: dict[int, str] = {}
    for row in compliance.people:
        if row.compliant:
            trained[row.person.pk] = TRAINING_EXPIRING if row.expiring else TRAINING_COMPLIANT

    figures: dict[int, dict[str, Any]] = {}
    for column, employed, mentored in zip(
        training.columns, employment.columns, mentoring, strict=False
    ):
        cohort_id = column.cohort_id
        assert cohort_id is not None
        people = eligible.get(cohort_id, set())
        figures[cohort_id] = {
            **{name: getattr(column, name) for name in TRAINING_FIELDS},
            "categories": sorted(column.categories.items(), key=lambda item: str(item[0])),
            "mentor_trainees": [],
            "mentoring": dict(mentored.states),
            "eligible": len(people),
            # Those eligible through more than one cohort, counted once in a total.
            "eligible_shared": sorted(p for p in people if seen[p] > 1),
            "courses": len(compliance.courses),
            "workers": [
                [
                    worker.first_service_id,
                    worker.first_service,
                    worker.spell.first_day.isoformat(),
                    worker.spell.last_day.isoformat() if worker.spell.last_day else None,
                    *(supervised.get(worker.person_id, [0, 0]) if worker.in_post_today else [0, 0]),
                    induction.get(worker.latest.pk, "") if worker.in_post_today else "",
                    trained.get(worker.person_id, "") if worker.in_post_today else "",
                ]
                for worker in employed.workers
            ],
        }
    for cohort_id, mentor_id, count in _mentor_trainees(cohort_ids=[c.pk for c in cohorts]):
        figures[cohort_id]["mentor_trainees"].append([mentor_id, count])
    queue = lead_queue_figures(reader=reader, today=today, cohort_ids=list(figures))
    for cohort_id, value in queue.items():
        figures[cohort_id].update(value)
    return today, figures


def _mentor_trainees(*, cohort_ids: list[int]) -> Iterable[tuple[int, int, int]]:
    """(cohort, mentor, trainees) for every mentor of the cohorts. One query."""
    from django.db.models import Count

    from supervision.models import MentorAssignment

    return (
        MentorAssignment.objects.filter(enrolment__cohort__in=cohort_ids)
        .values_list("enrolment__cohort_id", "mentor_id")
        .annotate(n=Count("enrolment_id", distinct=True))
        .order_by("enrolment__cohort_id", "mentor_id")
    )


def dashboard_figures_refresh(
    *, programme: Programme, cohorts: Iterable[Cohort] | None = None
) -> int:
    """Count the dashboard's figures of the programme's cohorts (``None``:
    all of them) from live records and store one row per cohort, replacing
    the last. Returns the number of rows stored.

    Runs in one transaction; it writes nothing but the stored figures and
    may run at any time (after writes, every 15 minutes, on first view).
    """
    today, figures = compute_figures(programme=programme)
    if cohorts is not None:
        wanted = {cohort.pk for cohort in cohorts}
        figures = {pk: value for pk, value in figures.items() if pk in wanted}
    now = timezone.now()
    rows = [
        CohortFigures(
            programme=programme,
            cohort_id=cohort_id,
            refreshed_at=now,
            counted_on=today,
            figures=value,
        )
        for cohort_id, value in figures.items()
    ]
    with transaction.atomic():
        CohortFigures.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["programme", "cohort"],
            update_fields=["refreshed_at", "counted_on", "figures"],
        )
    return len(rows)
