"""What a report covers: the programme's cohorts chosen in the filters, a
service and a date range, and the rows every report reads once.

Every report gathers the same few sets of rows, each with one query however
many cohorts or people there are, and counts them in memory with the apps'
own rules: training's eligibility, deployment's retention arithmetic,
supervision's mentoring and supervision rules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from deployment.models import Appointment
from deployment.retention import Spell, first_spell
from peerprog.core.access import require_role, scoped
from peerprog.core.kept_queries import kept_rows
from peerprog.core.models import Role, Service, User
from peerprog.core.report_changes import read_unless_changed
from recruitment.models import Cohort
from training.models import Enrolment
from training.selectors import eligible_passes

READERS = (Role.PROGRAMME_LEAD, Role.ADMIN)

# Appointments that put someone in post at some time, as retention counts them.
STARTED = (Appointment.Status.IN_POST, Appointment.Status.LEFT, Appointment.Status.TRANSFERRED)


@dataclass(frozen=True)
class ReportScope:
    """The cohorts, service and dates a report covers, for one user."""

    user: User
    cohorts: tuple[Cohort | CohortRow, ...]
    service: Service | None = None
    date_from: date | None = None
    date_to: date | None = None
    today: date = field(default_factory=timezone.localdate)
    # True when the filters narrowed the cohorts: figures of people with no
    # training cohort on record are then left out.
    narrowed: bool = False

    @property
    def cohort_ids(self) -> list[int]:
        return [cohort.pk for cohort in self.cohorts]


def programme_cohorts(*, user: User) -> QuerySet[Cohort]:
    """The user's programme's cohorts, oldest first, as the study lists them."""
    require_role(user, *READERS)
    return scoped(Cohort.objects.all(), user).order_by("training_start", "name", "pk")


class CohortRow(NamedTuple):
    """A cohort as the reports' filters and columns read it: its name and
    when its training starts, without a model instance each (a programme
    may have fifty cohorts, read on every view of a report)."""

    pk: int
    name: str
    training_start: date


def programme_cohort_rows(*, user: User) -> list[CohortRow]:
    """``programme_cohorts`` as plain rows. One query, its SQL built once
    per programme (``kept_rows``), read again only after the cohorts have
    changed (``read_unless_changed``). Shared: not to be changed."""
    require_role(user, *READERS)
    if user.programme_id is None:
        return []

    def read() -> list[CohortRow]:
        rows = kept_rows(
            "programme_cohort_rows",
            user.programme_id,
            lambda: programme_cohorts(user=user).values_list("pk", "name", "training_start"),
        )
        return [CohortRow(*row) for row in rows]

    return read_unless_changed("programme_cohort_rows", user.programme_id, read)


def programme_services(*, user: User) -> QuerySet[Service]:
    require_role(user, *READERS)
    return scoped(Service.objects.all(), user).order_by("name", "pk")


def programme_service_rows(*, user: User) -> list[tuple[int, str]]:
    """``programme_services``' ids and names. One query, its SQL built once
    per programme (``kept_rows``), read again only after the services have
    changed (``read_unless_changed``). Shared: not to be changed."""
    require_role(user, *READERS)
    if user.programme_id is None:
        return []
    return read_unless_changed(
        "programme_service_rows",
        user.programme_id,
        lambda: kept_rows(
            "programme_service_rows",
            user.programme_id,
            lambda: programme_services(user=user).values_list("pk", "name"),
        ),
    )


def report_scope(
    *,
    user: User,
    cohorts: list[Cohort] | None = None,
    service: Service | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
    programme_cohorts_read: list[Cohort] | list[CohortRow] | None = None,
) -> ReportScope:
    """The scope of a report: the cohorts chosen (all the programme's when
    none are), kept to those whose training starts within the dates. A
    cohort or service of another programme is left out.

    ``programme_cohorts_read`` is the list ``programme_cohorts`` gives, when
    the caller (the filters) has already read it: the scope is then chosen
    from it without reading the cohorts again."""
    require_role(user, *READERS)
    if programme_cohorts_read is None:
        queryset = programme_cohorts(user=user)
        if cohorts:
            queryset = queryset.filter(pk__in=[cohort.pk for cohort in cohorts])
        if date_from:
            queryset = queryset.filter(training_start__gte=date_from)
        if date_to:
            queryset = queryset.filter(training_start__lte=date_to)
        chosen = tuple(queryset)
    else:
        wanted = {cohort.pk for cohort in cohorts} if cohorts else None
        chosen = tuple(
            cohort
            for cohort in programme_cohorts_read
            if (wanted is None or cohort.pk in wanted)
            and (not date_from or cohort.training_start >= date_from)
            and (not date_to or cohort.training_start <= date_to)
        )
    if service is not None and service.programme_id != user.programme_id:
        service = None
    return ReportScope(
        user=user,
        cohorts=chosen,
        service=service,
        date_from=date_from,
        date_to=date_to,
        today=today or timezone.localdate(),
        narrowed=bool(cohorts or date_from or date_to),
    )


# The people in post ----------------------------------------------------------


@dataclass(frozen=True)
class LatestPost:
    """A person's latest peer worker appointment, as the employment figures
    read it: its role and contracted hours."""

    pk: int
    role: str
    contract: str


@dataclass
class PeerWorker:
    """One person's time in peer worker posts, for the employment figures."""

    person_id: int
    spell: Spell
    first_service_id: int
    first_service: str
    latest: LatestPost
    cohort_id: int | None = None

    @property
    def in_post_today(self) -> bool:
        return self.spell.last_day is None

    def in_post_on(self, day: date) -> bool:
        return self.spell.in_post_on(day)


