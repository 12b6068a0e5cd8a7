"""The employment and retention table counted by the database gives the same
figures as the table counted from each peer worker: transfers, a gap that
ends the first spell, a post held open while another starts, starts on the
31st and on 29 February, a second pass in a later cohort, a service chosen."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from deployment.models import Appointment, Post
from peerprog.core.models import Programme, Role, Service
from peerprog.dashboard import selectors, study_tables
from peerprog.dashboard.selectors.study import employment_table
from tests.core.factories import ServiceFactory, UserFactory
from tests.deployment.factories import (
    AppointmentFactory,
    LeavingReasonFactory,
    PeerPostFactory,
    graduate,
)
from tests.training.factories import CohortFactory, enrol
from training.models import Enrolment

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)


def appoint(service: Service, start: date, end: date | None = None, **values: Any) -> Appointment:
    if end is not None:
        values.setdefault("status", Appointment.Status.LEFT)
        values.setdefault("leaving_reason", LeavingReasonFactory(programme=service.programme))
    return AppointmentFactory(
        post=PeerPostFactory(service=service, status=Post.Status.FILLED),
        start_date=start,
        ended_on=end,
        **values,
    )


@pytest.fixture
def lead(programme: Programme):
    willow = ServiceFactory(programme=programme, name="Willow <Ward>")
    oak = ServiceFactory(programme=programme, name="Oak Team")
    first = CohortFactory(programme=programme, name="First", training_start=date(2023, 1, 9))
    later = CohortFactory(programme=programme, name="Later", training_start=date(2024, 1, 8))
    # Held one post all along, started on the 31st.
    ada = graduate(programme, passed_on=date(2023, 5, 1), cohort=first)
    appoint(willow, date(2023, 8, 31), person=ada)
    # Transferred the day after their last day: one spell.
    ben = graduate(programme, passed_on=date(2023, 5, 1), cohort=first)
    transferred = Appointment.Status.TRANSFERRED
    appoint(willow, date(2023, 6, 1), date(2024, 3, 31), person=ben, status=transferred)
    appoint(oak, date(2024, 4, 1), person=ben, contract=Appointment.Contract.FULL_TIME)
    # Left, then came back after a gap: the first spell ended.
    cai = graduate(programme, passed_on=date(2023, 5, 1), cohort=first)
    appoint(oak, date(2023, 7, 3), date(2024, 1, 5), person=cai)
    appoint(willow, date(2024, 6, 1), person=cai)
    # A post still open when a second began, then the second ended.
    dee = graduate(programme, passed_on=date(2023, 5, 1), cohort=first)
    appoint(oak, date(2024, 2, 29), person=dee)
    appoint(willow, date(2024, 5, 1), date(2025, 1, 1), person=dee)
    # Passed again in a later cohort: counted there.
    eve = graduate(programme, passed_on=date(2023, 5, 1), cohort=first)
    again = enrol(later)
    again.person = eve
    again.status = Enrolment.Status.COMPLETED
    again.passed_on = date(2024, 5, 1)
    again.save()
    appoint(willow, date(2024, 2, 29), date(2025, 2, 27), person=eve)
    # Left before their first milestone.
    fay = graduate(programme, passed_on=date(2024, 5, 1), cohort=later)
    appoint(oak, date(2025, 10, 31), date(2025, 12, 1), person=fay)
    # Starts after today: not counted yet.
    gus = graduate(programme, passed_on=date(2024, 5, 1), cohort=later)
    appoint(oak, date(2026, 4, 1), person=gus)
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])


def _figures(table) -> list[Any]:
    values = [
        [line.value(column) for column in table.all_columns]
        for line in study_tables.EMPLOYMENT_LINES
        if isinstance(line, study_tables.Line)
    ]
    return [values, table.by_service, study_tables.rows_html(study_tables.employment_rows(table))]


def test_the_counts_are_those_of_each_peer_worker(lead):
    # Every service and day against the same people (built once).
    for service_name in [None, "Willow <Ward>", "Oak Team"]:
        service = Service.objects.get(name=service_name) if service_name else None
        for today in [TODAY, date(2024, 8, 31), date(2030, 1, 1)]:
            scope = selectors.report_scope(user=lead, service=service, today=today)

            counted = selectors.employment_counts(scope=scope)

            assert _figures(counted) == _figures(employment_table(scope=scope)), (
                service_name,
                today,
            )


def test_the_counts_have_each_kind_of_spell(lead):
    scope = selectors.report_scope(user=lead, today=TODAY)

    total = selectors.employment_counts(scope=scope).total

    assert total.employed == 6
    assert total.still_in_post == 3
    assert total.full_time == 1
    assert total.services == 2
