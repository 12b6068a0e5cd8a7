"""Stage moves carry the date they happened: entered on the move form and
with the bulk action, never in the future, never before the application was
received or before its last move; the timeline shows when a move was
recorded when that was on a later day, and the enrolment of an accepted
application dates from the acceptance."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerprog.core.dates import moment_of
from recruitment import services
from recruitment.models import Application
from recruitment.services import RecruitmentError
from tests.core.factories import PersonFactory
from tests.core.once_helpers import FormClient
from tests.recruitment.factories import CohortFactory, UnsuccessfulReasonFactory
from training.models import Enrolment

pytestmark = pytest.mark.django_db

Stage = Application.Stage


@pytest.fixture
def application(world):
    cohort = CohortFactory(
        programme=world.programme,
        name="Dated cohort",
        applications_open=date(2023, 4, 3),
        applications_close=date(2023, 5, 26),
        training_start=date(2023, 9, 4),
        training_end=date(2023, 11, 27),
    )
    person = PersonFactory(programme=world.programme, first_name="June", last_name="Harker")
    return services.application_create(
        cohort=cohort, person=person, by=world.users["lead"], received_on=date(2023, 5, 2)
    )


def _lead_client(world):
    client = FormClient()
    client.force_login(world.users["lead"])
    return client


def test_the_first_step_is_dated_the_day_the_application_was_received(application):
    first = application.moves.get()
    assert timezone.localdate(first.at) == date(2023, 5, 2)
    assert timezone.localdate(first.recorded_at) == timezone.localdate()


def test_a_move_is_dated_the_day_it_happened_and_the_timeline_says_when_recorded(
    world, application
):
    client = _lead_client(world)
    url = reverse("recruitment:application-move", args=[application.pk])

    response = client.post(url, {"to_stage": Stage.SHORTLISTED, "on": "2023-06-03"})

    assert response.status_code == 302
    move = application.moves.get(to_stage=Stage.SHORTLISTED)
    assert timezone.localdate(move.at) == date(2023, 6, 3)
    page = client.get(reverse("recruitment:application-detail", args=[application.pk]))
    today = timezone.localdate()
    lead_name = world.users["lead"].full_name
    assert (
        f"3 June 2023</strong>, recorded on {today:%-d %B %Y} by {lead_name}"
        in page.content.decode()
    )


def test_a_move_recorded_on_the_day_shows_no_recorded_on(world):
    cohort = CohortFactory(programme=world.programme, name="Today's cohort")
    application = services.application_create(
        cohort=cohort, person=PersonFactory(programme=world.programme), by=world.users["lead"]
    )
    client = _lead_client(world)
    client.post(
        reverse("recruitment:application-move", args=[application.pk]),
        {"to_stage": Stage.SHORTLISTED},
    )

    page = client.get(reverse("recruitment:application-detail", args=[application.pk]))
    assert "recorded on" not in page.content.decode()
    assert application.moves.filter(to_stage=Stage.SHORTLISTED).exists()


def test_a_move_in_the_future_is_refused_on_the_form(world, application):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _lead_client(world).post(
        reverse("recruitment:application-move", args=[application.pk]),
        {"to_stage": Stage.SHORTLISTED, "on": tomorrow.isoformat()},
    )

    assert response.status_code == 200
    assert "A move cannot be dated in the future." in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED


def test_a_move_before_the_application_was_received_is_refused(world, application):
    with pytest.raises(RecruitmentError, match=r"before the application was received \(2 May"):
        services.application_move(
            application=application,
            to_stage=Stage.SHORTLISTED,
            by=world.users["lead"],
            at=moment_of(date(2023, 4, 28)),
        )


def test_an_acceptance_before_the_offer_is_refused(world, application):
    lead = world.users["lead"]
    for stage, day in ((Stage.SHORTLISTED, date(2023, 6, 1)), (Stage.OFFERED, date(2023, 7, 3))):
        services.application_move(
            application=application, to_stage=stage, by=lead, at=moment_of(day)
        )

    with pytest.raises(RecruitmentError, match=r"before the application's last move \(3 July"):
        services.application_move(
            application=application,
            to_stage=Stage.ACCEPTED,
            by=lead,
            at=moment_of(date(2023, 6, 20)),
        )


def test_an_acceptance_dated_in_the_past_enrols_from_that_day(world, application):
    lead = world.users["lead"]
    for stage, day in (
        (Stage.SHORTLISTED, date(2023, 6, 1)),
        (Stage.OFFERED, date(2023, 7, 3)),
        (Stage.ACCEPTED, date(2023, 7, 10)),
    ):
        services.application_move(
            application=application, to_stage=stage, by=lead, at=moment_of(day)
        )

    enrolment = Enrolment.objects.get(application=application)
    assert timezone.localdate(enrolment.enrolled_at) == date(2023, 7, 10)


def test_the_bulk_action_takes_the_date_it_happened(world, application):
    reason = UnsuccessfulReasonFactory(programme=world.programme)
    response = _lead_client(world).post(
        reverse("recruitment:application-bulk"),
        {
            "action": "unsuccessful",
            "reason": str(reason.pk),
            "selected": [str(application.pk)],
            "on": "2023-06-12",
        },
    )

    assert response.status_code == 302
    move = application.moves.get(to_stage=Stage.UNSUCCESSFUL)
    assert timezone.localdate(move.at) == date(2023, 6, 12)


def test_the_bulk_action_refuses_a_date_before_an_application_was_received(world, application):
    client = _lead_client(world)
    response = client.post(
        reverse("recruitment:application-bulk"),
        {"action": "shortlist", "selected": [str(application.pk)], "on": "2023-04-01"},
        follow=True,
    )

    assert "before the application was received" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED
