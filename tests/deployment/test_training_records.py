"""Training once in post: records from the editable catalogue with their
expiry, compliance per service and per person, reminders 30 days before
expiry to the peer worker and their supervisor, and the export."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deployment.models import TrainingCourse
from deployment.selectors.training_records import (
    EXPIRED,
    EXPIRING,
    MISSING,
    UP_TO_DATE,
    training_compliance,
)
from deployment.services import DeploymentError
from deployment.services.training_records import (
    DEFAULT_COURSES,
    training_courses_ensure_defaults,
    training_record_create,
)
from peerprog.core.dates import add_months
from peerprog.core.models import Reminder
from peerprog.core.reminders.services import reminders_run_group
from tests.core.factories import PersonFactory, ServiceFactory
from tests.supervision.factories import employed, supervise, supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(programme, hr):
    training_courses_ensure_defaults(programme=programme, by=hr)
    return {c.name: c for c in TrainingCourse.objects.filter(programme=programme)}


def test_the_catalogue_starts_with_the_usual_courses(courses):
    assert set(courses) == {name for name, _ in DEFAULT_COURSES}


def test_a_record_expires_when_the_course_says(programme, hr, courses):
    worker = employed(programme)
    done = timezone.localdate() - timedelta(days=10)

    record = training_record_create(
        person=worker, course=courses["Information governance"], completed_on=done, by=hr
    )

    assert record.expires_on == add_months(done, 12)
    assert record.history.count() == 1


def test_a_completion_still_to_come_is_refused(programme, hr, courses):
    with pytest.raises(DeploymentError, match="future"):
        training_record_create(
            person=employed(programme),
            course=courses["ASIST"],
            completed_on=timezone.localdate() + timedelta(days=1),
            by=hr,
        )


def test_training_is_not_kept_for_someone_never_appointed(programme, hr, courses):
    with pytest.raises(DeploymentError, match="appointed"):
        training_record_create(
            person=PersonFactory(programme=programme),
            course=courses["ASIST"],
            completed_on=timezone.localdate(),
            by=hr,
        )


def test_compliance_tells_up_to_date_expiring_expired_and_not_done(programme, hr, lead, courses):
    today = timezone.localdate()
    worker = employed(programme)
    safeguarding = courses["Safeguarding"]
    training_record_create(
        person=worker, course=courses["ASIST"], completed_on=today - timedelta(days=5), by=hr
    )
    training_record_create(
        person=worker,
        course=courses["safeTALK"],
        completed_on=today - timedelta(days=400),
        expires_on=today + timedelta(days=10),
        by=hr,
    )
    training_record_create(
        person=worker,
        course=courses["Managing aggression"],
        completed_on=today - timedelta(days=400),
        expires_on=today - timedelta(days=1),
        by=hr,
    )

    compliance = training_compliance(user=lead, today=today)

    [row] = [r for r in compliance.people if r.person == worker]
    states = {s.course.name: s.state for s in row.standings}
    assert states["ASIST"] == UP_TO_DATE
    assert states["safeTALK"] == EXPIRING
    assert states["Managing aggression"] == EXPIRED
    assert states[safeguarding.name] == MISSING
    assert not row.compliant
    [summary] = [s for s in compliance.services if s.service == row.service]
    assert (summary.people, summary.compliant) == (1, 0)


def test_the_compliance_page_costs_the_same_queries_for_more_people(programme, hr, courses, client):
    today = timezone.localdate()
    service = ServiceFactory(programme=programme)
    client.force_login(hr)
    url = reverse("deployment:training-compliance")

    def add_worker():
        worker = employed(programme)
        training_record_create(person=worker, course=courses["ASIST"], completed_on=today, by=hr)
        return worker

    add_worker()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        add_worker()
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)

    assert len(five.captured_queries) == len(one.captured_queries)
    assert response.content.decode().count("Up to date") == 5
    assert service.pk


def test_expiring_training_reminds_the_peer_worker_and_supervisor_once(programme, hr, courses):
    today = timezone.localdate()
    worker = employed(programme, email_allowed=True)
    who = supervisor(programme)
    supervise(worker, who, on=today - timedelta(days=60))
    record = training_record_create(
        person=worker,
        course=courses["Safeguarding"],
        completed_on=today - timedelta(days=700),
        expires_on=today + timedelta(days=30),
        by=hr,
    )

    for _ in range(2):
        reminders_run_group(group="deployment", today=today)
        reminders_run_group(group="supervision", today=today)

    own = Reminder.objects.get(kind="deployment.my_training_expiring")
    assert (own.object_id, own.recipient_person_id) == (record.pk, worker.pk)
    theirs = Reminder.objects.get(kind="supervision.training_expiring")
    assert theirs.recipient_user == who


def test_no_reminder_before_the_30_days_nor_for_a_renewed_or_already_expired_course(
    programme, hr, courses
):
    today = timezone.localdate()
    worker = employed(programme)
    training_record_create(
        person=worker,
        course=courses["ASIST"],
        completed_on=today - timedelta(days=700),
        expires_on=today + timedelta(days=31),
        by=hr,
    )
    training_record_create(
        person=worker,
        course=courses["safeTALK"],
        completed_on=today - timedelta(days=700),
        expires_on=today - timedelta(days=1),
        by=hr,
    )
    training_record_create(
        person=worker,
        course=courses["Safeguarding"],
        completed_on=today - timedelta(days=700),
        expires_on=today + timedelta(days=5),
        by=hr,
    )
    training_record_create(person=worker, course=courses["Safeguarding"], completed_on=today, by=hr)

    reminders_run_group(group="deployment", today=today)

    assert not Reminder.objects.filter(kind="deployment.my_training_expiring").exists()


def test_the_export_lists_records_with_their_standing(programme, hr, courses, client):
    worker = employed(programme, first_name="Grace", last_name="Hopper")
    training_record_create(
        person=worker, course=courses["ASIST"], completed_on=timezone.localdate(), by=hr
    )
    client.force_login(hr)

    response = client.get(reverse("deployment:training-export") + "?format=csv")

    body = b"".join(response.streaming_content).decode()
    assert "Hopper" in body
    assert "ASIST" in body
    assert "Up to date" in body


def test_hr_records_training_through_the_page(programme, hr, courses, client):
    worker = employed(programme)
    client.force_login(hr)
    url = reverse("deployment:training-record-create", args=[worker.pk])

    response = client.post(
        url, {"course": courses["ASIST"].pk, "completed_on": timezone.localdate().isoformat()}
    )

    assert response.status_code == 302
    page = client.get(reverse("deployment:training-person", args=[worker.pk])).content.decode()
    assert "ASIST: Up to date" in page
