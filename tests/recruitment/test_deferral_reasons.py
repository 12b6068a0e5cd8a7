"""Deferrals take a coded reason from the programme's list, as withdrawals
do, and the date they were decided: the application in the later cohort is
received that day, and the cohort page counts deferrals by reason."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from peerprog.core.dates import moment_of
from recruitment import services
from recruitment.models import Application, DeferralReason
from recruitment.services import RecruitmentError
from tests.core.factories import PersonFactory, ProgrammeFactory
from tests.core.once_helpers import FormClient
from tests.recruitment.factories import CohortFactory, DeferralReasonFactory

pytestmark = pytest.mark.django_db

Stage = Application.Stage


@pytest.fixture
def cohorts(world):
    first = CohortFactory(
        programme=world.programme,
        name="Spring cohort",
        applications_open=date(2023, 1, 9),
        applications_close=date(2023, 2, 24),
        training_start=date(2023, 4, 3),
        training_end=date(2023, 6, 26),
    )
    later = CohortFactory(
        programme=world.programme,
        name="Autumn cohort",
        applications_open=date(2023, 6, 5),
        applications_close=date(2023, 7, 28),
        training_start=date(2023, 9, 4),
        training_end=date(2023, 11, 27),
    )
    return first, later


@pytest.fixture
def application(world, cohorts):
    person = PersonFactory(programme=world.programme, first_name="Tamsin", last_name="Orr")
    return services.application_create(
        cohort=cohorts[0], person=person, by=world.users["lead"], received_on=date(2023, 2, 1)
    )


@pytest.fixture
def reason(world):
    return DeferralReasonFactory(
        programme=world.programme,
        label="Caring for a parent this spring",
        category=DeferralReason.Category.CARING,
    )


def _lead_client(world):
    client = FormClient()
    client.force_login(world.users["lead"])
    return client


def test_a_deferral_records_its_reason_and_date_and_the_page_shows_both(
    world, cohorts, application, reason
):
    client = _lead_client(world)
    url = reverse("recruitment:application-move", args=[application.pk])

    response = client.post(
        url,
        {
            "to_stage": Stage.DEFERRED,
            "to_cohort": cohorts[1].pk,
            "deferral_reason": reason.pk,
            "on": "2023-03-06",
        },
    )

    assert response.status_code == 302, response.content.decode()
    application.refresh_from_db()
    assert application.deferral_reason == reason
    assert timezone.localdate(application.stage_changed_at) == date(2023, 3, 6)
    assert application.deferred_to.received_on == date(2023, 3, 6)
    page = client.get(reverse("recruitment:application-detail", args=[application.pk]))
    text = page.content.decode()
    assert "(Caring for a parent this spring), since 6 March 2023" in text


def test_a_deferral_without_a_reason_is_refused_on_the_form(world, cohorts, application):
    response = _lead_client(world).post(
        reverse("recruitment:application-move", args=[application.pk]),
        {"to_stage": Stage.DEFERRED, "to_cohort": cohorts[1].pk, "on": "2023-03-06"},
    )

    assert response.status_code == 200
    assert "Choose why the application was deferred." in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED


def test_a_deferral_dated_before_the_application_arrived_is_refused(
    world, cohorts, application, reason
):
    response = _lead_client(world).post(
        reverse("recruitment:application-move", args=[application.pk]),
        {
            "to_stage": Stage.DEFERRED,
            "to_cohort": cohorts[1].pk,
            "deferral_reason": reason.pk,
            "on": "2023-01-20",
        },
    )

    assert response.status_code == 200
    assert (
        "A move cannot be dated before the application was received (1 February 2023)."
        in response.content.decode()
    )
    assert not Application.objects.filter(cohort=cohorts[1]).exists()


def test_the_service_refuses_a_deferral_without_a_reason(world, cohorts, application):
    with pytest.raises(RecruitmentError, match="Choose a reason why the application was deferred"):
        services.application_move(
            application=application,
            to_stage=Stage.DEFERRED,
            to_cohort=cohorts[1],
            by=world.users["lead"],
        )
    assert not Application.objects.filter(cohort=cohorts[1]).exists()


def test_the_service_refuses_another_programmes_deferral_reason(world, cohorts, application):
    foreign = DeferralReasonFactory(programme=ProgrammeFactory())
    with pytest.raises(RecruitmentError, match="programme's current list"):
        services.application_defer(
            application=application, to_cohort=cohorts[1], reason=foreign, by=world.users["lead"]
        )


def test_the_service_refuses_an_archived_deferral_reason(world, cohorts, application, reason):
    reason = services.reason_set_archived(reason=reason, archived=True, by=world.users["lead"])
    with pytest.raises(RecruitmentError, match="programme's current list"):
        services.application_defer(
            application=application, to_cohort=cohorts[1], reason=reason, by=world.users["lead"]
        )


def test_the_cohort_page_counts_deferrals_by_reason(world, cohorts, application, reason):
    services.application_defer(
        application=application,
        to_cohort=cohorts[1],
        reason=reason,
        by=world.users["lead"],
        at=moment_of(date(2023, 3, 6)),
    )
    page = _lead_client(world).get(reverse("recruitment:cohort-detail", args=[cohorts[0].pk]))
    text = page.content.decode()
    assert "Deferred, by reason" in text
    assert "<td>Caring for a parent this spring</td><td>1</td>" in text


def test_a_programme_gets_the_deferral_reasons_with_its_other_lists():
    programme = ProgrammeFactory()
    services.reasons_ensure_defaults(programme=programme)
    labels = list(
        DeferralReason.objects.filter(programme=programme).values_list("label", flat=True)
    )
    assert labels[0] == "The course dates do not suit"
    assert DeferralReason.objects.get(programme=programme, label="Health reasons").reveals_health


def test_a_lead_adds_a_deferral_reason_to_the_list(world):
    client = _lead_client(world)
    response = client.post(
        reverse("recruitment:reason-create", args=["deferral"]),
        {"label": "Moving house", "category": DeferralReason.Category.PERSONAL, "order": "9"},
    )

    assert response.status_code == 302
    page = client.get(reverse("recruitment:reason-list"))
    text = page.content.decode()
    assert "Deferral reasons" in text
    assert "Moving house" in text
