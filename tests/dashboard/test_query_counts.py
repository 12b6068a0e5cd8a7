"""The dashboard, each study table, each download and the equality summary
cost the same number of queries for one cohort as for ten times as many
cohorts and people: nothing is counted row by row in the database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deployment.models import (
    InductionItem,
    InductionOwner,
    PanelMemberLivedExperience,
    TrainingCourse,
)
from deployment.snapshots import previous_month, retention_snapshot_take
from peerprog.core.models import Programme, SensitiveFacts, User
from peerprog.dashboard.services import dashboard_figures_refresh
from tests.core.factories import ServiceFactory, UserFactory
from tests.deployment.factories import AppointmentFactory, PeerPostFactory
from tests.deployment.factories_in_post import TrainingRecordFactory
from tests.deployment.scoring_world import scored_day
from tests.supervision.factories import (
    assign,
    leave,
    log_meeting,
    mentor,
    record_session,
    supervise,
    supervisor,
)
from tests.training.factories import CohortFactory, enrol
from training.models import Enrolment

pytestmark = pytest.mark.django_db

PAGES = [
    ("dashboard:programme", {}),
    ("dashboard:training-programme", {}),
    ("dashboard:employment-retention", {}),
    ("dashboard:equality", {}),
    ("dashboard:equality", {"characteristic": "ethnic_group"}),
    ("dashboard:training-programme-export", {"format": "csv"}),
    ("dashboard:employment-retention-export", {"format": "xlsx"}),
    ("dashboard:funnel-export", {"format": "csv"}),
]

_numbers = iter(range(1, 10_000))


def add_cohorts(programme: Programme, lead: User, count: int) -> None:
    """``count`` finished cohorts, each with five trainees: two passed (one
    employed, supervised, in post for more than two years), one left, two
    whose portfolio was not completed; each trainee with a mentor and a
    meeting, and equality answers."""
    today = timezone.localdate()
    boss = supervisor(programme, f"Supervisor {next(_numbers)}")
    for _ in range(count):
        number = next(_numbers)
        cohort = CohortFactory(
            programme=programme,
            name=f"Reports cohort {number}",
            training_start=today - timedelta(days=1000 + number),
        )
        guide = mentor(programme, f"Mentor {number}", capacity=10)
        service = ServiceFactory(programme=programme, name=f"Reports ward {number}")
        trainees = [enrol(cohort, first_name=f"Trainee {number}.{i}") for i in range(5)]
        for index, enrolment in enumerate(trainees):
            assign(enrolment, guide, by=lead, on=cohort.training_start)
            log_meeting(enrolment, guide, held_on=cohort.training_start + timedelta(days=10))
            SensitiveFacts.objects.create(
                person=enrolment.person, sex=["F", "M"][index % 2], age_band="25-34"
            )
        for enrolment in trainees[:2]:
            enrolment.status = Enrolment.Status.COMPLETED
            enrolment.passed_on = cohort.training_end
            enrolment.save()
        leave(trainees[2])
        worker = trainees[0].person
        AppointmentFactory(
            person=worker,
            post=PeerPostFactory(service=service, status="filled", wte=Decimal("0.6")),
            start_date=today - timedelta(days=800),
            created_by=lead,
        )
        supervise(worker, boss, by=lead, on=today - timedelta(days=700))
        record_session(boss, [worker], held_on=today - timedelta(days=7))
        # An induction item and a course done, and a recruitment day whose
        # panel includes someone with lived experience.
        InductionItem.objects.create(
            appointment=worker.appointments.get(),
            title="Team induction",
            owner=InductionOwner.HR,
            due_days=14,
        )
        course, _ = TrainingCourse.objects.get_or_create(
            programme=programme, name="Safeguarding adults"
        )
        TrainingRecordFactory(
            course=course, person=worker, completed_on=today - timedelta(days=30), recorded_by=lead
        )
        day = scored_day(programme, lead, members=2, criteria=1)
        PanelMemberLivedExperience.objects.create(member=day["members"][0], recorded_by=lead)


def _counts(user: User) -> dict[str, int]:
    client = Client()
    client.force_login(user)
    counts = {}
    for name, params in PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), params)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, name
        counts[f"{name} {params}"] = len(queries)
    return counts


@pytest.mark.parametrize("persona", ["lead", "admin"])
def test_reports_cost_the_same_queries_at_ten_times_the_data(world, persona):
    lead = world.users["lead"]
    add_cohorts(world.programme, lead, 1)
    retention_snapshot_take(month=previous_month())
    # The dashboard reads the stored figures, as counted after the writes.
    dashboard_figures_refresh(programme=world.programme)
    small = _counts(world.users[persona])

    add_cohorts(world.programme, lead, 10)
    retention_snapshot_take(month=previous_month() - timedelta(days=40))
    dashboard_figures_refresh(programme=world.programme)
    large = _counts(world.users[persona])

    assert large == small


def _refresh_queries(programme: Programme) -> int:
    with CaptureQueriesContext(connection) as queries:
        dashboard_figures_refresh(programme=programme)
    return len(queries)


def test_counting_the_stored_figures_costs_the_same_queries_at_ten_times_the_data(world):
    lead = world.users["lead"]
    add_cohorts(world.programme, lead, 1)
    small = _refresh_queries(world.programme)

    add_cohorts(world.programme, lead, 10)
    large = _refresh_queries(world.programme)

    assert large == small


def test_the_larger_world_is_counted_in_full(world):
    """The query counts above are for real figures, not empty pages."""
    lead = world.users["lead"]
    add_cohorts(world.programme, lead, 11)
    client = Client()
    client.force_login(UserFactory(programme=world.programme, roles=["Admin"]))

    response = client.get(reverse("dashboard:training-programme"))

    total = response.context["table"].total
    assert total.attended >= 55
    assert total.completed >= 22
    assert total.mentors >= 11
    employment = client.get(reverse("dashboard:employment-retention")).context["table"].total
    assert employment.employed >= 11
    assert employment.retained_24 >= 11
    dashboard = client.get(reverse("dashboard:programme")).context["dashboard"]
    assert dashboard.induction.in_progress >= 11
    assert dashboard.in_post_training.compliant >= 11
    assert dashboard.interviews.panels_with_lived_experience >= 11
