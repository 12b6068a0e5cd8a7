"""Assessment marks, moderated outcomes and resubmissions carry the day they
happened: never in the future, never before what they answer; a pass entered
today for a decision made in 2024 makes the trainee eligible from 2024."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.core.once_helpers import FormClient
from tests.training.factories import CohortFactory, enrol, mark, set_assessors, submit
from training import services
from training.models import Assessment, Enrolment, PortfolioSubmission
from training.selectors import is_eligible_for_posts, rubric_criteria_for
from training.services import TrainingError

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_cohort(programme, facilitator, second_assessor):
    cohort = CohortFactory(
        programme=programme,
        name="Spring 2024",
        applications_open=date(2023, 11, 6),
        applications_close=date(2023, 12, 15),
        training_start=date(2024, 1, 8),
        training_end=date(2024, 4, 1),
    )
    set_assessors(cohort, facilitator, second_assessor)
    return cohort


@pytest.fixture
def submission(past_cohort, facilitator):
    return submit(enrol(past_cohort), by=facilitator, submitted_on=date(2024, 4, 15))


def test_a_pass_entered_today_for_a_2024_decision_makes_the_trainee_eligible_from_then(
    submission, facilitator, second_assessor
):
    mark(submission, facilitator, "pass", on=date(2024, 5, 2))
    mark(submission, second_assessor, "pass", on=date(2024, 5, 9))

    enrolment = Enrolment.objects.get(pk=submission.enrolment_id)
    assert enrolment.passed_on == date(2024, 5, 9)
    assert is_eligible_for_posts(person=enrolment.person, on=date(2024, 5, 9))
    assert not is_eligible_for_posts(person=enrolment.person, on=date(2024, 5, 8))


def test_a_mark_before_the_portfolio_was_received_is_refused(submission, facilitator):
    with pytest.raises(TrainingError, match=r"before the portfolio was received \(15 April 2024\)"):
        mark(submission, facilitator, "pass", on=date(2024, 4, 10))
    assert not Assessment.objects.get(submission=submission, assessor=facilitator).is_marked


def test_a_mark_in_the_future_is_refused(submission, facilitator):
    with pytest.raises(TrainingError, match="A mark cannot be dated in the future"):
        mark(submission, facilitator, "pass", on=timezone.localdate() + timedelta(days=1))


def test_a_moderated_outcome_before_the_second_mark_is_refused(
    submission, facilitator, second_assessor, course_lead
):
    mark(submission, facilitator, "pass", on=date(2024, 5, 2))
    mark(submission, second_assessor, "referral", on=date(2024, 5, 9))

    with pytest.raises(TrainingError, match=r"before the second mark \(9 May 2024\)"):
        services.submission_moderate(
            submission=submission,
            outcome="pass",
            reason="Section 3 meets the criteria.",
            by=course_lead,
            on=date(2024, 5, 6),
        )
    services.submission_moderate(
        submission=submission,
        outcome="pass",
        reason="Section 3 meets the criteria.",
        by=course_lead,
        on=date(2024, 5, 20),
    )
    assert Enrolment.objects.get(pk=submission.enrolment_id).passed_on == date(2024, 5, 20)


def test_a_resubmission_before_the_referral_it_answers_is_refused(
    submission, facilitator, second_assessor
):
    mark(submission, facilitator, "referral", on=date(2024, 5, 2))
    mark(submission, second_assessor, "referral", on=date(2024, 5, 9))
    submission.refresh_from_db()
    assert submission.decided_on == date(2024, 5, 9)
    assert submission.resubmission_due == date(2024, 5, 9) + timedelta(days=28)

    with pytest.raises(TrainingError, match=r"before the referral it answers \(9 May 2024\)"):
        submit(submission.enrolment, by=facilitator, submitted_on=date(2024, 5, 1))
    second = submit(submission.enrolment, by=facilitator, submitted_on=date(2024, 6, 3))
    assert second.attempt == 2


def test_the_marking_form_takes_the_date_of_the_decision(submission, facilitator):
    assessment = Assessment.objects.get(submission=submission, assessor=facilitator)
    client = FormClient()
    client.force_login(facilitator)
    url = reverse("training:assessment-mark", args=[assessment.pk])
    criteria = rubric_criteria_for(enrolment=submission.enrolment)
    data = {"decision": "pass", "comments": "", "on": "2024-04-10"}
    data.update({f"level_{c.pk}": "met" for c in criteria})

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "before the portfolio was received (15 April 2024)" in refused.content.decode()

    data["on"] = "2024-05-02"
    assert client.post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert timezone.localdate(assessment.marked_at) == date(2024, 5, 2)
    assert PortfolioSubmission.objects.get(pk=submission.pk).status == "awaiting_marks"


def test_the_trainee_page_says_when_a_portfolio_received_earlier_was_recorded(
    submission, course_lead
):
    client = FormClient()
    client.force_login(course_lead)

    page = client.get(reverse("training:trainee", args=[submission.enrolment_id]))

    today = timezone.localdate()
    recorder = submission.recorded_by.full_name
    assert (
        f"Received 15 April 2024, recorded on {today:%-d %B %Y} by {recorder}"
        in page.content.decode()
    )


def test_a_portfolio_recorded_the_day_it_came_in_shows_no_recorded_on(
    past_cohort, facilitator, course_lead
):
    submission = submit(enrol(past_cohort), by=facilitator)
    client = FormClient()
    client.force_login(course_lead)

    page = client.get(reverse("training:trainee", args=[submission.enrolment_id]))

    assert f"Received {timezone.localdate():%-d %B %Y} (due" in page.content.decode()


def test_the_end_of_a_course_in_the_future_is_refused(past_cohort, course_lead):
    enrolment = enrol(past_cohort)
    reason = services.non_completion_reasons_ensure_defaults(programme=past_cohort.programme)[0]

    with pytest.raises(TrainingError, match="cannot be dated in the future"):
        services.enrolment_close(
            enrolment=enrolment,
            reason=reason,
            ended_on=timezone.localdate() + timedelta(days=3),
            by=course_lead,
        )
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
