"""The appointments list reads its page through SQL built once per
programme, list chosen, day and page, and planned once per connection
(``selectors.appointment_page_values``, over ``peerprog.core.kept_values``):
its rows are the ORM's, and live."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deployment import list_rows, selectors
from deployment.models import Appointment, PreEmploymentCheck
from peerprog.core.models import Programme, Role, User
from tests.core.factories import UserFactory
from tests.deployment.factories import AbsenceFactory, AppointmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hr(programme: Programme) -> User:
    for number in range(55):
        AppointmentFactory(
            post__service__programme=programme,
            status=Appointment.Status.OFFERED if number % 4 == 0 else Appointment.Status.IN_POST,
            checks=PreEmploymentCheck.Status.REQUESTED if number % 8 == 0 else None,
        )
    return UserFactory(programme=programme, roles=[Role.HR])


def _pages(user: User, status: str, number: int) -> tuple[list[dict], list[dict]]:
    appointments = selectors.appointment_list(user=user, status=status)
    orm = list(
        selectors.appointment_page(
            user=user, appointments=appointments, number=number, size=50
        ).values(*list_rows.APPOINTMENT_FIELDS)
    )
    kept = selectors.appointment_page_values(
        user=user,
        appointments=appointments,
        number=number,
        size=50,
        fields=list_rows.APPOINTMENT_FIELDS,
        chosen=(status, timezone.localdate()),
    )
    return orm, kept


@pytest.mark.parametrize(("status", "number"), [("active", 1), ("active", 2), ("offered", 1)])
def test_a_page_of_appointments_is_the_orms_on_every_view(
    hr: User, status: str, number: int
) -> None:
    for _ in range(2):
        orm, kept = _pages(hr, status, number)
        assert kept == orm
        assert kept


def test_an_absence_recorded_shows_on_the_next_view(hr: User) -> None:
    appointment = Appointment.objects.get(pk=_pages(hr, "active", 1)[1][0]["pk"])
    AbsenceFactory(appointment=appointment, starts_on=timezone.localdate() - timedelta(days=1))
    orm, kept = _pages(hr, "active", 1)
    assert kept == orm
    assert kept[0]["absent_now"] is True


def test_the_appointments_count_is_read_again_after_a_change(hr: User) -> None:
    client = Client()
    client.force_login(hr)
    url = reverse("deployment:appointments")
    assert "55 appointments" in client.get(url).content.decode()
    assert "14 appointments" in client.get(url, {"status": "offered"}).content.decode()
    # A bulk change the model's signals do not hear of.
    Appointment.objects.filter(
        pk=Appointment.objects.filter(status=Appointment.Status.OFFERED).values("pk")[:1]
    ).update(status=Appointment.Status.WITHDRAWN)

    assert "54 appointments" in client.get(url).content.decode()
    assert "13 appointments" in client.get(url, {"status": "offered"}).content.decode()
