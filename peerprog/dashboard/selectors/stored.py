"""The programme dashboard from its stored figures (``CohortFigures``).

Each cohort's stored row is combined for the cohorts and service chosen:
counts are added up and rates computed from the sums. The peer workers are
stored already counted, for all services and for each service where they
started, so a view reads one group per cohort rather than a row per
person; the retention curve is drawn from each group's days in post. The
recruitment days and monthly snapshots are read live (each one grouped
query). Three queries however many cohorts or people: the stored rows, the
interviews and panels, the snapshots.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import F, Func, JSONField, TextField, Value
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast

from deployment.retention import (
    MILESTONES,
    RetentionRow,
    Spell,
    SurvivalCurve,
    observation,
    survival_curve_of,
)
from peerprog.dashboard.models import CohortFigures
from peerprog.dashboard.selectors.in_post import (
    InductionFigures,
    TrainingFigures,
    interview_figures,
)
from peerprog.dashboard.selectors.programme import (
    Dashboard,
    MentoringFigures,
    SnapshotMonth,
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

# The key of the group of all peer workers of a cohort, whatever their service.
ALL_SERVICES = "all"
# The stored figures the dashboard does not read: the peer workers' groups
# (read one at a time) and those of mentoring's pages and the home page.
LEFT_IN_DATABASE = ["employment", "mentoring_summary", "home_at_risk", "home_mentors_behind"]
# The figures of a month's snapshots each cohort keeps, in this order.
SNAPSHOT_FIGURES = ("appointed", "in_post", "starters", "leavers")


@dataclass
class StoredEmployment:
    """The peer workers of a cohort (all of them, or those who started in
    one service) as the stored figures keep them: counts that add up, and
    each one's days in post for the retention curve. No one by name."""

    employed: int = 0
    # In post today (no last day), as the employment table counts them.
    in_post: int = 0
    # In post today or with a last day still to come, as retention counts them.
    still: int = 0
    reached: list[int] = field(default_factory=lambda: [0] * len(MILESTONES))
    retained: list[int] = field(default_factory=lambda: [0] * len(MILESTONES))
    supervisors: int = 0
    supervised_in_time: int = 0
    # Of those in post today: checklist all done, not all done, overdue.
    induction: list[int] = field(default_factory=lambda: [0, 0, 0])
    # Of those in post today: mandatory training all in date, some expiring.
    training: list[int] = field(default_factory=lambda: [0, 0])
    # Days in post of those still in post on the day counted, and of leavers.
    stayed: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    services: dict[str, int] = field(default_factory=dict)

    def add(
        self,
        *,
        spell: Spell,
        service: str,
        today: date,
        supervisors: int = 0,
        supervised_in_time: int = 0,
        induction: str = "",
        training: str = "",
    ) -> None:
        """Count one peer worker (the refresh's rules: deployment's
        retention arithmetic, the codes of ``services.figures``)."""
        self.employed += 1
        self.services[service] = self.services.get(service, 0) + 1
        counted = RetentionRow("")
        counted.add(spell, today)
        assert counted.reached is not None and counted.retained is not None
        self.still += counted.still_in_post
        for index, months in enumerate(MILESTONES):
            self.reached[index] += counted.reached[months]
            self.retained[index] += counted.retained[months]
        seen = observation(spell, today)
        if seen is not None:
            (self.left if seen[1] else self.stayed).append(seen[0])
        if spell.last_day is not None:
            return
        self.in_post += 1
        self.supervisors += supervisors
        self.supervised_in_time += supervised_in_time
        self.induction[0] += induction == "c"
        self.induction[1] += induction in ("p", "o")
        self.induction[2] += induction == "o"
        self.training[0] += training in ("c", "e")
        self.training[1] += training == "e"

    def update(self, other: StoredEmployment) -> None:
        """Add another group's figures to these."""
        self.employed += other.employed
        self.in_post += other.in_post
        self.still += other.still
        for index in range(len(MILESTONES)):
            self.reached[index] += other.reached[index]
            self.retained[index] += other.retained[index]
        self.supervisors += other.supervisors
        self.supervised_in_time += other.supervised_in_time
        self.induction = [a + b for a, b in zip(self.induction, other.induction, strict=True)]
        self.training = [a + b for a, b in zip(self.training, other.training, strict=True)]
        self.stayed.extend(other.stayed)
        self.left.extend(other.left)
        for service, n in other.services.items():
            self.services[service] = self.services.get(service, 0) + n

    def retention(self, label: str) -> RetentionRow:
        row = RetentionRow(label, appointed=self.employed, still_in_post=self.still)
        row.reached = dict(zip(MILESTONES, self.reached, strict=True))
        row.retained = dict(zip(MILESTONES, self.retained, strict=True))
        return row

    def curve(self) -> SurvivalCurve:
        return survival_curve_of(
            [*((days, False) for days in self.stayed), *((days, True) for days in self.left)]
        )

    def to_stored(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_stored(cls, stored: dict[str, Any] | None) -> StoredEmployment:
        return cls(**stored) if stored else cls()


@dataclass
class StoredEmploymentColumn(EmploymentColumn):
    """An employment column from the stored groups: the counts are read
    rather than counted from a list of peer workers."""

    group: StoredEmployment = field(default_factory=StoredEmployment)

    @property
    def employed(self) -> int:
        return self.group.employed

    @property
    def still_in_post(self) -> int:
        return self.group.in_post


class StoredFigures(NamedTuple):
    """A cohort's stored row as the dashboard reads it: its figures but for
    the peer workers, and the group of them for the service chosen."""

    refreshed_at: datetime
    counted_on: date
    figures: dict[str, Any]
    employment: StoredEmployment


def stored_rows(*, scope: ReportScope) -> dict[int, StoredFigures] | None:
    """The stored figures of the scope's cohorts, or None when a cohort has
    none yet (a new programme or cohort: refresh first) or has them in an
    older form. One query, which leaves in the database the groups of
    peer workers of the services not chosen and the figures only other
    pages read."""
    key = ALL_SERVICES if scope.service is None else str(scope.service.pk)
    employment = KeyTransform(key, KeyTransform("employment", "figures"))
    # The figures other pages keep here (mentoring's pages, the lead's home
    # page) are left in the database too.
    rest: Any = Func(
        F("figures"),
        Cast(Value(LEFT_IN_DATABASE), ArrayField(TextField())),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=JSONField(),
    )
    if connection.vendor != "postgresql":
        # The embedded demo's SQLite cannot drop keys from JSON: it reads
        # them all.
        rest = F("figures")
    rows = {
        cohort_id: StoredFigures(
            refreshed_at, counted_on, figures, StoredEmployment.from_stored(group)
        )
        for cohort_id, refreshed_at, counted_on, figures, group in (
            CohortFigures.objects.filter(cohort__in=scope.cohort_ids, figures__has_key="employment")
            .values_list("cohort_id", "refreshed_at", "counted_on", rest, employment)
            .order_by()
        )
    }
    if any(cohort.pk not in rows for cohort in scope.cohorts):
        return None
    return rows


def _training(scope: ReportScope, rows: dict[int, StoredFigures]) -> TrainingTable:
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
        mentors = figures["mentors"]
        for mentor_id, n in zip(mentors, figures["mentor_trainees"], strict=True):
            trainees_of[mentor_id] += n
            if n > 1:
                column.mentors_with_several += 1
                several_at_once.add(mentor_id)
        # Each mentor is stored once per cohort.
        column.mentors = len(mentors)
        column.mentors_with_several_overall = column.mentors_with_several
        total.reasons.update(column.reasons)
        total.categories.update(column.categories)
        columns.append(column)
    total.mentors = len(trainees_of)
    total.mentors_with_several = len(several_at_once)
    total.mentors_with_several_overall = sum(1 for n in trainees_of.values() if n > 1)
    present = set(total.reasons)
    labels = [label for label in reason_order(user=reader) if label in present]
    return TrainingTable(columns=columns, total=total, reason_labels=labels)


def _employment(scope: ReportScope, rows: dict[int, StoredFigures]) -> EmploymentTable:
    columns = []
    total = StoredEmploymentColumn(label="Total")
    shared: list[int] = []
    for cohort in scope.cohorts:
        row = rows[cohort.pk]
        group = row.employment
        column = StoredEmploymentColumn(
            label=cohort.name,
            cohort_id=cohort.pk,
            eligible=row.figures["eligible"],
            retention=group.retention(cohort.name),
            group=group,
        )
        total.eligible += column.eligible
        shared.extend(row.figures["eligible_shared"])
        total.group.update(group)
        columns.append(column)
    total.retention = total.group.retention("Total")
    # Someone eligible through two cohorts chosen is one person in the total.
    total.eligible -= len(shared) - len(set(shared))
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * (len(columns) + 1))
    for index, column in enumerate([*columns, total]):
        for service, n in column.group.services.items():
            counts[service][index] += n
    by_service = [(service, counts[service]) for service in sorted(counts)]
    return EmploymentTable(columns=columns, total=total, by_service=by_service)  # type: ignore[arg-type]


