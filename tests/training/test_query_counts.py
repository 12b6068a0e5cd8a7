"""Every list page costs the same number of queries for 10 trainees as for
200: nothing is looked up row by row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import Role
from tests.core.factories import UserFactory
from tests.training.factories import enrol, mark, past_session, submit, upload
from training import services

pytestmark = pytest.mark.django_db

SIZES = [10, 200]


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-trainees")
def busy_cohort(request, assessed_cohort, facilitator, second_assessor, course_lead):
    """A cohort of N trainees with registers, drafts, tutorials, portfolios
    waiting for marks, one in moderation and one who left."""
    size = request.param
    trainees = [enrol(assessed_cohort) for _ in range(size)]
    for days_ago in (21, 14):
        session = past_session(assessed_cohort, days_ago=days_ago)
        services.attendance_record(
            session=session,
            marks={t.pk: ("present" if i % 3 else "absent") for i, t in enumerate(trainees)},
            by=facilitator,
        )
    for trainee in trainees[:4]:
        services.draft_record(enrolment=trainee, upload=upload(), by=facilitator)
        services.tutorial_record(
            enrolment=trainee, held_on=timezone.localdate(), minutes=30, by=facilitator
        )
    for trainee in trainees[4:7]:
        submit(trainee, by=facilitator)
    moderated = submit(trainees[7], by=facilitator)
    mark(moderated, facilitator, "pass")
    mark(moderated, second_assessor, "referral")
    reasons = services.non_completion_reasons_ensure_defaults(programme=assessed_cohort.programme)
    services.enrolment_close(enrolment=trainees[8], reason=reasons[5], by=course_lead)
    training = assessed_cohort.training
    training.draft_due = timezone.localdate() - timedelta(days=1)
    training.save()
    return assessed_cohort


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    # Warm the session and the user's roles so only the page is counted.
    client.get(reverse("core:home"))
    return client


def test_the_cohort_page_takes_a_fixed_number_of_queries(
    busy_cohort, course_lead, django_assert_num_queries
):
    client = _client(course_lead)
    with django_assert_num_queries(COHORT_PAGE):
        response = client.get(reverse("training:cohort-detail", args=[busy_cohort.pk]))
    assert response.status_code == 200


def test_the_cohort_list_takes_a_fixed_number_of_queries(
    busy_cohort, course_lead, django_assert_num_queries
):
    client = _client(course_lead)
    with django_assert_num_queries(COHORT_LIST):
        response = client.get(reverse("training:cohorts"))
    assert response.status_code == 200


def test_the_at_risk_list_takes_a_fixed_number_of_queries(
    busy_cohort, course_lead, django_assert_num_queries
):
    client = _client(course_lead)
    with django_assert_num_queries(AT_RISK):
        response = client.get(reverse("training:at-risk"))
    assert response.status_code == 200
    assert len(response.context["rows"]) > 0


def test_the_register_takes_a_fixed_number_of_queries(
    busy_cohort, facilitator, django_assert_num_queries
):
    session = busy_cohort.course_sessions.first()
    client = _client(facilitator)
    with django_assert_num_queries(REGISTER):
        response = client.get(reverse("training:register", args=[session.pk]))
    assert response.status_code == 200


def test_the_outcomes_list_takes_a_fixed_number_of_queries(
    busy_cohort, programme, django_assert_num_queries
):
    client = _client(UserFactory(programme=programme, roles=[Role.HR]))
    with django_assert_num_queries(OUTCOMES):
        response = client.get(reverse("training:outcomes"))
    assert response.status_code == 200


def test_the_outcomes_export_takes_a_fixed_number_of_queries(
    busy_cohort, programme, django_assert_num_queries
):
    client = _client(UserFactory(programme=programme, roles=[Role.ADMIN]))
    with django_assert_num_queries(EXPORT):
        response = client.get(reverse("training:outcomes-export"))
        rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == busy_cohort.enrolments.count() + 1


def test_the_marking_queue_takes_a_fixed_number_of_queries(
    busy_cohort, second_assessor, django_assert_num_queries
):
    client = _client(second_assessor)
    with django_assert_num_queries(MARKING_QUEUE):
        response = client.get(reverse("training:assessor-queue"))
    assert len(response.context["assessments"]) == 3


def test_the_trainee_page_takes_a_fixed_number_of_queries(
    busy_cohort, course_lead, django_assert_num_queries
):
    trainee = busy_cohort.enrolments.order_by("pk").first()
    client = _client(course_lead)
    with django_assert_num_queries(TRAINEE_PAGE):
        response = client.get(reverse("training:trainee", args=[trainee.pk]))
    assert response.status_code == 200


# Measured once; the same for 10 and for 200 trainees. Each count covers the
# whole request: session, user, roles and the navigation as well as the page.
# The cohort page's overview and page of trainees and the at-risk list's
# findings are kept until a table they read changes (``report_changes``):
# these first views ask once more, for the version of the record of writes.
COHORT_PAGE = 7
COHORT_LIST = 7
AT_RISK = 7
REGISTER = 6
OUTCOMES = 6
# The export also counts its rows and writes and completes its export record.
EXPORT = 7
MARKING_QUEUE = 5
TRAINEE_PAGE = 16
