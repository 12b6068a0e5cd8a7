"""Only people whose training enrolment passed can be candidates for paid
posts, from the day of the pass; anyone else is refused with the reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deployment import selectors, services
from deployment.models import Candidate
from deployment.services import DeploymentError
from tests.core.factories import PersonFactory
from tests.core.once_helpers import FormClient
from tests.deployment.factories import graduate
from tests.training.factories import CohortFactory, enrol
from training.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def vacancy(world):
    return world.objects["vacancy"]


@pytest.fixture
def cohort(programme):
    return CohortFactory(
        programme=programme,
        name="Spring intake",
        training_start=timezone.localdate() - timedelta(weeks=20),
    )


def test_a_graduate_is_eligible_and_becomes_a_candidate(programme, vacancy, hr):
    person = graduate(programme)

    assert selectors.candidate_eligibility(person=person) == (True, "")
    candidate = services.candidate_add(vacancy=vacancy, person=person, by=hr)
    assert candidate.status == Candidate.Status.APPLIED


def test_someone_still_training_is_refused_with_the_reason(cohort, vacancy, hr):
    trainee = enrol(cohort, first_name="Tariq", last_name="Shah").person

    with pytest.raises(DeploymentError, match=r"Tariq Shah cannot be a candidate.*still on the"):
        services.candidate_add(vacancy=vacancy, person=trainee, by=hr)
    assert not Candidate.objects.filter(person=trainee).exists()


def test_someone_with_a_referral_pending_is_refused_with_the_reason(cohort, vacancy, hr):
    enrolment = enrol(cohort)
    enrolment.status = Enrolment.Status.REFERRED
    enrolment.save()

    eligible, reason = selectors.candidate_eligibility(person=enrolment.person)

    assert not eligible
    assert "portfolio was referred" in reason


def test_someone_who_did_not_complete_is_refused_without_saying_why_they_left(cohort, vacancy, hr):
    enrolment = enrol(cohort)
    enrolment.status = Enrolment.Status.NOT_COMPLETED
    enrolment.ended_on = timezone.localdate()
    from training import services as training_services

    reasons = training_services.non_completion_reasons_ensure_defaults(programme=cohort.programme)
    enrolment.non_completion_reason = next(r for r in reasons if r.reveals_health)
    enrolment.save()

    eligible, reason = selectors.candidate_eligibility(person=enrolment.person)

    assert not eligible
    assert "did not complete the training course" in reason
    assert "health" not in reason.lower()


def test_someone_never_trained_is_refused(programme, vacancy, hr):
    eligible, reason = selectors.candidate_eligibility(person=PersonFactory(programme=programme))

    assert not eligible
    assert "have not been on the training course" in reason


def test_eligibility_starts_on_the_day_of_the_pass(programme):
    today = timezone.localdate()
    person = graduate(programme, passed_on=today)

    assert selectors.candidate_eligibility(person=person, on=today)[0]
    eligible, reason = selectors.candidate_eligibility(person=person, on=today - timedelta(days=1))
    assert not eligible
    assert "can be a candidate for paid posts from that day" in reason


def test_the_candidate_form_lists_graduates_first_and_refuses_others(programme, vacancy, hr):
    person = graduate(programme, first_name="Ama", last_name="Mensah")
    trainee = PersonFactory(programme=programme, first_name="Nina", last_name="Novak")
    client = FormClient()
    client.force_login(hr)
    url = reverse("deployment:candidate-add", args=[vacancy.pk])

    page = client.get(url).content.decode()
    refused = client.post(url, {"person": trainee.pk})
    added = client.post(url, {"person": person.pk})

    assert page.index("Passed the training course") < page.index("Ama Mensah")
    assert page.index("Ama Mensah") < page.index("Others in the programme")
    assert "Nina Novak cannot be a candidate" in refused.content.decode()
    assert added.status_code == 302
    assert Candidate.objects.filter(vacancy=vacancy, person=person).exists()