def peer_workers(*, scope: ReportScope) -> list[PeerWorker]:
    """Everyone who passed in one of the scope's cohorts and has started in
    a peer worker post, with their first continuous spell
    (``deployment.retention``'s rules), the service where they started,
    their latest appointment (role and hours) and their training cohort: the
    cohort where they passed, the latest pass if there were several, as the
    retention page counts them (which may be a cohort outside the scope:
    every report leaves those out). Two queries, read as plain rows.

    With a service chosen, only those who started in it are kept.
    """
    passed = (
        Enrolment.objects.filter(cohort__in=scope.cohort_ids, status=Enrolment.Status.COMPLETED)
        .order_by()
        .values("person_id")
    )
    rows = (
        scoped(Appointment.objects.all(), scope.user)
        .filter(
            status__in=STARTED,
            start_date__isnull=False,
            start_date__lte=scope.today,
            person__in=passed,
        )
        .order_by("start_date", "pk")
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
    periods: dict[int, list[tuple[date, date | None]]] = {}
    firsts: dict[int, tuple[int, str]] = {}
    latest: dict[int, tuple[int, str, str]] = {}
    for person_id, start, ended, service_id, service, pk, role, contract in rows:
        known = periods.get(person_id)
        if known is None:
            periods[person_id] = [(start, ended)]
            firsts[person_id] = (service_id, service)
        else:
            known.append((start, ended))
        latest[person_id] = (pk, role, contract)
    cohorts = dict(
        scoped(Enrolment.objects.all(), scope.user, "cohort__programme")
        .filter(status=Enrolment.Status.COMPLETED, person__in=passed)
        .order_by("passed_on", "pk")
        .values_list("person_id", "cohort_id")
    )
    chosen = scope.service.pk if scope.service is not None else None
    workers = []
    for person_id, person_periods in periods.items():
        service_id, service = firsts[person_id]
        if chosen is not None and service_id != chosen:
            continue
        # Most people have held one post: their spell is that post's.
        spell = (
            Spell(*person_periods[0]) if len(person_periods) == 1 else first_spell(person_periods)
        )
        if spell is None:
            continue
        pk, role, contract = latest[person_id]
        workers.append(
            PeerWorker(
                person_id=person_id,
                spell=spell,
                first_service_id=service_id,
                first_service=service,
                latest=LatestPost(pk=pk, role=role, contract=contract),
                cohort_id=cohorts.get(person_id),
            )
        )
    return workers


def _eligible_rows(scope: ReportScope) -> QuerySet[Enrolment]:
    """(cohort, person) of each pass in the scope's cohorts by someone
    eligible for paid posts today (training's rule)."""
    assert scope.user.programme is not None
    completed = Enrolment.objects.filter(
        cohort__in=scope.cohort_ids, status=Enrolment.Status.COMPLETED
    ).order_by()
    # Training's rule, asked only of the people who passed in these cohorts
    # rather than of everyone in the programme.
    eligible = eligible_passes(programme=scope.user.programme, on=scope.today).filter(
        person__in=completed.values("person_id")
    )
    return completed.filter(person__in=eligible.values("person_id"))


def eligible_rows(*, scope: ReportScope) -> QuerySet[Enrolment]:
    """``_eligible_rows`` for the selectors that count them in a statement
    of their own."""
    return _eligible_rows(scope)


def eligible_by_cohort(*, scope: ReportScope) -> dict[int, set[int]]:
    """The people eligible for paid posts today (training's rule), by the
    cohort where they passed. One query."""
    if scope.user.programme is None:
        return {}
    rows = _eligible_rows(scope).values_list("cohort_id", "person_id")
    found: dict[int, set[int]] = defaultdict(set)
    for cohort_id, person_id in rows:
        found[cohort_id].add(person_id)
    return found


# Each cohort's eligible people, and everyone eligible through the cohorts
# (someone who passed in two of them counted once), counted by the database.
ELIGIBLE_COUNTS = """
WITH eligible (cohort_id, person_id) AS ({rows})
SELECT cohort_id, COUNT(DISTINCT person_id) FROM eligible GROUP BY cohort_id
UNION ALL
SELECT NULL, COUNT(DISTINCT person_id) FROM eligible
"""


def eligible_counts(*, scope: ReportScope) -> tuple[dict[int, int], int]:
    """How many people are eligible for paid posts today (training's rule)
    in each cohort where they passed, and in all the scope's cohorts
    together: a row per cohort rather than one per person. One query."""
    if scope.user.programme is None or not scope.cohorts:
        return {}, 0
    sql, params = _eligible_rows(scope).values("cohort_id", "person_id").query.sql_with_params()
    counts: dict[int, int] = {}
    total = 0
    with connection.cursor() as cursor:
        # Only the ORM's own SQL (its values passed as parameters) is
        # placed in the statement.
        cursor.execute(ELIGIBLE_COUNTS.format(rows=sql), params)
        for cohort_id, n in cursor.fetchall():
            if cohort_id is None:
                total = n
            else:
                counts[cohort_id] = n
    return counts, total


def percent(*, part: int, whole: int) -> int | None:
    """A whole-number percentage, or None when there is nothing to divide."""
    if not whole:
        return None
    return round(100 * part / whole)
