"""The at-risk list's one query on PostgreSQL (the rules' UNION with the
people's names, in the list's order, planned once on each connection)
gives the same rows as the ORM's UNION and names the demo's SQLite runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peerprog.core import report_changes
from tests.training.factories import CohortFactory, enrol, past_session
from training import services
from training.selectors.at_risk import (
    _breaking_rules,
    _breaking_rules_orm,
    _page_attendance,
    _page_attendance_orm,
    at_risk_trainees,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the query is prepared on PostgreSQL only"
)


def _statements(queries: CaptureQueriesContext) -> list[str]:
    """How each of the list's queries began, other than the role check's."""
    return [
        query["sql"].split()[0]
        for query in queries.captured_queries
        if query["sql"].startswith(("PREPARE", "EXECUTE", "("))
    ]


@pytest.fixture
def busy_list(cohort, facilitator, programme):
    """Trainees breaking one rule or several, two cohorts, people of the
    same name, a preferred name and a trainee at risk in another programme."""
    later = CohortFactory(
        programme=programme,
        name="Cohort 2",
        training_start=cohort.training_start + timedelta(days=7),
    )
    trainees = [
        enrol(cohort, first_name="Sam", last_name="Same"),
        enrol(cohort, first_name="Sam", last_name="Same"),
        enrol(cohort, first_name="Ann", last_name="Zed", preferred_name="Annie"),
        enrol(cohort, first_name="Bo", last_name="Able"),
        enrol(later, first_name="Cy", last_name="Able"),
        enrol(later, first_name="Di", last_name="Best"),
    ]
    session = past_session(cohort)
    services.attendance_record(
        session=session,
        marks={t.pk: ("absent" if i % 2 else "present") for i, t in enumerate(trainees[:4])},
        by=facilitator,
    )
    for each in (cohort, later):
        each.training.draft_due = timezone.localdate() - timedelta(days=1)
        each.training.save()
    elsewhere = CohortFactory(name="Elsewhere")
    enrol(elsewhere, first_name="Other", last_name="Able")
    elsewhere.training.draft_due = timezone.localdate() - timedelta(days=1)
    elsewhere.training.save()
    return trainees


@pytest.mark.django_db
def test_the_one_query_gives_the_orms_rows_in_the_same_order(busy_list, programme):
    today = timezone.localdate()

    rows = [tuple(row) for row in _breaking_rules(programme.pk, today)]

    assert rows == _breaking_rules_orm(programme.pk, today)
    assert {row[0] for row in rows} == {trainee.pk for trainee in busy_list}
    assert len(rows) > len(busy_list)  # some break two rules


@pytest.mark.django_db(transaction=True)
def test_each_connection_plans_the_query_once(busy_list, course_lead):
    connection.close()
    report_changes._kept.clear()
    with CaptureQueriesContext(connection) as first:
        shown = at_risk_trainees(user=course_lead)
    # Kept until a table the rules read changes: not asked again till then.
    with CaptureQueriesContext(connection) as kept:
        assert at_risk_trainees(user=course_lead) == shown
    report_changes._kept.clear()
    with CaptureQueriesContext(connection) as second:
        again = at_risk_trainees(user=course_lead)

    assert again == shown
    assert _statements(first) == ["PREPARE"]
    assert _statements(kept) == []
    assert _statements(second) == ["EXECUTE"]
    names = [trainee.name for trainee in shown]
    assert names == ["Bo Able", "Sam Same", "Sam Same", "Annie Zed", "Cy Able", "Di Best"]
    assert shown[0].reasons == ["Attendance under the threshold", "No draft by mid-course"]


@pytest.mark.django_db
def test_nobody_at_risk_is_an_empty_list(cohort, course_lead):
    enrol(cohort)
    cohort.training.draft_due = cohort.training.final_due = timezone.localdate() + timedelta(days=9)
    cohort.training.save()

    assert at_risk_trainees(user=course_lead) == []
    assert _breaking_rules_orm(course_lead.programme_id, timezone.localdate()) == []


@pytest.mark.django_db
def test_a_pages_attendance_is_counted_as_the_orm_counts_it(busy_list, cohort, facilitator):
    marks = {t.pk: "authorised" for t in busy_list[:2]} | {busy_list[2].pk: "late"}
    services.attendance_record(
        session=past_session(cohort, days_ago=3), marks=marks, by=facilitator
    )
    ids = [trainee.pk for trainee in busy_list]

    counted = sorted(tuple(row) for row in _page_attendance(ids))

    assert counted == sorted(_page_attendance_orm(ids))
    assert len(counted) == 4  # the later cohort has no register yet
    assert sorted(_page_attendance(ids[4:])) == []
