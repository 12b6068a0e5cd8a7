"""Preparation workshops per service, and the warning HR sees when
appointing to a team that has had none in the last 12 months."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deployment.models import Interview
from readiness import selectors as readiness
from readiness import services
from readiness.models import PreparationWorkshop
from readiness.services import ReadinessError
from tests.core.factories import ServiceFactory
from tests.core.once_helpers import FormClient
from tests.deployment.factories import CandidateFactory, InterviewFactory, PeerPostFactory
from tests.readiness.factories import workshop

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = FormClient()
    client.force_login(user)
    return client


def test_a_lead_records_a_workshop_with_attendance_by_role(world, lead):
    service = ServiceFactory(programme=world.programme, name="Cedar Ward")
    response = _client(lead).post(
        reverse("readiness:workshop-create", args=[service.pk]),
        {
            "held_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
            "delivered_by": "Sam Rivers (peer worker) and Priya Shah",
            "co_delivered_by_peer": "on",
            "topic_role": "on",
            "topic_boundaries": "on",
            "attended_nurse": "7",
            "attended_hca": "5",
            "attended_manager": "1",
        },
    )

    assert response.status_code == 302
    page = _client(lead).get(reverse("readiness:service-readiness", args=[service.pk]))
    text = page.content.decode()
    assert "Sam Rivers (peer worker) and Priya Shah" in text
    assert "co-delivered by a peer worker" in text
    assert "13: " in text and "7 nurses" in text
    assert "What the peer role is and is not" in text
    assert "has had no preparation workshop" not in text


def test_staff_names_count_when_no_counts_are_given(world, lead):
    service = ServiceFactory(programme=world.programme)
    made = workshop(service, lead, attendance={}, staff_names="Ann Lee\nBob Ray\n\nCal Dee")

    assert readiness.attended(workshop=made) == 3


def test_the_readiness_list_shows_each_services_latest_workshop(world, lead):
    cedar = ServiceFactory(programme=world.programme, name="Cedar Ward")
    workshop(cedar, lead, held_on=timezone.localdate() - timedelta(days=500))
    workshop(
        cedar, lead, held_on=timezone.localdate() - timedelta(days=20), attendance={"nurse": 9}
    )
    ServiceFactory(programme=world.programme, name="Hazel Ward")
    old = ServiceFactory(programme=world.programme, name="Elm Ward")
    workshop(old, lead, held_on=timezone.localdate() - timedelta(days=400))

    rows = {row.service.name: row for row in readiness.service_readiness_list(user=lead)}

    assert rows["Cedar Ward"].workshops == 2
    assert rows["Cedar Ward"].latest_attended == 9
    assert rows["Cedar Ward"].prepared
    assert not rows["Elm Ward"].prepared
    assert rows["Hazel Ward"].latest is None
    assert not rows["Hazel Ward"].prepared


def test_the_readiness_list_costs_the_same_queries_however_many_services(
    world, lead, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            readiness.service_readiness_list(user=lead)
        return len(queries)

    before = count()
    for number in range(5):
        workshop(ServiceFactory(programme=world.programme, name=f"Ward {number}x"), lead)
    assert count() == before


def test_a_workshop_for_another_programmes_service_is_refused(world, lead):
    with pytest.raises(ReadinessError):
        workshop(world.objects["other_service"], lead)
    assert (
        not PreparationWorkshop.objects.filter(service=world.objects["other_service"])
        .exclude(recorded_by__programme=world.other_programme)
        .exists()
    )


def test_hr_is_warned_not_stopped_when_appointing_to_an_unprepared_team(world, hr, lead):
    service = ServiceFactory(programme=world.programme, name="Rowan House")
    from tests.deployment.factories import RecruitmentDayFactory, VacancyFactory

    interview = InterviewFactory(
        day=RecruitmentDayFactory(
            programme=world.programme, date=timezone.localdate() - timedelta(days=7)
        ),
        candidate=CandidateFactory(vacancy=VacancyFactory(post=PeerPostFactory(service=service))),
    )
    url = reverse("deployment:interview-outcome", args=[interview.pk])
    client = _client(hr)

    form = client.get(url)
    assert form.status_code == 200
    assert "Rowan House has had no preparation workshop in the last 12 months" in (
        form.content.decode()
    )

    response = client.post(url, {"outcome": "appoint", "reserve_months": "12"}, follow=True)
    interview.refresh_from_db()
    assert interview.outcome == Interview.Outcome.APPOINT
    assert "Rowan House has had no preparation workshop" in response.content.decode()


def test_no_warning_for_a_team_prepared_this_year(world, lead):
    service = ServiceFactory(programme=world.programme)
    workshop(service, lead, held_on=timezone.localdate() - timedelta(days=300))

    assert readiness.preparation_warning(service=service) == ""


def test_a_workshop_more_than_12_months_ago_does_not_count(world, lead):
    service = ServiceFactory(programme=world.programme, name="Ash Ward")
    workshop(service, lead, held_on=timezone.localdate() - timedelta(days=380))

    assert "Ash Ward has had no preparation workshop" in readiness.preparation_warning(
        service=service
    )


def test_editing_a_workshop_replaces_its_attendance(world, lead):
    made = workshop(world.objects["service"], lead)
    services.workshop_update(workshop=made, by=lead, attendance={"doctor": 2})

    assert [(row.role, row.count) for row in made.attendance.all()] == [("doctor", 2)]
