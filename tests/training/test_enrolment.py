from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from recruitment.models import Application
from recruitment.signals import application_accepted
from tests.training.factories import ApplicationFactory, accept, enrol
from training import services
from training.models import CohortTraining, Enrolment, NonCompletionReason
from training.services import TrainingError

pytestmark = pytest.mark.django_db


def test_accepting_an_application_enrols_the_person_once(cohort):
    application = accept(ApplicationFactory(cohort=cohort))
    with transaction.atomic():
        application_accepted.send(sender=Application, application=application)

    enrolments = Enrolment.objects.filter(application=application)
    assert enrolments.count() == 1
    enrolment = enrolments.get()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.person_id == application.person_id
    assert enrolment.cohort_id == cohort.pk


def test_enrolment_creates_the_cohorts_training_settings_with_defaults(cohort):
    enrol(cohort)

    training = CohortTraining.objects.get(cohort=cohort)
    assert cohort.training_start < training.draft_due < cohort.training_end
    assert training.final_due == cohort.training_end + timedelta(days=14)
    assert training.attendance_threshold == 75
    assert training.rubric is not None


def test_an_application_that_is_not_accepted_is_not_enrolled(cohort):
    application = ApplicationFactory(cohort=cohort, stage=Application.Stage.OFFERED)

    with pytest.raises(TrainingError):
        services.enrolment_enrol(application=application)
    assert not Enrolment.objects.exists()


def test_a_failed_acceptance_leaves_no_enrolment(cohort):
    application = ApplicationFactory(cohort=cohort)

    with pytest.raises(RuntimeError), transaction.atomic():
        application.stage = Application.Stage.ACCEPTED
        application.save()
        application_accepted.send(sender=Application, application=application)
        raise RuntimeError("recruitment refused after sending")

    assert not Enrolment.objects.exists()


def test_default_reasons_are_seeded_once_and_keep_a_leads_wording(programme):
    services.non_completion_reasons_ensure_defaults(programme=programme)
    reason = NonCompletionReason.objects.get(
        programme=programme, category=NonCompletionReason.Category.LEFT_FURTHER_STUDY
    )
    reason.label = "Went to university"
    reason.save()

    services.non_completion_reasons_ensure_defaults(programme=programme)

    assert NonCompletionReason.objects.filter(programme=programme).count() == 7
    assert NonCompletionReason.objects.filter(label="Went to university").exists()
    health = NonCompletionReason.objects.filter(
        programme=programme, category__in=NonCompletionReason.HEALTH_CATEGORIES
    )
    assert all(reason.reveals_health for reason in health)
    assert health.count() == 2


def test_a_lead_records_that_a_trainee_left_with_a_reason(cohort, course_lead):
    enrolment = enrol(cohort)
    reasons = services.non_completion_reasons_ensure_defaults(programme=cohort.programme)
    employment = next(r for r in reasons if r.category == "left_paid_employment")

    services.enrolment_close(
        enrolment=enrolment, reason=employment, ended_on=timezone.localdate(), by=course_lead
    )

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.NOT_COMPLETED
    assert enrolment.non_completion_reason == employment
    assert enrolment.history.count() == 2


def test_a_closed_enrolment_cannot_be_closed_again(cohort, course_lead):
    enrolment = enrol(cohort)
    reasons = services.non_completion_reasons_ensure_defaults(programme=cohort.programme)
    services.enrolment_close(enrolment=enrolment, reason=reasons[0], by=course_lead)

    with pytest.raises(TrainingError, match="already ended"):
        services.enrolment_close(enrolment=enrolment, reason=reasons[1], by=course_lead)
    enrolment.refresh_from_db()
    assert enrolment.non_completion_reason == reasons[0]


def test_another_programmes_reason_is_refused(cohort, other_programme, course_lead):
    enrolment = enrol(cohort)
    foreign = services.non_completion_reasons_ensure_defaults(programme=other_programme)[0]

    with pytest.raises(TrainingError):
        services.enrolment_close(enrolment=enrolment, reason=foreign, by=course_lead)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE


def test_a_reason_in_use_cannot_change_its_reporting_category(cohort, course_lead):
    enrolment = enrol(cohort)
    reason = services.non_completion_reasons_ensure_defaults(programme=cohort.programme)[0]
    services.enrolment_close(enrolment=enrolment, reason=reason, by=course_lead)

    with pytest.raises(TrainingError, match="in use"):
        services.non_completion_reason_update(
            reason=reason, by=course_lead, category="left_further_study"
        )
    services.non_completion_reason_update(reason=reason, by=course_lead, is_archived=True)
    reason.refresh_from_db()
    assert reason.is_archived
