"""The employment and retention table counted by the database.

``study.employment_table`` reads a row per appointment and joins each
person's appointments into their first spell in Python: the dashboard's
refresh needs each peer worker. The study table and its export need only
counts, so on PostgreSQL one statement joins the spells (the same rules as
``deployment.retention.first_spell``), finds each person's first service,
latest post and training cohort, and counts the people by cohort, service,
role, hours and what they add to retention: a few dozen rows rather than a
row per appointment. The embedded demo's SQLite counts them in Python with
``employment_table``; both give the same figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models.expressions import RawSQL

from deployment.models import Appointment
from deployment.models.posts import PostRole
from deployment.retention import MILESTONES, RetentionRow
from peerprog.core.access import scoped
from peerprog.core.kept_queries import kept_statement
from peerprog.core.prepared import fetch_prepared_few
from peerprog.core.report_changes import read_unless_changed
from peerprog.dashboard.selectors.scope import STARTED, ReportScope
from peerprog.dashboard.selectors.study import (
    EmploymentColumn,
    EmploymentTable,
    employment_table,
)
from training.models import Enrolment
from training.selectors import eligible_passes

Contract = Appointment.Contract


@dataclass
class CountedEmploymentColumn(EmploymentColumn):
    """An employment column from the database's counts rather than a list
    of peer workers: the same figures, read by the same properties."""

    counted: int = 0
    in_post: int = 0
    roles_and_hours: Counter[str] = field(default_factory=Counter)
    service_ids: set[int] = field(default_factory=set)

    @property
    def employed(self) -> int:
        return self.counted

    @property
    def _tally(self) -> Counter[str]:  # type: ignore[override]
        return self.roles_and_hours

    @property
    def services(self) -> int:
        return len(self.service_ids)

    @property
    def still_in_post(self) -> int:
        return self.in_post


def _figures() -> str:
    """The figures of a cohort's row: those in post, by role and hours, still
    in post today, and those who reached each milestone and of them those
    still in post on its day (each person's day of each milestone worked out
    once, in ``people``). A row of a cohort and service needs only its
    people: its figures are left empty rather than sent."""
    counts = [
        "COUNT(*) FILTER (WHERE p.last_day IS NULL)",
        "COUNT(*) FILTER (WHERE p.role = %s)",
        "COUNT(*) FILTER (WHERE p.role = %s)",
        "COUNT(*) FILTER (WHERE p.contract = %s)",
        "COUNT(*) FILTER (WHERE p.contract = %s)",
        "COUNT(*) FILTER (WHERE p.last_day IS NULL OR p.last_day >= %s)",
    ]
    for months in MILESTONES:
        due = f"p.due_{int(months)}"
        counts.append(f"COUNT(*) FILTER (WHERE {due} <= %s)")
        counts.append(
            f"COUNT(*) FILTER (WHERE {due} <= %s AND (p.last_day IS NULL OR p.last_day >= {due}))"
        )
    return ",\n       ".join(
        f"CASE WHEN GROUPING(p.service_id) = 1 THEN {count} END" for count in counts
    )


def _milestone_days() -> str:
    """Each person's day of each milestone, from their first day."""
    days = [
        f"(MIN(start_date) + INTERVAL '{int(months)} months')::date AS due_{int(months)}"
        for months in MILESTONES
    ]
    return "".join(f",\n         {day}" for day in days)


