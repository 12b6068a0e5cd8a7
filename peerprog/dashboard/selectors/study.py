"""The LXP study's two tables, computed from live records for any set of
cohorts: the training programme, and employment and retention.

Each table has a column per cohort and a total, in the form the study
published them. A fixed number of queries whatever the number of cohorts or
people.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Min, OuterRef, QuerySet

from deployment.models import Appointment
from deployment.models.posts import PostRole
from deployment.retention import RetentionRow
from peerprog.core.kept_queries import count_of, kept_statement
from peerprog.core.models import User
from peerprog.core.prepared import fetch_prepared_few
from peerprog.core.report_changes import read_unless_changed
from peerprog.dashboard.selectors.scope import (
    PeerWorker,
    ReportScope,
    eligible_counts,
    peer_workers,
    percent,
)
from recruitment.models import Application, Cohort
from supervision.models import MentorAssignment
from training.models import Enrolment, NonCompletionReason
from training.selectors.records import category_label

Category = NonCompletionReason.Category
Status = Enrolment.Status
OPEN = frozenset(status.value for status in Enrolment.OPEN)
PORTFOLIO_CATEGORIES = frozenset(c.value for c in NonCompletionReason.PORTFOLIO_CATEGORIES)
Contract = Appointment.Contract
RETENTION_MONTHS = 24
# The counts of a training column that add up across cohorts.
TRAINING_FIELDS = (
    "applications",
    "attended",
    "completed",
    "active",
    "not_completed",
    "portfolio_not_completed",
    "left",
)


# The training programme ---------------------------------------------------


@dataclass
class TrainingColumn:
    """One cohort's training figures (or the total of several)."""

    label: str
    cohort_id: int | None = None
    applications: int = 0
    attended: int = 0
    completed: int = 0
    active: int = 0
    not_completed: int = 0
    portfolio_not_completed: int = 0
    left: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    # The same by the study's fixed categories, for exports.
    categories: Counter[str] = field(default_factory=Counter)
    # Each mentor counted once, however many trainees they had.
    mentors: int = 0
    # Mentors with more than one trainee at once: in one cohort. In the
    # total, a mentor with one trainee in each of two cohorts is not one.
    mentors_with_several: int = 0
    # Mentors with more than one trainee over all the cohorts of the column
    # (for one cohort, the same figure).
    mentors_with_several_overall: int = 0

    @property
    def completion_rate(self) -> int | None:
        return percent(part=self.completed, whole=self.attended)


@dataclass
class TrainingTable:
    columns: list[TrainingColumn]
    total: TrainingColumn
    reason_labels: list[str]

    @property
    def all_columns(self) -> list[TrainingColumn]:
        return [*self.columns, self.total]

    def reason_rows(self, group: str | None = None) -> list[tuple[str, list[int]]]:
        """The rows of reasons; ``group`` keeps those of one reporting group
        ("portfolio" or "left"), so each reason sits under its own group."""
        return [
            (label, [column.reasons.get(label, 0) for column in self.all_columns])
            for label in self.reason_labels
            if group is None or (label in PORTFOLIO_LABELS) == (group == PORTFOLIO)
        ]

    @property
    def portfolio_reason_rows(self) -> list[tuple[str, list[int]]]:
        return self.reason_rows(PORTFOLIO)

    @property
    def leaving_reason_rows(self) -> list[tuple[str, list[int]]]:
        return self.reason_rows(LEFT)


PORTFOLIO = "portfolio"
LEFT = "left"
PORTFOLIO_LABELS = frozenset(
    Category(category).label for category in NonCompletionReason.PORTFOLIO_CATEGORIES
)


def reason_order(*, user: User) -> list[str]:
    labels: list[str] = []
    for category in Category.values:
        label = category_label(category=category, user=user)
        if label not in labels:
            labels.append(label)
    return labels


