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

from deployment.models import InductionItem, RetentionSnapshot
from deployment.selectors.induction import overdue_items_q
from deployment.selectors.training_records import training_compliance
from peerprog.core.models import Programme, Role, User
from peerprog.dashboard import stored_page
from peerprog.dashboard.home_queue import lead_queue_figures
from peerprog.dashboard.models import CohortFigures
from peerprog.dashboard.selectors.programme import mentoring_figures
from peerprog.dashboard.selectors.scope import ReportScope, eligible_by_cohort
from peerprog.dashboard.selectors.stored import ALL_SERVICES, SNAPSHOT_FIGURES, StoredEmployment
from peerprog.dashboard.selectors.study import TRAINING_FIELDS, employment_table, training_table
from recruitment.models import Cohort
from supervision.models import SupervisionAssignment
from supervision.selectors import is_overdue
from supervision.selectors.cohorts import summaries_to_store
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
            # Each mentor of the cohort and their trainees in it, as two
            # lists of numbers rather than a pair per mentor: the dashboard
            # reads every cohort's on each view.
            "mentors": [],
            "mentor_trainees": [],
            "mentoring": dict(mentored.states),
            "eligible": len(people),
            # Those eligible through more than one cohort, counted once in a total.
            "eligible_shared": sorted(p for p in people if seen[p] > 1),
            "courses": len(compliance.courses),
            # The cohort's monthly retention snapshots (their current
            # figures) added up over its services, for the dashboard's trend.
            "snapshots": {"months": [], "sums": []},
            "employment": _employment_groups(
                employed.workers, today, supervised=supervised, induction=induction, trained=trained
            ),
        }
    for cohort_id, month, *sums in _snapshot_sums(cohort_ids=[c.pk for c in cohorts]):
        stored = figures[cohort_id]["snapshots"]
        stored["months"].append(month.isoformat())
        stored["sums"].extend(sums)
    for cohort_id, mentor_id, count in _mentor_trainees(cohort_ids=[c.pk for c in cohorts]):
        figures[cohort_id]["mentors"].append(mentor_id)
        figures[cohort_id]["mentor_trainees"].append(count)
    # Mentoring's own pages read their cohort figures from here too.
    for cohort_id, summary in summaries_to_store(cohort_ids=list(figures), today=today).items():
        figures[cohort_id]["mentoring_summary"] = summary
    # And the lead's home page its trainees at risk and mentors behind.
    queue = lead_queue_figures(reader=reader, today=today, cohort_ids=list(figures))
    for cohort_id, value in queue.items():
        figures[cohort_id].update(value)
    return today, figures


def _employment_groups(
    workers: Iterable[Any],
    today: Any,
    *,
    supervised: dict[int, list[int]],
    induction: dict[int, str],
    trained: dict[int, str],
) -> dict[str, dict[str, Any]]:
    """A cohort's peer workers counted once for all services and once for
    each service where they started (``StoredEmployment``), so that the
    dashboard reads one group per cohort whatever the service chosen."""
    groups: dict[str, StoredEmployment] = defaultdict(StoredEmployment)
    for worker in workers:
        in_post = worker.in_post_today
        supervisors, in_time = supervised.get(worker.person_id, [0, 0]) if in_post else [0, 0]
        counted = {
            "spell": worker.spell,
            "service": worker.first_service,
            "today": today,
            "supervisors": supervisors,
            "supervised_in_time": in_time,
            "induction": induction.get(worker.latest.pk, "") if in_post else "",
            "training": trained.get(worker.person_id, "") if in_post else "",
        }
        groups[ALL_SERVICES].add(**counted)
        groups[str(worker.first_service_id)].add(**counted)
    groups.setdefault(ALL_SERVICES, StoredEmployment())
    return {key: group.to_stored() for key, group in groups.items()}


def _snapshot_sums(*, cohort_ids: list[int]) -> Iterable[tuple[Any, ...]]:
    """(cohort, month, appointed, in post, starters, leavers) of the
    cohorts' current snapshots, added up over services, by month. One
    query."""
    from django.db.models import Sum

    return (
        RetentionSnapshot.objects.current()
        .filter(cohort__in=cohort_ids)
        .values_list("cohort_id", "month")
        .annotate(*(Sum(name) for name in SNAPSHOT_FIGURES))
        .order_by("cohort_id", "month")
    )


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
    *, programme: Programme, cohorts: Iterable[Cohort] | None = None, draw_page: bool = True
) -> int:
    """Count the dashboard's figures of the programme's cohorts (``None``:
    all of them) from live records and store one row per cohort, replacing
    the last, and draw the whole programme's page from them (unless
    ``draw_page`` is false: the dashboard's first view, which counts the
    figures while its reader waits, leaves it to the next refresh). Returns
    the number of rows stored.

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
        # And the whole programme's page, drawn from the figures of all its
        # cohorts as now stored.
        if draw_page:
            stored_page.keep(reader=figures_reader(programme=programme), today=today)
    return len(rows)
