"""A trainee who did not complete only because of the portfolio sat the whole
course: their mentor meetings count as anyone's, and the cohort's mentoring
page names why they did not complete instead of saying they left."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from peerprog.dashboard.selectors.programme import programme_dashboard
from peerprog.dashboard.selectors.scope import report_scope
from supervision.selectors import Compliance, compliance_of, with_mentoring
from tests.supervision.factories import assign, lead_of, leave, log_meeting, mentor
from tests.training.factories import CohortFactory, enrol
from training import services as training_services
from training.models import Enrolment, NonCompletionReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(programme, world):
    today = date.today()
    cohort = CohortFactory(
        programme=programme,
        name="Finished cohort",
        training_start=today - timedelta(weeks=20),
        training_end=today - timedelta(weeks=8),
    )
    grace = mentor(programme, "Grace Okafor", capacity=5)
    unsubmitted = enrol(cohort, first_name="Ada", last_name="Okoro")
    left = enrol(cohort, first_name="Ben", last_name="Tull")
    for enrolment in (unsubmitted, left):
        assign(enrolment, grace, on=cohort.training_start)
        for days in (5, 30, 60):
            log_meeting(enrolment, grace, cohort.training_start + timedelta(days=days))
    reasons = training_services.non_completion_reasons_ensure_defaults(programme=programme)
    not_submitted = next(
        r for r in reasons if r.category == NonCompletionReason.Category.PORTFOLIO_NOT_SUBMITTED
    )
    training_services.enrolment_close(
        enrolment=unsubmitted,
        reason=not_submitted,
        ended_on=cohort.training_end + timedelta(days=14),
        by=lead_of(programme),
    )
    leave(left)
    return cohort, unsubmitted, left


def _state(enrolment: Enrolment) -> str:
    return compliance_of(
        enrolment=with_mentoring(enrolments=Enrolment.objects.filter(pk=enrolment.pk)).get()
    )


def test_a_portfolio_non_completer_keeps_their_mentoring_state(finished):
    _cohort, unsubmitted, left = finished

    assert _state(unsubmitted) == Compliance.MET
    assert _state(left) == Compliance.ENDED


def test_the_cohort_page_says_why_a_trainee_did_not_complete(client, finished, lead):
    cohort, _unsubmitted, _left = finished
    client.force_login(lead)

    page = client.get(reverse("supervision:cohort", args=[cohort.pk])).content.decode()

    ada = next(row for row in page.split("<tr>") if "Ada Okoro" in row)
    ben = next(row for row in page.split("<tr>") if "Ben Tull" in row)
    assert "Left the course" not in ada
    assert "Portfolio not completed" in ada
    assert "Minimum met" in ada
    assert "Left the course" in ben


def test_the_dashboard_counts_a_portfolio_non_completer_who_met_the_minimum(finished, lead):
    cohort, _unsubmitted, _left = finished

    dashboard = programme_dashboard(scope=report_scope(user=lead))

    row = next(r for r in dashboard.mentoring if r.label == cohort.name)
    assert row.met == 1
    assert row.trainees == 1
