"""The study tables read their statements again as soon as a table those
statements read has changed, and only then: every kind of write moves the
version (through the ORM or not, undone or not), it never comes back to a
value read before, and a table shown a moment after a write has the write
in it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from deployment.models import Appointment
from peerprog.core import report_changes
from peerprog.core.models import Organisation, Programme, Role, Service
from peerprog.core.report_changes import changes_compact, changes_version
from peerprog.dashboard import selectors
from peerprog.dashboard.selectors import study
from peerprog.dashboard.selectors.employment_counts import _sql as employment_statement
from supervision.selectors import supervision_overview
from tests.core.factories import ServiceFactory, UserFactory
from tests.dashboard.test_employment_counts import appoint
from tests.deployment.factories import graduate
from tests.recruitment.factories import ApplicationFactory
from tests.training.factories import CohortFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)


@pytest.fixture
def lead(programme: Programme):
    ward = ServiceFactory(programme=programme, name="Ward")
    cohort = CohortFactory(programme=programme, name="Spring", training_start=date(2024, 1, 8))
    for _ in range(2):
        person = graduate(programme, passed_on=date(2024, 5, 1), cohort=cohort)
        appoint(ward, date(2024, 7, 1), person=person)
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])


def test_every_kind_of_write_to_a_watched_table_moves_the_version_and_it_never_comes_back(
    programme: Programme,
) -> None:
    seen = [changes_version()]
    service = ServiceFactory(programme=programme)
    seen.append(changes_version())
    Service.objects.filter(pk=service.pk).update(name="Renamed without the ORM's save")
    seen.append(changes_version())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_service SET name = 'By hand' WHERE id = %s", [service.pk])
    seen.append(changes_version())
    service.delete()
    seen.append(changes_version())
    try:
        with transaction.atomic():
            ServiceFactory(programme=programme)
            seen.append(changes_version())
            raise RuntimeError
    except RuntimeError:
        pass
    after_rollback = changes_version()

    assert len(set(seen)) == len(seen)
    # The undone write's version is never read again; the one before it is.
    assert after_rollback == seen[-2]
    ServiceFactory(programme=programme)
    assert changes_version() not in seen


def test_writes_to_other_tables_leave_the_version_alone(programme: Programme) -> None:
    before = changes_version()

    partner = Organisation.objects.create(name="A partner")
    Organisation.objects.filter(pk=partner.pk).update(name="A renamed partner")

    assert changes_version() == before


def test_compacting_keeps_the_count_and_leaves_one_row(programme: Programme) -> None:
    for _ in range(5):
        ServiceFactory(programme=programme)
    count, highest = changes_version()

    changes_compact()

    assert changes_version()[0] == count
    assert changes_version()[1] > highest
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dashboard_report_change")
        assert cursor.fetchone()[0] == 1
    once = changes_version()
    changes_compact()
    assert changes_version() == once


def _tables(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"([a-z_0-9]+)"', sql))


def test_every_table_the_study_statements_read_is_watched_by_a_trigger(lead) -> None:
    scope = selectors.report_scope(user=lead, today=TODAY)
    employment_sql, _ = employment_statement(scope)
    training_sql, _ = study._training_sql(list(scope.cohort_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'dashboard_report_changed'"
        )
        triggered = {row[0] for row in cursor.fetchall()}

    assert _tables(employment_sql) | _tables(training_sql) <= set(report_changes.WATCHED)
    assert triggered == set(report_changes.WATCHED)


def _employed(lead: Any) -> int:
    scope = selectors.report_scope(user=lead, today=TODAY)
    return selectors.employment_counts(scope=scope).total.employed


def test_the_table_is_read_once_until_something_it_reads_changes(
    lead, programme: Programme, django_assert_num_queries: Any
) -> None:
    assert _employed(lead) == 2
    scope = selectors.report_scope(user=lead, today=TODAY)
    # The version only: the statement is not run again.
    with django_assert_num_queries(1):
        selectors.employment_counts(scope=scope)

    person = graduate(programme, passed_on=date(2024, 5, 1), cohort=scope.cohorts[0])
    appoint(Service.objects.get(name="Ward"), date(2024, 9, 2), person=person)
    assert _employed(lead) == 3

    Appointment.objects.filter(person=person).update(start_date=date(2027, 1, 4))
    assert _employed(lead) == 2


def test_a_table_read_inside_an_undone_write_is_not_shown_afterwards(
    lead, programme: Programme
) -> None:
    assert _employed(lead) == 2
    try:
        with transaction.atomic():
            Appointment.objects.filter(post__service__programme=programme).delete()
            assert _employed(lead) == 0
            raise RuntimeError
    except RuntimeError:
        pass

    assert _employed(lead) == 2


def test_the_training_table_counts_a_new_application_at_once(lead) -> None:
    scope = selectors.report_scope(user=lead, today=TODAY)
    before = selectors.training_table(scope=scope).total.applications

    ApplicationFactory(cohort=scope.cohorts[0])

    assert selectors.training_table(scope=scope).total.applications == before + 1


def test_the_supervision_overview_counts_a_change_at_once(lead, programme: Programme) -> None:
    before = supervision_overview(user=lead, today=TODAY)
    assert before.total == 2
    leaving = before.rows[0].person.pk

    Appointment.objects.filter(person_id=leaving).delete()

    after = supervision_overview(user=lead, today=TODAY)
    assert after.total == 1
    assert [row.person.pk for row in after.rows] == [before.rows[1].person.pk]


def test_a_request_asks_for_the_version_once_until_it_writes(programme: Programme) -> None:
    """Two reports of one page share the version read first; after the
    request's own write, a report is read again with the write in it."""
    report_changes._kept.clear()

    def services() -> int:
        return Service.objects.filter(programme=programme).count()

    def view(request: Any) -> tuple[int, int, int, int]:
        with CaptureQueriesContext(connection) as captured:
            first = report_changes.read_unless_changed("services", programme.pk, services)
            report_changes.read_unless_changed("services again", programme.pk, services)
        asked = sum("dashboard_report_change" in query["sql"] for query in captured)
        ServiceFactory(programme=programme)
        with CaptureQueriesContext(connection) as captured:
            after = report_changes.read_unless_changed("services", programme.pk, services)
        asked_after = sum("dashboard_report_change" in query["sql"] for query in captured)
        return asked, first, after, asked_after

    asked, first, after, asked_after = report_changes.version_once_per_request(view)(
        RequestFactory().get("/")
    )

    assert asked == 1
    assert after == first + 1
    assert asked_after == 1