# The passes in the scope's cohorts, read once: whose appointments, passes
# and eligibility are counted. Each person's appointments in order; a row
# starting more than a day after every earlier one has ended (an open one
# never ends) breaks the first spell, and only the first spell counts: it
# ends on the latest end of the rows before the first break (which is never
# open), or without a break on the latest end of all (open if one is). A
# person's first service is that of their first appointment, their role and
# hours those of their latest, their cohort that of their latest pass (as
# ``scope.peer_workers`` reads them). The people are then counted by cohort
# and first service, and by cohort with every figure (the rows of the
# cohort alone, GROUPING 1); and those eligible for paid posts (training's
# rule) in each cohort and in all of them, someone eligible through two
# cohorts once.
EMPLOYMENT_COUNTS = """
WITH completed (cohort_id, person_id) AS MATERIALIZED ({completed}),
appts (person_id, start_date, ended_on, service_id, service, pk, role, contract)
     AS ({appointments}),
passes (person_id, cohort_id, passed_on, pk) AS ({passes}),
eligible (cohort_id, person_id) AS (
  SELECT cohort_id, person_id FROM completed WHERE person_id IN ({eligible})
),
ordered AS (
  SELECT a.*, ROW_NUMBER() OVER w AS n,
         COUNT(*) OVER (PARTITION BY a.person_id) AS appointments,
         MAX(COALESCE(a.ended_on, 'infinity'::date))
             OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
  FROM appts a
  WINDOW w AS (PARTITION BY a.person_id ORDER BY a.start_date, a.pk)
),
people AS (
  SELECT person_id,
         MIN(start_date) AS first_day,
         COALESCE(MIN(reach) FILTER (WHERE n > 1 AND start_date > reach + 1),
                  CASE WHEN BOOL_OR(ended_on IS NULL) THEN NULL ELSE MAX(ended_on) END)
             AS last_day,
         MIN(service_id) FILTER (WHERE n = 1) AS service_id,
         MIN(service) FILTER (WHERE n = 1) AS service,
         MIN(role) FILTER (WHERE n = appointments) AS role,
         MIN(contract) FILTER (WHERE n = appointments) AS contract{due_days}
  FROM ordered GROUP BY person_id
),
cohort_of AS (
  SELECT DISTINCT ON (person_id) person_id, cohort_id FROM passes
  ORDER BY person_id, passed_on DESC NULLS FIRST, pk DESC
)
SELECT c.cohort_id, p.service_id, MIN(p.service), GROUPING(p.service_id),
       COUNT(*),
       {figures}
FROM people p JOIN cohort_of c ON c.person_id = p.person_id
WHERE c.cohort_id = ANY(%s) {service}
GROUP BY GROUPING SETS ((c.cohort_id, p.service_id), (c.cohort_id))
UNION ALL
SELECT cohort_id, NULL, NULL, {eligible_in_cohort}, COUNT(DISTINCT person_id), {zeros}
FROM eligible GROUP BY cohort_id
UNION ALL
SELECT NULL, NULL, NULL, {eligible_in_all}, COUNT(DISTINCT person_id), {zeros}
FROM eligible
"""

# The passes in the statement's ``completed``.
FROM_COMPLETED = "SELECT person_id FROM completed"

# The kinds of row the statement returns (the fourth column).
OF_SERVICE, OF_COHORT, ELIGIBLE_IN_COHORT, ELIGIBLE_IN_ALL = 0, 1, 2, 3

# The roles and hours counted, in the statement's order.
COUNTED = (PostRole.LEAD_LXP, PostRole.LXP, Contract.PART_TIME, Contract.FULL_TIME)


def _sql(scope: ReportScope) -> tuple[str, list[object]]:
    """The statement and its parameters: the ORM's own queries (their
    values passed as parameters) with the counting around them."""
    assert scope.user.programme is not None
    completed = (
        Enrolment.objects.filter(cohort__in=scope.cohort_ids, status=Enrolment.Status.COMPLETED)
        .order_by()
        .values_list("cohort_id", "person_id")
    )
    # A fixed text of ours, naming the statement's own CTE.
    passed = RawSQL(FROM_COMPLETED, [])  # noqa: S611
    appointments = (
        scoped(Appointment.objects.all(), scope.user)
        .filter(
            status__in=STARTED,
            start_date__isnull=False,
            start_date__lte=scope.today,
            person__in=passed,
        )
        .order_by()
        .values_list(
            "person_id",
            "start_date",
            "ended_on",
            "post__service_id",
            "post__service__name",
            "pk",
            "post__role",
            "contract",
        )
    )
    passes = (
        scoped(Enrolment.objects.all(), scope.user, "cohort__programme")
        .filter(status=Enrolment.Status.COMPLETED, person__in=passed)
        .order_by()
        .values_list("person_id", "cohort_id", "passed_on", "pk")
    )
    # Training's rule, asked only of the people who passed in these cohorts
    # (as ``scope.eligible_rows``).
    eligible = (
        eligible_passes(programme=scope.user.programme, on=scope.today)
        .filter(person__in=passed)
        .values("person_id")
    )
    completed_sql, completed_params = completed.query.sql_with_params()
    appointments_sql, appointments_params = appointments.query.sql_with_params()
    passes_sql, passes_params = passes.query.sql_with_params()
    eligible_sql, eligible_params = eligible.query.sql_with_params()
    # In the order of the statement's placeholders.
    params: list[object] = [
        *completed_params,
        *appointments_params,
        *passes_params,
        *eligible_params,
        *[str(value) for value in COUNTED],
        *[scope.today] * (1 + 2 * len(MILESTONES)),
        list(scope.cohort_ids),
    ]
    service = ""
    if scope.service is not None:
        service = "AND p.service_id = %s"
        params.append(scope.service.pk)
    sql = EMPLOYMENT_COUNTS.format(
        completed=completed_sql,
        appointments=appointments_sql,
        passes=passes_sql,
        eligible=eligible_sql,
        due_days=_milestone_days(),
        figures=_figures(),
        service=service,
        eligible_in_cohort=ELIGIBLE_IN_COHORT,
        eligible_in_all=ELIGIBLE_IN_ALL,
        zeros=", ".join(["0"] * (len(COUNTED) + 2 + 2 * len(MILESTONES))),
    )
    return sql, params