def training_table(*, scope: ReportScope, reasons_for: User | None = None) -> TrainingTable:
    """Applications, trainees (those who attended), completions, the
    completion rate, non-completion reasons by the study's categories, and
    mentors, per cohort and in total. Three grouped queries.

    Reasons that reveal health are counted as the study reported them,
    "health issues or personal factors" together, for anyone who may not
    read them (``reasons_for`` is the reader; the scope's user by default).
    """
    user = scope.user
    reader = reasons_for or user
    ids = scope.cohort_ids
    columns = {
        cohort.pk: TrainingColumn(label=cohort.name, cohort_id=cohort.pk)
        for cohort in scope.cohorts
    }
    applications, enrolments, mentor_counts = _training_counts(cohort_ids=ids)
    for cohort_id, n in applications:
        columns[cohort_id].applications = n or 0
    labels: dict[str | None, str] = {}
    for cohort_id, status, category, n in enrolments:
        column = columns[cohort_id]
        column.attended += n
        portfolio = category in PORTFOLIO_CATEGORIES
        if portfolio:
            column.portfolio_not_completed += n
        if status in OPEN:
            column.active += n
        elif status == Status.COMPLETED:
            column.completed += n
        elif status == Status.NOT_COMPLETED:
            column.not_completed += n
            if not portfolio:
                column.left += n
            if category not in labels:
                labels[category] = category_label(category=category, user=reader)
            column.reasons[labels[category]] += n
            column.categories[category] += n
    total = TrainingColumn(label="Total")
    for column in columns.values():
        for name in TRAINING_FIELDS:
            setattr(total, name, getattr(total, name) + getattr(column, name))
        total.reasons.update(column.reasons)
        total.categories.update(column.categories)
    for cohort_id, mentors, several, several_overall in mentor_counts:
        column = total if cohort_id is None else columns[cohort_id]
        column.mentors = mentors
        column.mentors_with_several = several
        column.mentors_with_several_overall = several_overall
    present = set(total.reasons)
    labels = [label for label in reason_order(user=reader) if label in present]
    return TrainingTable(
        columns=[columns[cohort.pk] for cohort in scope.cohorts], total=total, reason_labels=labels
    )