def _mentoring(training: TrainingTable, rows: dict[int, StoredFigures]) -> list[MentoringFigures]:
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


def cohort_snapshot_sums(
    *, rows: dict[int, StoredFigures], start: str | None = None, end: str | None = None
) -> dict[str, list[int]]:
    """The cohorts' stored monthly sums added up per month (an ISO date),
    within ``start`` and ``end`` (ISO dates) when given."""
    months: dict[str, list[int]] = {}
    width = len(SNAPSHOT_FIGURES)
    for row in rows.values():
        stored = row.figures["snapshots"]
        sums = stored["sums"]
        for index, day in enumerate(stored["months"]):
            if (start and day < start) or (end and day > end):
                continue
            at = index * width
            known = months.get(day)
            if known is None:
                months[day] = sums[at : at + width]
            else:
                known[0] += sums[at]
                known[1] += sums[at + 1]
                known[2] += sums[at + 2]
                known[3] += sums[at + 3]
    return months


def with_months_without_cohort(
    *, scope: ReportScope, months: dict[str, list[int]]
) -> list[SnapshotMonth]:
    """The cohorts' monthly sums and, for the whole programme, those of
    people with no cohort on record, read live (one query), by month."""
    months = {day: list(sums) for day, sums in months.items()}
    for month in snapshot_trend(scope=scope, without_cohort=True):
        day = month.month.isoformat()
        live = [month.appointed, month.in_post, month.starters, month.leavers]
        known = months.get(day)
        months[day] = live if known is None else [a + b for a, b in zip(known, live, strict=True)]
    return [SnapshotMonth(date.fromisoformat(day), *months[day]) for day in sorted(months)]


