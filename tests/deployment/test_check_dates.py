"""Pre-employment checks carry the day they were requested and completed
(today when left empty, never in the future, never completed before they
were requested), and a first day in post cannot come before the checks it
depends on or before the person became eligible for paid posts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deployment import services
from deployment.models import Appointment, Post, PreEmploymentCheck
from deployment.services import DeploymentError
from tests.core.factories import ServiceFactory
from tests.deployment.factories import AppointmentFactory, PeerPostFactory, graduate

pytestmark = pytest.mark.django_db

Kind = PreEmploymentCheck.Kind
Status = PreEmploymentCheck.Status


def _day(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


@pytest.fixture
def offered(programme):
    service = ServiceFactory(programme=programme, name="Birch Ward")
    return AppointmentFactory(
        post=PeerPostFactory(service=service, status=Post.Status.FILLED),
        person=graduate(programme, passed_on=_day(60), first_name="Ines", last_name="Kaur"),
        status=Appointment.Status.OFFERED,
        start_date=None,
        checks="not_started",
    )


def _check(appointment: Appointment, kind: str) -> PreEmploymentCheck:
    return appointment.checks.get(kind=kind)


def _clear_all(appointment: Appointment, by, completed_on: date) -> None:
    for check in appointment.checks.all():
        services.check_update(
            check=check,
            status=Status.CLEARED,
            requested_on=completed_on - timedelta(days=10),
            completed_on=completed_on,
            by=by,
        )


def test_hr_records_a_check_completed_earlier_and_the_page_shows_the_day(client, hr, offered):
    check = _check(offered, Kind.DBS)
    client.force_login(hr)

    response = client.post(
        reverse("deployment:check-edit", args=[check.pk]),
        {
            "status": Status.CLEARED,
            "requested_on": _day(30).isoformat(),
            "completed_on": _day(12).isoformat(),
        },
    )

    assert response.status_code == 302, response.content.decode()
    check.refresh_from_db()
    assert check.completed_on == _day(12)
    page = client.get(reverse("deployment:appointment-detail", args=[offered.pk]))
    assert f"{_day(12):%-d %B %Y}" in page.content.decode()


def test_a_check_cleared_with_no_date_is_completed_today(client, hr, offered):
    check = _check(offered, Kind.REFERENCES)
    client.force_login(hr)

    client.post(
        reverse("deployment:check-edit", args=[check.pk]),
        {"status": Status.CLEARED, "requested_on": _day(5).isoformat(), "completed_on": ""},
    )

    check.refresh_from_db()
    assert check.status == Status.CLEARED
    assert check.completed_on == timezone.localdate()


def test_a_check_completed_in_the_future_is_refused(client, hr, offered):
    check = _check(offered, Kind.DBS)
    client.force_login(hr)

    response = client.post(
        reverse("deployment:check-edit", args=[check.pk]),
        {
            "status": Status.CLEARED,
            "requested_on": _day(5).isoformat(),
            "completed_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "The date cannot be in the future" in response.content.decode()
    check.refresh_from_db()
    assert check.status == Status.NOT_STARTED


def test_the_service_refuses_a_check_completed_before_it_was_requested(hr, offered):
    with pytest.raises(DeploymentError, match="it cannot be completed before that"):
        services.check_update(
            check=_check(offered, Kind.DBS),
            status=Status.CLEARED,
            requested_on=_day(5),
            completed_on=_day(9),
            by=hr,
        )


def test_the_service_refuses_a_check_completed_in_the_future(hr, offered):
    with pytest.raises(DeploymentError, match="cannot be dated as completed in the future"):
        services.check_update(
            check=_check(offered, Kind.DBS),
            status=Status.CLEARED,
            completed_on=timezone.localdate() + timedelta(days=1),
            by=hr,
        )


def test_a_check_completed_before_it_was_requested_is_refused(client, hr, offered):
    check = _check(offered, Kind.RIGHT_TO_WORK)
    client.force_login(hr)

    response = client.post(
        reverse("deployment:check-edit", args=[check.pk]),
        {
            "status": Status.CLEARED,
            "requested_on": _day(5).isoformat(),
            "completed_on": _day(9).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "A check cannot be completed before it was requested." in response.content.decode()


def test_a_start_before_the_last_check_was_completed_is_refused(client, hr, offered):
    _clear_all(offered, hr, completed_on=_day(20))
    services.check_update(
        check=_check(offered, Kind.OCCUPATIONAL_HEALTH),
        status=Status.CLEARED,
        requested_on=_day(30),
        completed_on=_day(8),
        by=hr,
    )
    client.force_login(hr)

    response = client.post(
        reverse("deployment:appointment-start", args=[offered.pk]),
        {"start_date": _day(10).isoformat()},
    )

    assert response.status_code == 200
    assert (
        f"The last check cleared, Occupational health, was completed on {_day(8):%-d %B %Y}: "
        "the first day in post cannot be before the checks it depends on."
    ) in response.content.decode()
    offered.refresh_from_db()
    assert offered.status == Appointment.Status.OFFERED


def test_a_start_on_or_after_the_checks_is_confirmed_with_its_day(client, hr, offered):
    _clear_all(offered, hr, completed_on=_day(20))
    client.force_login(hr)

    response = client.post(
        reverse("deployment:appointment-start", args=[offered.pk]),
        {"start_date": _day(14).isoformat()},
    )

    assert response.status_code == 302, response.content.decode()
    offered.refresh_from_db()
    assert offered.status == Appointment.Status.IN_POST
    assert offered.start_date == _day(14)


def test_a_start_before_the_person_became_eligible_is_refused(hr, offered):
    _clear_all(offered, hr, completed_on=_day(70))

    with pytest.raises(DeploymentError) as refused:
        services.appointment_confirm_start(appointment=offered, start_date=_day(65), by=hr)

    assert refused.value.message == (
        f"Ines Kaur became eligible for paid posts on {_day(60):%-d %B %Y}, when their "
        "portfolio passed: the first day in post cannot be before that."
    )


def test_a_check_of_someone_in_post_cannot_be_completed_after_they_started(hr, offered):
    _clear_all(offered, hr, completed_on=_day(20))
    services.appointment_confirm_start(appointment=offered, start_date=_day(14), by=hr)

    with pytest.raises(DeploymentError, match=r"started on .* with every check cleared"):
        services.check_update(
            check=_check(offered, Kind.DBS),
            status=Status.CLEARED,
            requested_on=_day(30),
            completed_on=_day(3),
            by=hr,
        )