def _applications_and_enrolments(
    *, cohort_ids: list[int]
) -> tuple[QuerySet[Cohort], QuerySet[Enrolment]]:
    """(cohort, applications) per cohort, each cohort's counted from the
    index of applications by cohort without reading the rows
    (``count_of``); and every enrolment counted once, grouped by cohort, status and
    the reason for not completing, which training's own rules
    (``cohort_list``) then sort."""
    applications = (
        Cohort.objects.filter(pk__in=cohort_ids)
        .order_by()
        .values_list("pk", count_of(Application.objects.filter(cohort=OuterRef("pk"))))
    )
    enrolments = (
        Enrolment.objects.filter(cohort__in=cohort_ids)
        .values_list("cohort_id", "status", "non_completion_reason__category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return applications, enrolments


# The three counts of the training table in one statement (PostgreSQL):
# the first column says which count a row is.
TRAINING_COUNTS = """
SELECT 0, a.cohort_id, a.n, NULL, NULL, NULL::bigint, NULL::bigint
FROM ({applications}) AS a (cohort_id, n)
UNION ALL
SELECT 1, e.cohort_id, e.n, e.status, e.category, NULL::bigint, NULL::bigint
FROM ({enrolments}) AS e (cohort_id, status, category, n)
UNION ALL
SELECT 2, m.cohort_id, m.mentors, NULL, NULL, m.several, m.overall
FROM ({mentors}) AS m (cohort_id, mentors, several, overall)
"""


def _training_sql(cohort_ids: list[int]) -> tuple[str, list[Any]]:
    """``TRAINING_COUNTS`` with the ORM's own queries in it (their values
    passed as parameters)."""
    applications, enrolments = _applications_and_enrolments(cohort_ids=cohort_ids)
    parts = [applications.query.sql_with_params(), enrolments.query.sql_with_params()]
    pairs_sql, pairs_params = _mentor_pairs(cohort_ids=cohort_ids).query.sql_with_params()
    parts.append((MENTOR_COUNTS.format(pairs=pairs_sql), pairs_params))
    sql = TRAINING_COUNTS.format(
        applications=parts[0][0], enrolments=parts[1][0], mentors=parts[2][0]
    )
    return sql, [value for _, params in parts for value in params]


def _training_counts(
    *, cohort_ids: list[int]
) -> tuple[list[tuple[int, int | None]], list[tuple[int, str, str | None, int]], list[Any]]:
    """The applications, the enrolments (``_applications_and_enrolments``)
    and the mentors (``_mentor_counts``) of the cohorts: one statement on
    PostgreSQL, three queries elsewhere (the embedded demo's SQLite).

    On PostgreSQL the statement's text depends only on the cohorts: it is
    built once (``kept_statement``) and planned once per connection
    (``fetch_prepared_few``); its figures are counted live, again as soon
    as a table it reads has changed (``read_unless_changed``)."""
    if connection.vendor != "postgresql" or not cohort_ids:
        applications, enrolments = _applications_and_enrolments(cohort_ids=cohort_ids)
        return list(applications), list(enrolments), _mentor_counts(cohort_ids=cohort_ids)
    sql, params = kept_statement(
        "training_counts", tuple(cohort_ids), lambda: _training_sql(cohort_ids)
    )
    found: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
    # Only the ORM's own SQL (its values passed as parameters) is placed in
    # the statement.
    # Read again only once a table it reads has changed (report_changes).
    rows = read_unless_changed(
        "training_counts", tuple(cohort_ids), lambda: fetch_prepared_few(sql=sql, params=params)
    )
    for kind, cohort_id, n, status, category, several, overall in rows:
        if kind == 0:
            found[0].append((cohort_id, n))
        elif kind == 1:
            found[1].append((cohort_id, status, category, n))
        else:
            found[2].append((cohort_id, int(n), int(several or 0), int(overall or 0)))
    return found


# Each mentor's trainees in each cohort, as the lowest and highest of their
# enrolments there (more than one trainee when the two differ: no distinct
# count, which sorts every pair), then counted per cohort and, for the total,
# per mentor: a row per cohort and one for the total rather than a row per
# mentor and cohort (thousands). A trainee belongs to one cohort, so a mentor
# has more than one over all the cohorts when their lowest and highest
# enrolments over all of them differ.
MENTOR_COUNTS = """
WITH pairs (cohort_id, mentor_id, lo, hi) AS ({pairs})
SELECT cohort_id, COUNT(*), SUM(CASE WHEN lo <> hi THEN 1 ELSE 0 END),
       SUM(CASE WHEN lo <> hi THEN 1 ELSE 0 END)
FROM pairs GROUP BY cohort_id
UNION ALL
SELECT NULL, COUNT(*), COALESCE(SUM(several), 0),
       COALESCE(SUM(CASE WHEN lo <> hi THEN 1 ELSE 0 END), 0)
FROM (
    SELECT mentor_id, MAX(CASE WHEN lo <> hi THEN 1 ELSE 0 END) AS several,
           MIN(lo) AS lo, MAX(hi) AS hi
    FROM pairs GROUP BY mentor_id
) AS mentors
"""


def _mentor_pairs(*, cohort_ids: list[int]) -> QuerySet[MentorAssignment]:
    """(cohort, mentor, lowest enrolment, highest enrolment) of each mentor's
    trainees in each cohort."""
    return (
        MentorAssignment.objects.filter(enrolment__cohort__in=cohort_ids)
        .values("enrolment__cohort_id", "mentor_id")
        .annotate(lo=Min("enrolment_id"), hi=Max("enrolment_id"))
        .order_by()
    )


def _mentor_counts(*, cohort_ids: list[int]) -> list[tuple[int | None, int, int, int]]:
    """(cohort, mentors, mentors with several trainees in it, the same) for
    each cohort with mentors, and (None, mentors, mentors with several
    trainees in one cohort, mentors with several over all the cohorts) for
    the total (``MENTOR_COUNTS``). One query."""
    if not cohort_ids:
        return []
    sql, params = _mentor_pairs(cohort_ids=cohort_ids).query.sql_with_params()
    with connection.cursor() as cursor:
        # Only the ORM's own SQL (its values passed as parameters) is
        # placed in the statement.
        cursor.execute(MENTOR_COUNTS.format(pairs=sql), params)
        return [
            (cohort_id, int(mentors), int(several or 0), int(overall or 0))
            for cohort_id, mentors, several, overall in cursor.fetchall()
        ]


# Employment and retention --------------------------------------------------


@dataclass
class EmploymentColumn:
    """One cohort's employment figures (or the total of several)."""

    label: str
    cohort_id: int | None = None
    eligible: int = 0
    workers: list[PeerWorker] = field(default_factory=list)
    retention: RetentionRow | None = None

    @property
    def employed(self) -> int:
        return len(self.workers)

    @property
    def employment_rate(self) -> int | None:
        return percent(part=self.employed, whole=self.eligible)

    @cached_property
    def _tally(self) -> Counter[str]:
        """The counts of roles and hours, in one pass over the workers (read
        once the column is complete)."""
        tally: Counter[str] = Counter()
        for worker in self.workers:
            latest = worker.latest
            tally[latest.role] += 1
            tally[latest.contract] += 1
        return tally

    @property
    def lead_lxp(self) -> int:
        return self._tally[PostRole.LEAD_LXP]

    @property
    def lxp(self) -> int:
        return self._tally[PostRole.LXP]

    @property
    def part_time(self) -> int:
        return self._tally[Contract.PART_TIME]

    @property
    def full_time(self) -> int:
        return self._tally[Contract.FULL_TIME]

    @property
    def services(self) -> int:
        return len({worker.first_service_id for worker in self.workers})

    @property
    def still_in_post(self) -> int:
        return sum(1 for worker in self.workers if worker.in_post_today)

    @property
    def reached_24(self) -> int:
        assert self.retention is not None and self.retention.reached is not None
        return self.retention.reached[RETENTION_MONTHS]

    @property
    def retained_24(self) -> int:
        assert self.retention is not None and self.retention.retained is not None
        return self.retention.retained[RETENTION_MONTHS]

    @property
    def retention_rate_24(self) -> int | None:
        assert self.retention is not None
        return self.retention.percent(RETENTION_MONTHS)


@dataclass
class EmploymentTable:
    columns: list[EmploymentColumn]
    total: EmploymentColumn
    by_service: list[tuple[str, list[int]]]

    @property
    def all_columns(self) -> list[EmploymentColumn]:
        return [*self.columns, self.total]


def employment_table(*, scope: ReportScope) -> EmploymentTable:
    """Eligible graduates, those employed (started in a peer worker post),
    their role (Lead LXP or LXP) and hours (part-time or full-time) in their
    latest post, the service where they started, and how many were in post
    24 months after their first day, per cohort and in total. Three queries.

    With a service chosen, only those who started in it are counted as
    employed; eligibility does not depend on a service.
    """
    eligible, eligible_total = eligible_counts(scope=scope)
    workers = peer_workers(scope=scope)
    columns = {
        cohort.pk: EmploymentColumn(
            label=cohort.name,
            cohort_id=cohort.pk,
            eligible=eligible.get(cohort.pk, 0),
            retention=RetentionRow(cohort.name),
        )
        for cohort in scope.cohorts
    }
    total = EmploymentColumn(label="Total", eligible=eligible_total)
    ordered = [columns[cohort.pk] for cohort in scope.cohorts]
    place = {cohort.pk: index for index, cohort in enumerate(scope.cohorts)}
    last = len(ordered)
    by_service: dict[str, list[int]] = defaultdict(lambda: [0] * (last + 1))
    for worker in workers:
        column = columns.get(worker.cohort_id or 0)
        if column is None:
            continue
        column.workers.append(worker)
        assert column.retention is not None
        column.retention.add(worker.spell, scope.today)
        total.workers.append(worker)
        counts = by_service[worker.first_service]
        counts[place[column.cohort_id]] += 1  # type: ignore[index]
        counts[last] += 1
    # Each peer worker is in one cohort's column: the total's retention is
    # the sum of the cohorts'.
    total.retention = RetentionRow("Total")
    for column in ordered:
        assert column.retention is not None
        total.retention.update(column.retention)
    return EmploymentTable(
        columns=ordered,
        total=total,
        by_service=[(service, by_service[service]) for service in sorted(by_service)],
    )
