"""The programme dashboard from its stored figures (``CohortFigures``).

Each cohort's stored row is combined for the cohorts and service chosen:
counts are added up, rates computed from the sums, retention counted from
the stored spells; the recruitment days and monthly snapshots are read
live (each one grouped query). Three queries however many cohorts or
people: the stored rows, the interviews and panels, the snapshots.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from deployment.retention import RetentionRow, Spell, survival_curve
from peerprog.dashboard.models import CohortFigures
from peerprog.dashboard.selectors.in_post import (
    InductionFigures,
    TrainingFigures,
    interview_figures,
)
from peerprog.dashboard.selectors.programme import (
    Dashboard,
    MentoringFigures,
    SupervisionCoverage,
    _funnel,
    snapshot_trend,
)
from peerprog.dashboard.selectors.scope import ReportScope
from peerprog.dashboard.selectors.study import (
    TRAINING_FIELDS,
    EmploymentColumn,
    EmploymentTable,
    TrainingColumn,
    TrainingTable,
    reason_order,
)
from training.selectors.records import category_label


@dataclass(frozen=True)
class StoredWorker:
    """A peer worker as the stored figures keep them: no one by name."""

    first_service_id: int
    first_service: str
    spell: Spell
    supervisors: int
    supervised_in_time: int
    induction: str
    training: str

    @property
    def in_post_today(self) -> bool:
        return self.spell.last_day is None

    @classmethod
    def from_stored(cls, row: list[Any]) -> StoredWorker:
        service_id, service, first, last, supervisors, in_time, induction, training = row
        return cls(
            first_service_id=service_id,
            first_service=service,
            spell=Spell(date.fromisoformat(first), date.fromisoformat(last) if last else None),
            supervisors=supervisors,
            supervised_in_time=in_time,
            induction=induction,
            training=training,
        )


def stored_rows(*, scope: ReportScope) -> dict[int, CohortFigures] | None:
    """The stored figures of the scope's cohorts, or None when a cohort has
    none yet (a new programme or cohort: refresh first). One query."""
    rows = {row.cohort_id: row for row in CohortFigures.objects.filter(cohort__in=scope.cohort_ids)}
    if any(cohort.pk not in rows for cohort in scope.cohorts):
        return None
    return rows


def _training(scope: ReportScope, rows: dict[int, CohortFigures]) -> TrainingTable:
    reader = scope.user
    columns = []
    total = TrainingColumn(label="Total")
    trainees_of: dict[int, int] = defaultdict(int)
    several_at_once: set[int] = set()
    labels: dict[str, str] = {}
    for cohort in scope.cohorts:
        figures = rows[cohort.pk].figures
        column = TrainingColumn(label=cohort.name, cohort_id=cohort.pk)
        for name in TRAINING_FIELDS:
            setattr(column, name, figures[name])
            setattr(total, name, getattr(total, name) + figures[name])
        for category, n in figures["categories"]:
            if category not in labels:
                labels[category] = category_label(category=category, user=reader)
            column.reasons[labels[category]] += n
            column.categories[category] += n
        for mentor_id, n in figures["mentor_trainees"]:
            column.mentor_ids.add(mentor_id)
            trainees_of[mentor_id] += n
            if n > 1:
                column.mentors_with_several += 1
                several_at_once.add(mentor_id)
        column.mentors_with_several_overall = column.mentors_with_several
        total.reasons.update(column.reasons)
        total.categories.update(column.categories)
        total.mentor_ids |= column.mentor_ids
        columns.append(column)
    total.mentors_with_several = len(several_at_once)
    total.mentors_with_several_overall = sum(1 for n in trainees_of.values() if n > 1)
    present = set(total.reasons)
    labels = [label for label in reason_order(user=reader) if label in present]
    return TrainingTable(columns=columns, total=total, reason_labels=labels)


def _employment(scope: ReportScope, rows: dict[int, CohortFigures]) -> EmploymentTable:
    columns = []
    total = EmploymentColumn(label="Total", retention=RetentionRow("Total"))
    shared: list[int] = []
    for cohort in scope.cohorts:
        row = rows[cohort.pk]
        figures = row.figures
        column = EmploymentColumn(
            label=cohort.name,
            cohort_id=cohort.pk,
            eligible=figures["eligible"],
            retention=RetentionRow(cohort.name),
        )
        total.eligible += figures["eligible"]
        shared.extend(figures["eligible_shared"])
        for stored in figures["workers"]:
            worker = StoredWorker.from_stored(stored)
            if scope.service is not None and worker.first_service_id != scope.service.pk:
                continue
            column.workers.append(worker)  # type: ignore[arg-type]
            total.workers.append(worker)  # type: ignore[arg-type]
            assert column.retention is not None and total.retention is not None
            column.retention.add(worker.spell, row.counted_on)
            total.retention.add(worker.spell, row.counted_on)
        columns.append(column)
    # Someone eligible through two cohorts chosen is one person in the total.
    total.eligible -= len(shared) - len(set(shared))
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * (len(columns) + 1))
    for index, column in enumerate([*columns, total]):
        for worker in column.workers:
            counts[worker.first_service][index] += 1
    by_service = [(service, counts[service]) for service in sorted(counts)]
    return EmploymentTable(columns=columns, total=total, by_service=by_service)


def _mentoring(training: TrainingTable, rows: dict[int, CohortFigures]) -> list[MentoringFigures]:
    figures = []
    total: Counter[str] = Counter()
    for column in training.columns:
        assert column.cohort_id is not None
        states = Counter(rows[column.cohort_id].figures["mentoring"])
        total.update(states)
        figures.append(
            MentoringFigures(
                label=column.label,
                mentors=column.mentors,
                mentors_with_several=column.mentors_with_several,
                mentors_with_several_overall=column.mentors_with_several_overall,
                states=states,
            )
        )
    figures.append(
        MentoringFigures(
            label="Total",
            mentors=training.total.mentors,
            mentors_with_several=training.total.mentors_with_several,
            mentors_with_several_overall=training.total.mentors_with_several_overall,
            states=total,
        )
    )
    return figures


def stored_dashboard(*, scope: ReportScope) -> Dashboard | None:
    """The dashboard from the stored figures, or None when a cohort chosen
    has none stored yet."""
    rows = stored_rows(scope=scope)
    if rows is None:
        return None
    training = _training(scope, rows)
    employment = _employment(scope, rows)
    in_post: list[StoredWorker] = [
        w
        for w in employment.total.workers
        if w.in_post_today  # type: ignore[misc]
    ]
    courses = max((row.figures["courses"] for row in rows.values()), default=0)
    curves = [
        (column.label, survival_curve([w.spell for w in column.workers], rows[pk].counted_on))
        for column in employment.columns
        if column.workers and (pk := column.cohort_id) is not None
    ]
    return Dashboard(
        scope=scope,
        training=training,
        employment=employment,
        funnels=[_funnel(t, e) for t, e in zip(training.columns, employment.columns, strict=True)],
        total_funnel=_funnel(training.total, employment.total),
        mentoring=_mentoring(training, rows),
        supervision=SupervisionCoverage(
            in_post=len(in_post),
            with_supervisor=sum(w.supervisors for w in in_post),
            within_frequency=sum(w.supervised_in_time for w in in_post),
        ),
        induction=InductionFigures(
            in_post=len(in_post),
            complete=sum(1 for w in in_post if w.induction == "c"),
            in_progress=sum(1 for w in in_post if w.induction in ("p", "o")),
            overdue=sum(1 for w in in_post if w.induction == "o"),
        ),
        in_post_training=TrainingFigures(
            in_post=len(in_post),
            courses=courses,
            compliant=sum(1 for w in in_post if w.training in ("c", "e")),
            expiring=sum(1 for w in in_post if w.training == "e"),
        ),
        interviews=interview_figures(scope=scope),
        curves=curves,
        snapshots=snapshot_trend(scope=scope),
        as_of=min(row.refreshed_at for row in rows.values()) if rows else None,
    )
