"""The study tables' statements: the training table's one statement gives
the same counts as its three queries and as the mentor assignments counted
one by one (a mentor given back a trainee they had before counts them once);
a statement whose text changes with the filters is planned once per
connection, and only a few such statements stay prepared on one."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerprog.core.prepared import fetch_prepared_few
from peerprog.dashboard import selectors
from peerprog.dashboard.selectors.study import (
    _applications_and_enrolments,
    _mentor_counts,
    _training_counts,
)
from supervision.models import MentorAssignment
from tests.supervision.factories import assign, lead_of, mentor
from tests.training.factories import CohortFactory, enrol

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statements are prepared on PostgreSQL only"
)


@pytest.fixture
def cohorts(world):
    """Three cohorts. Grace has two trainees in the first and one in the
    second; Daniel one in each of the first two, and one of them twice
    (handed to Grace and back); Amara one in the second; the third cohort
    has a trainee without a mentor."""
    programme = world.programme
    first, second, third = (
        CohortFactory(programme=programme, name=name, training_start=date(2025, month, 1))
        for name, month in [("First", 1), ("Second", 4), ("Third", 7)]
    )
    grace = mentor(programme, "Grace Okafor", capacity=9)
    daniel = mentor(programme, "Daniel Hughes", capacity=9)
    amara = mentor(programme, "Amara Bello", capacity=9)
    by = lead_of(programme)
    assign(enrol(first), grace, by=by, on=date(2025, 1, 1))
    assign(enrol(first), grace, by=by, on=date(2025, 1, 1))
    twice = enrol(first)
    assign(twice, daniel, by=by, on=date(2025, 1, 1))
    assign(twice, grace, by=by, on=date(2025, 2, 1))
    assign(twice, daniel, by=by, on=date(2025, 3, 1))
    assign(enrol(second), grace, by=by, on=date(2025, 4, 1))
    assign(enrol(second), daniel, by=by, on=date(2025, 4, 1))
    assign(enrol(second), amara, by=by, on=date(2025, 4, 1))
    enrol(third)
    return [first, second, third]


def _counted_one_by_one(cohort_ids: list[int]) -> list[tuple[int | None, int, int, int]]:
    """The mentor figures from each assignment, as the study defines them."""
    trainees: dict[tuple[int, int], set[int]] = defaultdict(set)
    for cohort_id, mentor_id, enrolment_id in MentorAssignment.objects.filter(
        enrolment__cohort__in=cohort_ids
    ).values_list("enrolment__cohort_id", "mentor_id", "enrolment_id"):
        trainees[(cohort_id, mentor_id)].add(enrolment_id)
    rows: list[tuple[int | None, int, int, int]] = []
    for cohort_id in sorted({cohort for cohort, _ in trainees}):
        mine = [people for (cohort, _), people in trainees.items() if cohort == cohort_id]
        several = sum(1 for people in mine if len(people) > 1)
        rows.append((cohort_id, len(mine), several, several))
    # The total, even of no mentors.
    mentors = {mentor_id for _, mentor_id in trainees}
    at_once = {m for (_, m), people in trainees.items() if len(people) > 1}
    overall = {
        m
        for m in mentors
        if sum(len(people) for (_, other), people in trainees.items() if other == m) > 1
    }
    rows.append((None, len(mentors), len(at_once), len(overall)))
    return rows


def _sorted(rows: Any) -> list[Any]:
    return sorted((tuple(row) for row in rows), key=repr)


@pytest.mark.parametrize("chosen", [[0, 1, 2], [0], [1, 2], [2]])
def test_the_mentor_counts_are_those_of_each_assignment(cohorts, chosen):
    ids = [cohorts[index].pk for index in chosen]

    assert _sorted(_mentor_counts(cohort_ids=ids)) == _sorted(_counted_one_by_one(ids))


def test_daniel_and_grace_have_several_trainees(cohorts):
    ids = [cohort.pk for cohort in cohorts]
    counts = {row[0]: row[1:] for row in _mentor_counts(cohort_ids=ids)}

    assert counts[cohorts[0].pk] == (2, 1, 1)
    assert counts[cohorts[1].pk] == (3, 0, 0)
    # Grace had two at once in the first cohort; Daniel and Grace each had
    # more than one over both cohorts, Amara did not.
    assert counts[None] == (3, 1, 2)


@pytest.mark.parametrize("chosen", [[0, 1, 2], [1], [0, 2]])
def test_the_one_statement_gives_the_counts_of_the_three_queries(cohorts, chosen):
    ids = [cohorts[index].pk for index in chosen]
    applications, enrolments = _applications_and_enrolments(cohort_ids=ids)

    found = _training_counts(cohort_ids=ids)

    assert [_sorted(part) for part in found] == [
        _sorted(applications),
        _sorted(enrolments),
        _sorted(_mentor_counts(cohort_ids=ids)),
    ]


def test_the_training_table_is_counted_live_on_every_view(world, cohorts):
    lead = world.users["lead"]
    scope = selectors.report_scope(user=lead, cohorts=cohorts)
    before = selectors.training_table(scope=scope).total

    enrol(cohorts[2])
    after = selectors.training_table(scope=scope).total

    assert after.attended == before.attended + 1
    assert after.applications == before.applications + 1


SQL = "SELECT %s + n FROM generate_series(1, 3) AS n ORDER BY n"


def _run(value: int, **options: Any) -> tuple[list[tuple[Any, ...]], str]:
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_prepared_few(sql=SQL, params=(value,), **options)
    assert len(queries.captured_queries) == 1
    return [tuple(row) for row in rows], queries.captured_queries[0]["sql"]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_statement_is_prepared_once_per_connection() -> None:
    connection.close()

    rows, sql = _run(10)
    assert rows == [(11,), (12,), (13,)]
    assert sql.startswith("PREPARE ")

    rows, sql = _run(10)
    assert rows == [(11,), (12,), (13,)]
    assert sql.startswith("EXECUTE ")

    connection.close()
    rows, sql = _run(10)
    assert sql.startswith("PREPARE ")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_only_a_few_statements_stay_prepared_on_a_connection() -> None:
    connection.close()
    for value in range(3):
        _run(value, keep=2)

    # The oldest went when the third was prepared; the other two remain.
    rows, sql = _run(0, keep=2)
    assert rows == [(1,), (2,), (3,)]
    assert "PREPARE " in sql
    assert _run(2, keep=2)[1].startswith("EXECUTE ")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_prepared_statements WHERE name LIKE 'peerprog_few_%%'"
        )
        assert cursor.fetchone()[0] == 2


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_failed_statement_leaves_the_connection_running_plain_sql() -> None:
    connection.close()
    with pytest.raises(Exception, match="division by zero"):
        fetch_prepared_few(sql="SELECT 1 / (%s - 1)", params=(1,))

    rows, sql = _run(10)
    assert rows == [(11,), (12,), (13,)]
    assert sql.startswith("SELECT ")
