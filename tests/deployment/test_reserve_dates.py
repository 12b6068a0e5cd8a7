"""Reserve-list entries and their dates: cover for an absence in the past
can name a reserve whose entry stood then, and an entry that has run out is
shown as lapsed, without the actions of a standing entry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deployment.models import Absence, Appointment, Post
from tests.core.export_helpers import column, download
from tests.core.factories import ServiceFactory
from tests.deployment.factories import AppointmentFactory, PeerPostFactory, ReserveEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_post(programme):
    service = ServiceFactory(programme=programme, name="Eastgate CMHT")
    return AppointmentFactory(
        post=PeerPostFactory(service=service, status=Post.Status.FILLED),
        status=Appointment.Status.IN_POST,
        start_date=date(2024, 1, 8),
    )


@pytest.fixture
def lapsed(in_post):
    return ReserveEntryFactory(
        person__programme=in_post.programme,
        person__first_name="Rowan",
        person__last_name="Ashby",
        placed_on=date(2024, 1, 1),
        stands_until=date(2025, 1, 31),
    )


def test_cover_for_a_past_absence_can_name_a_reserve_whose_entry_has_lapsed(
    client, hr, in_post, lapsed
):
    client.force_login(hr)
    url = reverse("deployment:absence-create", args=[in_post.pk])

    page = client.get(url)
    assert "Rowan Ashby" in page.content.decode()

    response = client.post(
        url,
        {
            "kind": Absence.Kind.OTHER_LEAVE,
            "starts_on": "2024-06-03",
            "ends_on": "2024-09-27",
            "cover": Absence.Cover.RESERVE,
            "cover_reserve": str(lapsed.pk),
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert in_post.absences.get().cover_reserve == lapsed


def test_cover_outside_the_reserve_entry_period_is_still_refused(client, hr, in_post, lapsed):
    client.force_login(hr)
    response = client.post(
        reverse("deployment:absence-create", args=[in_post.pk]),
        {
            "kind": Absence.Kind.OTHER_LEAVE,
            "starts_on": "2025-03-03",
            "cover": Absence.Cover.RESERVE,
            "cover_reserve": str(lapsed.pk),
        },
    )

    assert response.status_code == 200
    assert "not on the reserve list on 3 March 2025" in response.content.decode()
    assert not in_post.absences.exists()


def test_a_lapsed_entry_is_shown_as_lapsed_without_actions(client, hr, lapsed):
    today = timezone.localdate()
    standing = ReserveEntryFactory(
        person__programme=lapsed.programme,
        person__first_name="Sam",
        person__last_name="Okoro",
        placed_on=today - timedelta(days=30),
        stands_until=today + timedelta(days=300),
    )
    client.force_login(hr)

    page = client.get(reverse("deployment:reserve"), {"show": "all"}).content.decode()

    lapsed_row = next(row for row in page.split("<tr>") if "Rowan Ashby" in row)
    assert "Lapsed on 31 January 2025" in lapsed_row
    assert "On the reserve list" not in lapsed_row
    assert "Offer a post" not in lapsed_row
    assert "Take off the list" not in lapsed_row
    standing_row = next(row for row in page.split("<tr>") if "Sam Okoro" in row)
    assert "On the reserve list" in standing_row
    assert "Offer a post" in standing_row
    assert standing.pk


def test_the_reserve_export_calls_a_lapsed_entry_lapsed(hr, lapsed):
    rows = download(hr, "deployment:reserve-export", {"show": "all"})
    assert "Lapsed on 31 January 2025" in column(rows, "Status")
    assert "On the reserve list" not in dict(
        zip(column(rows, "Last name"), column(rows, "Status"), strict=True)
    ).get("Ashby", "")
