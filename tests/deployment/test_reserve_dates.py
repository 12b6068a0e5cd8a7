"""Reserve-list entries and their dates: an entry takes the day the person
was put on the list, which starts its standing period; cover for an absence
in the past can name a reserve whose entry stood then, and an entry that has
run out is shown as lapsed, without the actions of a standing entry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deployment import services
from deployment.models import Absence, Appointment, Interview, Post, ReserveEntry
from deployment.services import DeploymentError
from peerprog.core.dates import add_months
from tests.core.export_helpers import column, download
from tests.core.factories import ServiceFactory
from tests.deployment.factories import (
    AppointmentFactory,
    InterviewFactory,
    PeerPostFactory,
    RecruitmentDayFactory,
    ReserveEntryFactory,
)

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


# The day a person is put on the list


def _day(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


@pytest.fixture
def interview(programme):
    interview = InterviewFactory(day=RecruitmentDayFactory(programme=programme, date=_day(40)))
    person = interview.candidate.person
    person.first_name, person.last_name, person.preferred_name = "Petra", "Lund", ""
    person.save()
    return interview


def test_a_reserve_is_placed_on_the_list_on_the_day_given_and_stands_from_it(client, hr, interview):
    client.force_login(hr)

    response = client.post(
        reverse("deployment:interview-outcome", args=[interview.pk]),
        {
            "outcome": Interview.Outcome.RESERVE,
            "reserve_months": "6",
            "on": _day(38).isoformat(),
            "placed_on": _day(35).isoformat(),
        },
    )

    assert response.status_code == 302, response.content.decode()
    entry = ReserveEntry.objects.get(interview=interview)
    assert entry.placed_on == _day(35)
    assert entry.stands_until == add_months(_day(35), 6)
    page = client.get(reverse("deployment:reserve")).content.decode()
    table = page[page.index("<table") :]
    row = next(row for row in table.split("<tr>") if "Petra Lund" in row)
    assert f"{_day(35):%-d %B %Y}" in row


def test_a_reserve_with_no_day_given_stands_from_the_recruitment_day(hr, interview):
    services.interview_record_outcome(
        interview=interview, outcome=Interview.Outcome.RESERVE, reserve_months=12, by=hr
    )

    entry = ReserveEntry.objects.get(interview=interview)
    assert entry.placed_on == _day(40)


def test_a_reserve_cannot_be_placed_on_the_list_before_the_recruitment_day(client, hr, interview):
    client.force_login(hr)

    response = client.post(
        reverse("deployment:interview-outcome", args=[interview.pk]),
        {
            "outcome": Interview.Outcome.RESERVE,
            "reserve_months": "6",
            "placed_on": _day(45).isoformat(),
        },
    )

    assert response.status_code == 200
    assert (
        f"The recruitment day was on {_day(40):%-d %B %Y}: a person cannot be put on the "
        "reserve list before it."
    ) in response.content.decode()
    assert not ReserveEntry.objects.filter(interview=interview).exists()


def test_a_reserve_cannot_be_placed_on_the_list_in_the_future(hr, interview):
    with pytest.raises(DeploymentError, match="cannot be put on the reserve list in the future"):
        services.interview_record_outcome(
            interview=interview,
            outcome=Interview.Outcome.RESERVE,
            by=hr,
            placed_on=timezone.localdate() + timedelta(days=2),
        )
    assert not ReserveEntry.objects.filter(interview=interview).exists()
