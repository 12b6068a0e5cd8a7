"""A course cannot end before the trainee was enrolled on it: someone who
joined a cohort late cannot have left it before they joined. Refused in
plain words by the service and on the lead's page."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.training.factories import ApplicationFactory, accept
from training import services
from training.models import Enrolment

pytestmark = pytest.mark.django_db


def _late_joiner(cohort, weeks_after_start: int = 3) -> Enrolment:
    """A trainee whose place was accepted a few weeks into the course."""
    joined = cohort.training_start + timedelta(weeks=weeks_after_start)
    application = ApplicationFactory(
        cohort=cohort,
        stage_changed_at=timezone.make_aware(datetime.combine(joined, time(11, 0))),
    )
    accept(application)
    return Enrolment.objects.get(application=application)


def _message(enrolment: Enrolment) -> str:
    joined = timezone.localdate(enrolment.enrolled_at)
    return (
        f"{enrolment.person.display_name} was enrolled on {joined:%-d %B %Y}, so their "
        "course cannot end before that day."
    )


def test_a_course_cannot_end_before_the_trainee_was_enrolled(cohort, course_lead):
    enrolment = _late_joiner(cohort)
    reason = services.non_completion_reasons_ensure_defaults(programme=cohort.programme)[0]
    before = timezone.localdate(enrolment.enrolled_at) - timedelta(days=1)

    with pytest.raises(services.TrainingError) as refused:
        services.enrolment_close(
            enrolment=enrolment, reason=reason, ended_on=before, by=course_lead
        )

    assert str(refused.value) == _message(enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.ended_on is None


def test_a_course_can_end_on_the_day_the_trainee_was_enrolled(cohort, course_lead):
    enrolment = _late_joiner(cohort)
    reason = services.non_completion_reasons_ensure_defaults(programme=cohort.programme)[0]
    joined = timezone.localdate(enrolment.enrolled_at)

    services.enrolment_close(enrolment=enrolment, reason=reason, ended_on=joined, by=course_lead)

    enrolment.refresh_from_db()
    assert enrolment.ended_on == joined


def test_the_leads_page_says_why_an_end_before_enrolment_is_refused(client, cohort, course_lead):
    enrolment = _late_joiner(cohort)
    reason = services.non_completion_reasons_ensure_defaults(programme=cohort.programme)[0]
    before = timezone.localdate(enrolment.enrolled_at) - timedelta(days=2)
    client.force_login(course_lead)

    response = client.post(
        reverse("training:enrolment-close", args=[enrolment.pk]),
        {"reason": reason.pk, "ended_on": before.isoformat()},
    )

    assert response.status_code == 200
    assert _message(enrolment).replace("'", "&#x27;") in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