def _snapshots(scope: ReportScope, rows: dict[int, StoredFigures]) -> list[SnapshotMonth]:
    """The monthly trend: the cohorts' stored sums added up per month, and
    for the whole programme those of people with no cohort on record, read
    live (one query). With a service chosen the snapshots are read live, as
    the cohorts keep theirs for all services together."""
    if scope.service is not None:
        return snapshot_trend(scope=scope)
    # The months are stored as ISO dates, which sort and compare as the
    # dates do: each month is read as a date once, not once per cohort.
    start = scope.date_from.replace(day=1).isoformat() if scope.date_from else None
    end = scope.date_to.isoformat() if scope.date_to else None
    months = cohort_snapshot_sums(rows=rows, start=start, end=end)
    if not scope.narrowed:
        return with_months_without_cohort(scope=scope, months=months)
    return [SnapshotMonth(date.fromisoformat(day), *months[day]) for day in sorted(months)]


def stored_dashboard(
    *, scope: ReportScope, rows: dict[int, StoredFigures] | None = None
) -> Dashboard | None:
    """The dashboard from the stored figures (``rows``, when already read),
    or None when a cohort chosen has none stored yet."""
    if rows is None:
        rows = stored_rows(scope=scope)
    if rows is None:
        return None
    training = _training(scope, rows)
    employment = _employment(scope, rows)
    in_post = employment.total.group  # type: ignore[attr-defined]
    courses = max((row.figures["courses"] for row in rows.values()), default=0)
    curves = [
        (column.label, column.group.curve())  # type: ignore[attr-defined]
        for column in employment.columns
        if column.employed
    ]
    return Dashboard(
        scope=scope,
        training=training,
        employment=employment,
        funnels=[_funnel(t, e) for t, e in zip(training.columns, employment.columns, strict=True)],
        total_funnel=_funnel(training.total, employment.total),
        mentoring=_mentoring(training, rows),
        supervision=SupervisionCoverage(
            in_post=in_post.in_post,
            with_supervisor=in_post.supervisors,
            within_frequency=in_post.supervised_in_time,
        ),
        induction=InductionFigures(in_post.in_post, *in_post.induction),
        in_post_training=TrainingFigures(
            in_post=in_post.in_post,
            courses=courses,
            compliant=in_post.training[0],
            expiring=in_post.training[1],
        ),
        interviews=interview_figures(scope=scope),
        curves=curves,
        snapshots=_snapshots(scope, rows),
        as_of=min(row.refreshed_at for row in rows.values()) if rows else None,
    )
