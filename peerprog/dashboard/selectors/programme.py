"""The programme dashboard: the funnel per cohort and in total, why trainees
did not complete, mentoring, supervision coverage, induction and mandatory
training of the peer workers in post, the recruitment days' interviews and
panels, retention curves and the trend of the monthly retention snapshots.

Built on the two study tables and the apps' own rules; a fixed number of
queries whatever the number of cohorts or people.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet, Sum
from django.utils.safestring import mark_safe

from deployment.models import RetentionSnapshot
from deployment.retention import MILESTONES, SurvivalCurve, survival_curve
from peerprog.core.access import scoped
from peerprog.core.kept_queries import kept_rows
from peerprog.core.report_changes import read_unless_changed
from peerprog.dashboard.selectors.in_post import (
    InductionFigures,
    InterviewFigures,
    TrainingFigures,
    induction_figures,
    interview_figures,
    training_figures,
)
from peerprog.dashboard.selectors.scope import ReportScope, percent
from peerprog.dashboard.selectors.study import (
    EmploymentColumn,
    EmploymentTable,
    TrainingColumn,
    TrainingTable,
    employment_table,
    training_table,
)
from supervision.models import SupervisionAssignment
from supervision.selectors import Compliance, compliance_of, is_overdue, with_mentoring
from supervision.selectors.supervising import with_last_session
from training.models import Enrolment


@dataclass(frozen=True)
class FunnelStep:
    label: str
    count: int
    # The share of the step before that reached this one (for retention,
    # of those who have been in post long enough), and what it is out of.
    rate: int | None = None
    out_of: int | None = None

    @property
    def cell(self) -> str:
        """The step's table cell: the count, and its rate of what it is out
        of. Built here rather than in the template: the dashboard has a
        cell per step and cohort, and this is many times quicker."""
        if self.rate is None:
            return str(self.count)
        # Whole numbers only, so nothing to escape.
        return mark_safe(  # noqa: S308
            f'{int(self.count)} <span class="text-muted">({int(self.rate)}% of '
            f"{int(self.out_of or 0)})</span>"
        )


@dataclass
class Funnel:
    label: str
    steps: list[FunnelStep]


def _funnel(training: TrainingColumn, employment: EmploymentColumn) -> Funnel:
    steps = [
        FunnelStep("Applications", training.applications),
        FunnelStep(
            "Trainees",
            training.attended,
            percent(part=training.attended, whole=training.applications),
            training.applications,
        ),
        FunnelStep("Completed", training.completed, training.completion_rate, training.attended),
        FunnelStep(
            "Eligible for posts",
            employment.eligible,
            percent(part=employment.eligible, whole=training.completed),
            training.completed,
        ),
        FunnelStep(
            "Employed", employment.employed, employment.employment_rate, employment.eligible
        ),
    ]
    row = employment.retention
    assert row is not None and row.reached is not None and row.retained is not None
    for months in MILESTONES:
        steps.append(
            FunnelStep(
                f"In post at {months} months",
                row.retained[months],
                row.percent(months),
                row.reached[months],
            )
        )
    return Funnel(label=training.label, steps=steps)


@dataclass
class MentoringFigures:
    label: str
    mentors: int
    mentors_with_several: int
    mentors_with_several_overall: int
    states: Counter[str] = field(default_factory=Counter)

    @property
    def trainees(self) -> int:
        return sum(n for state, n in self.states.items() if state != Compliance.ENDED)

    @property
    def met(self) -> int:
        return self.states.get(Compliance.MET, 0)

    @property
    def on_track(self) -> int:
        return self.states.get(Compliance.ON_TRACK, 0)

    @property
    def behind(self) -> int:
        return self.states.get(Compliance.BEHIND, 0)

    @property
    def compliance_rate(self) -> int | None:
        """Met the minimum or on track for this point in the course."""
        return percent(part=self.met + self.on_track, whole=self.trainees)


@dataclass
class SupervisionCoverage:
    in_post: int = 0
    with_supervisor: int = 0
    within_frequency: int = 0

    @property
    def rate(self) -> int | None:
        return percent(part=self.within_frequency, whole=self.in_post)


@dataclass(frozen=True)
class SnapshotMonth:
    month: date
    appointed: int
    in_post: int
    starters: int
    leavers: int


@dataclass
class Dashboard:
    scope: ReportScope
    training: TrainingTable
    employment: EmploymentTable
    funnels: list[Funnel]
    total_funnel: Funnel
    mentoring: list[MentoringFigures]
    supervision: SupervisionCoverage
    induction: InductionFigures
    in_post_training: TrainingFigures
    interviews: InterviewFigures
    curves: list[tuple[str, SurvivalCurve]]
    snapshots: list[SnapshotMonth]
    # When the figures were counted, for figures read from the stored rows.
    as_of: datetime | None = None

    @property
    def funnel_rows(self) -> list[tuple[str, list[FunnelStep]]]:
        """Each step with its figure per cohort and the total, last."""
        funnels = [*self.funnels, self.total_funnel]
        return [
            (step.label, [funnel.steps[index] for funnel in funnels])
            for index, step in enumerate(self.total_funnel.steps)
        ]


def mentoring_figures(*, scope: ReportScope, training: TrainingTable) -> list[MentoringFigures]:
    """Each cohort's mentors and its trainees' state against the mentoring
    minimum (supervision's rule), and the total. One query."""
    states: dict[int, Counter[str]] = defaultdict(Counter)
    enrolments = with_mentoring(
        enrolments=Enrolment.objects.filter(cohort__in=scope.cohort_ids)
    ).order_by()
    for enrolment in enrolments:
        states[enrolment.cohort_id][compliance_of(enrolment=enrolment, today=scope.today)] += 1
    figures = [
        MentoringFigures(
            label=column.label,
            mentors=column.mentors,
            mentors_with_several=column.mentors_with_several,
            mentors_with_several_overall=column.mentors_with_several_overall,
            states=states[column.cohort_id or 0],
        )
        for column in training.columns
    ]
    total: Counter[str] = Counter()
    for counter in states.values():
        total.update(counter)
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


def supervision_coverage(*, scope: ReportScope, employment: EmploymentTable) -> SupervisionCoverage:
    """Of the peer workers in post today (of the cohorts and service
    chosen), how many have a supervisor, and how many had supervision within
    their agreed frequency (supervision's overdue rule). One query."""
    in_post = {w.person_id for w in employment.total.workers if w.in_post_today}
    coverage = SupervisionCoverage(in_post=len(in_post))
    assignments = with_last_session(
        assignments=scoped(
            SupervisionAssignment.objects.all(), scope.user, "person__programme"
        ).filter(person__in=in_post, ended_on__isnull=True)
    ).order_by()
    for assignment in assignments:
        coverage.with_supervisor += 1
        if not is_overdue(assignment=assignment, today=scope.today):
            coverage.within_frequency += 1
    return coverage


def snapshot_trend(*, scope: ReportScope, without_cohort: bool = False) -> list[SnapshotMonth]:
    """The monthly retention snapshots of the cohorts and service chosen,
    added up per month, within the dates chosen: the current figures, a
    revised month's latest revision. One query. ``without_cohort``: only
    those of people with no training cohort on record (the stored figures
    keep the cohorts')."""
    if scope.user.programme_id is None:
        return []

    def query() -> QuerySet:
        if without_cohort:
            chosen = Q(cohort__isnull=True)
        else:
            chosen = Q(cohort__in=scope.cohort_ids)
            if not scope.narrowed:
                chosen |= Q(cohort__isnull=True)
        queryset = scoped(RetentionSnapshot.objects.current(), scope.user).filter(chosen)
        if scope.service is not None:
            queryset = queryset.filter(service=scope.service)
        if scope.date_from:
            queryset = queryset.filter(month__gte=scope.date_from.replace(day=1))
        if scope.date_to:
            queryset = queryset.filter(month__lte=scope.date_to)
        return (
            queryset.values("month")
            .annotate(
                appointed_sum=Sum("appointed"),
                in_post_sum=Sum("in_post"),
                starters_sum=Sum("starters"),
                leavers_sum=Sum("leavers"),
            )
            .order_by("month")
            .values_list("month", "appointed_sum", "in_post_sum", "starters_sum", "leavers_sum")
        )

    # The query's SQL is built once per programme and filter (``kept_rows``).
    key = (
        scope.user.programme_id,
        without_cohort,
        tuple(scope.cohort_ids),
        scope.narrowed,
        scope.service.pk if scope.service is not None else None,
        scope.date_from,
        scope.date_to,
    )
    # Read again only once a table it reads has changed.
    rows = read_unless_changed(
        "snapshot_trend", key, lambda: kept_rows("snapshot_trend", key, query)
    )
    return [SnapshotMonth(*row) for row in rows]


def programme_dashboard(*, scope: ReportScope) -> Dashboard:
    training = training_table(scope=scope)
    employment = employment_table(scope=scope)
    funnels = [_funnel(t, e) for t, e in zip(training.columns, employment.columns, strict=True)]
    curves = [
        (column.label, survival_curve([w.spell for w in column.workers], scope.today))
        for column in employment.columns
        if column.workers
    ]
    return Dashboard(
        scope=scope,
        training=training,
        employment=employment,
        funnels=funnels,
        total_funnel=_funnel(training.total, employment.total),
        mentoring=mentoring_figures(scope=scope, training=training),
        supervision=supervision_coverage(scope=scope, employment=employment),
        induction=induction_figures(scope=scope, employment=employment),
        in_post_training=training_figures(scope=scope, employment=employment),
        interviews=interview_figures(scope=scope),
        curves=curves,
        snapshots=snapshot_trend(scope=scope),
    )
