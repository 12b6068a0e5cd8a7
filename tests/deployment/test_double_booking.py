"""No double booking: one active appointment per post, enforced by the
database as well as the services, and tested with two requests at once."""

from __future__ import annotations

import threading
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from deployment.models import Appointment, Post
from tests.core.factories import PersonFactory, ProgrammeFactory, ServiceFactory, UserFactory
from tests.deployment.factories import (
    AppointmentFactory,
    CandidateFactory,
    InterviewFactory,
    PeerPostFactory,
    RecruitmentDayFactory,
    VacancyFactory,
)


def _post_in_parallel(requests: list[tuple[Client, str, dict[str, str]]]) -> list[int]:
    """Send the requests from separate threads (each with its own database
    connection), released together."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = [0] * len(requests)
    errors: list[BaseException] = []

    def send(index: int, client: Client, url: str, data: dict[str, str]) -> None:
        try:
            barrier.wait(timeout=10)
            statuses[index] = client.post(url, data).status_code
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return statuses


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_to_appoint_to_one_post_make_one_appointment() -> None:
    programme = ProgrammeFactory()
    service = ServiceFactory(programme=programme)
    hr_a = UserFactory(programme=programme, roles=["HR"])
    hr_b = UserFactory(programme=programme, roles=["HR"])
    vacancy = VacancyFactory(post=PeerPostFactory(service=service))
    day = RecruitmentDayFactory(programme=programme, date=date.today() - timedelta(days=7))
    first = InterviewFactory(
        day=day, candidate=CandidateFactory(vacancy=vacancy), starts_at=time(10)
    )
    second = InterviewFactory(
        day=day, candidate=CandidateFactory(vacancy=vacancy), starts_at=time(11)
    )
    clients = []
    for user in (hr_a, hr_b):
        client = Client()
        client.force_login(user)
        clients.append(client)

    statuses = _post_in_parallel(
        [
            (
                clients[0],
                reverse("deployment:interview-outcome", args=[first.pk]),
                {"outcome": "appoint", "reserve_months": "12"},
            ),
            (
                clients[1],
                reverse("deployment:interview-outcome", args=[second.pk]),
                {"outcome": "appoint", "reserve_months": "12"},
            ),
        ]
    )

    # One is redirected after success; the other sees the form again with
    # the refusal.
    assert sorted(statuses) == [200, 302]
    assert Appointment.objects.filter(post=vacancy.post).count() == 1
    assert Post.objects.get(pk=vacancy.post.pk).status == Post.Status.FILLED


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_offers_from_the_reserve_list_make_one_appointment() -> None:
    from tests.deployment.factories import ReserveEntryFactory

    programme = ProgrammeFactory()
    post = PeerPostFactory(service=ServiceFactory(programme=programme))
    hr = UserFactory(programme=programme, roles=["HR"])
    entries = ReserveEntryFactory.create_batch(2, person__programme=programme)
    clients = []
    for _ in entries:
        client = Client()
        client.force_login(hr)
        clients.append(client)

    statuses = _post_in_parallel(
        [
            (client, reverse("deployment:reserve-appoint", args=[entry.pk]), {"post": str(post.pk)})
            for client, entry in zip(clients, entries, strict=True)
        ]
    )

    assert sorted(statuses) == [200, 302]
    assert Appointment.objects.filter(post=post).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_appointment_to_a_post() -> None:
    appointment = AppointmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            programme=appointment.programme,
            person=PersonFactory(programme=appointment.programme),
            post=appointment.post,
            status=Appointment.Status.OFFERED,
            hours_per_week=Decimal("22.5"),
            created_by=appointment.created_by,
        )


@pytest.mark.django_db
def test_the_database_refuses_the_same_person_twice_in_one_post() -> None:
    appointment = AppointmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            programme=appointment.programme,
            person=appointment.person,
            post=appointment.post,
            status=Appointment.Status.OFFERED,
            hours_per_week=Decimal("22.5"),
            created_by=appointment.created_by,
        )


@pytest.mark.django_db
def test_an_ended_appointment_does_not_block_the_next_one() -> None:
    appointment = AppointmentFactory(status=Appointment.Status.WITHDRAWN, start_date=None)

    Appointment.objects.create(
        programme=appointment.programme,
        person=appointment.person,
        post=appointment.post,
        status=Appointment.Status.OFFERED,
        hours_per_week=Decimal("22.5"),
        created_by=appointment.created_by,
    )

    assert Appointment.objects.filter(post=appointment.post).count() == 2