def employment_counts(*, scope: ReportScope) -> EmploymentTable:
    """``employment_table``'s figures, counted by the database on
    PostgreSQL (one query: eligibility and the counts, its text built once
    and planned once per connection, its figures live): the same
    columns and total for the study table and its export, without a list of
    peer workers. The table is kept, and counted again as soon as a table
    the statement reads has changed (``read_unless_changed``): callers
    must not change it."""
    if connection.vendor != "postgresql" or scope.user.programme_id is None or not scope.cohorts:
        return employment_table(scope=scope)
    # The statement's text depends only on these; its figures are counted
    # live. The table is built again only once a table the statement reads
    # (or the cohorts' names) has changed (report_changes).
    key = (
        scope.user.programme_id,
        tuple(scope.cohort_ids),
        scope.today,
        scope.service.pk if scope.service is not None else None,
    )
    return read_unless_changed("employment_counts", key, lambda: _counted(scope, key))


def _counted(scope: ReportScope, key: tuple[object, ...]) -> EmploymentTable:
    """The table from the statement's rows."""
    sql, params = kept_statement("employment_counts", key, lambda: _sql(scope))
    # Only the ORM's own SQL (its values passed as parameters) is placed in
    # the statement, which is planned once per connection.
    rows = fetch_prepared_few(sql=sql, params=params)
    eligible = {row[0]: row[4] for row in rows if row[3] == ELIGIBLE_IN_COHORT}
    eligible_total = next((row[4] for row in rows if row[3] == ELIGIBLE_IN_ALL), 0)
    columns = {
        cohort.pk: CountedEmploymentColumn(
            label=cohort.name,
            cohort_id=cohort.pk,
            eligible=eligible.get(cohort.pk, 0),
            retention=RetentionRow(cohort.name),
        )
        for cohort in scope.cohorts
    }
    total = CountedEmploymentColumn(
        label="Total", eligible=eligible_total, retention=RetentionRow("Total")
    )
    ordered = [columns[cohort.pk] for cohort in scope.cohorts]
    place = {cohort.pk: index for index, cohort in enumerate(scope.cohorts)}
    last = len(ordered)
    by_service: dict[str, list[int]] = defaultdict(lambda: [0] * (last + 1))
    services: dict[int, str] = {}
    for cohort_id, service_id, service, kind, people, in_post, *counts in rows:
        if kind in (ELIGIBLE_IN_COHORT, ELIGIBLE_IN_ALL):
            continue
        column = columns[cohort_id]
        if kind == OF_SERVICE:
            services[service_id] = service
            column.service_ids.add(service_id)
            counts_of_service = by_service[service]
            counts_of_service[place[cohort_id]] += people
            counts_of_service[last] += people
            continue
        column.counted = people
        column.in_post = in_post
        column.roles_and_hours.update(dict(zip(COUNTED, counts[:4], strict=True)))
        retention = column.retention
        assert retention is not None
        assert retention.reached is not None and retention.retained is not None
        retention.appointed = people
        retention.still_in_post = counts[4]
        for index, months in enumerate(MILESTONES):
            retention.reached[months] = counts[5 + 2 * index]
            retention.retained[months] = counts[6 + 2 * index]
    # Each person is in one cohort's column: the total is the sum of theirs.
    assert total.retention is not None
    for column in ordered:
        total.counted += column.counted
        total.in_post += column.in_post
        total.roles_and_hours.update(column.roles_and_hours)
        assert column.retention is not None
        total.retention.update(column.retention)
    total.service_ids = set(services)
    return EmploymentTable(
        columns=ordered,  # type: ignore[arg-type]
        total=total,
        by_service=[(service, by_service[service]) for service in sorted(by_service)],
    )
