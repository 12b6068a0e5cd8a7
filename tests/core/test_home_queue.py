"""The home page as a work queue: each role's counts, each linking to a
list that shows those rows; mentors and supervisors see figures about their
own people only; the page costs the same number of queries for a small and
a larger programme."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deployment.models import Absence, Appointment, InductionItem, InductionOwner, Post
from peerprog.core import report_changes, work
from peerprog.core.models import Programme, Role, SubjectAccessRequest, User
from peerprog.dashboard.services.figures import dashboard_figures_refresh
from recruitment.models import Application
from supervision.models import MentorAssignment, MentorMeeting, SupervisionAssignment
from tests.core.factories import PersonFactory, UserFactory
from tests.deployment.factories import (
    AppointmentFactory,
    ConversionFactory,
    ReserveEntryFactory,
    VacancyFactory,
)
from tests.deployment.factories_in_post import TrainingCourseFactory, TrainingRecordFactory
from tests.supervision.factories import employed
from tests.training.factories import ApplicationFactory, CohortFactory, enrol
from training.models import CourseSession

pytestmark = pytest.mark.django_db

EVERY_ROLE = [role.value for role in Role]
# The whole home page for someone holding every role, whatever the size of
# the programme: the session, the user (with their programme) and their
# roles, notifications for the menu, each queue's own fixed queries, and the
# programme summary (one query). The lead's trainees at risk and mentors
# behind on meetings are read from the stored figures in one query.
# The data protection officer's queue adds four (erasure requests awaiting
# approval, records due, legal holds, subject access requests in progress),
# the admin's one (erasure requests awaiting approval). HR's eight lines
# (appointments, posts, reserve entries, inductions and training expiring
# soon) are counted in one query, the admin's failed e-mails, staff without
# a role and exports in one, and the lead's new applications, offers and
# application windows in one. The mentor's and the supervisor's queues read
# their own people's figures in one query each. The lead's, HR's and the
# programme's counts are kept until a table they read changes
# (``report_changes``): a first view asks for the version of those tables
# once more, and a second view with nothing changed reads none of the five.
HOME_QUERIES = 20
HOME_QUERIES_KEPT = HOME_QUERIES - 5


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.get(reverse("core:home"))
    return client


def _count(html: str, label: str) -> int:
    """The number shown beside a queue line."""
    found = re.search(r'<span class="visually-hidden">(\d+) </span>' + re.escape(label), html)
    assert found, f"{label!r} is not on the page"
    return int(found.group(1))


def _busy_programme(programme: Programme, everyone: User, size: int) -> None:
    """``size`` of everything each queue counts, all of it this user's."""
    today = timezone.localdate()
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    cohort = CohortFactory(
        programme=programme,
        applications_open=today + timedelta(days=3),
        applications_close=today + timedelta(days=30),
        training_start=today + timedelta(days=40),
        training_end=today + timedelta(days=130),
    )
    running = CohortFactory(programme=programme)
    for _ in range(size):
        SubjectAccessRequest.objects.create(
            programme=programme, person=PersonFactory(programme=programme), requested_by=everyone
        )
    for stage in (Application.Stage.RECEIVED, Application.Stage.OFFERED):
        for _ in range(size):
            ApplicationFactory(cohort=cohort, stage=stage)
    trainees = [enrol(running) for _ in range(size)]
    assignments = MentorAssignment.objects.bulk_create(
        MentorAssignment(
            enrolment=t, mentor=everyone, started_on=running.training_start, assigned_by=lead
        )
        for t in trainees
    )
    MentorMeeting.objects.bulk_create(
        MentorMeeting(
            assignment=a,
            held_on=today - timedelta(days=7),
            minutes=45,
            recorded_by=everyone,
            next_meeting_on=today + timedelta(days=2),
        )
        for a in assignments
    )
    CourseSession.objects.bulk_create(
        CourseSession(
            cohort=running,
            title=f"Session {n}",
            date=today,
            starts_at="10:00",
            minutes=60,
            place="Room 1",
            facilitator=everyone,
        )
        for n in range(size)
    )
    workers = [employed(programme) for _ in range(size)]
    SupervisionAssignment.objects.bulk_create(
        SupervisionAssignment(
            person=w,
            supervisor=everyone,
            frequency_days=28,
            started_on=today - timedelta(days=60),
            assigned_by=lead,
        )
        for w in workers
    )
    course = TrainingCourseFactory(programme=programme)
    for worker in workers:
        appointment = Appointment.objects.get(person=worker)
        # An induction item long past its day, and training about to expire.
        InductionItem.objects.create(
            appointment=appointment, title="Team induction", owner=InductionOwner.HR, due_days=14
        )
        TrainingRecordFactory(
            course=course,
            person=worker,
            completed_on=today - timedelta(days=355),
            expires_on=today + timedelta(days=10),
        )
        Absence.objects.create(
            appointment=appointment,
            kind="annual_leave",
            starts_on=today - timedelta(days=1),
            recorded_by=lead,
        )
        AppointmentFactory(
            post__service=appointment.post.service,
            status=Appointment.Status.OFFERED,
            start_date=today,
        )
        ConversionFactory(original__service=appointment.post.service)
        ReserveEntryFactory(
            person=PersonFactory(programme=programme),
            stands_until=today + timedelta(days=10),
        )
        UserFactory(programme=programme, roles=[])


@pytest.mark.parametrize("size", [2, 12])
def test_the_home_page_takes_the_same_queries_for_a_small_and_a_larger_programme(
    programme: Programme, size: int, django_assert_num_queries: Any
) -> None:
    everyone = UserFactory(programme=programme, roles=EVERY_ROLE)
    _busy_programme(programme, everyone, size)
    # The lead's trainees at risk and mentors behind are read from the
    # dashboard's stored figures, refreshed after writes in the background.
    dashboard_figures_refresh(programme=programme)
    client = _client(everyone)
    report_changes._kept.clear()
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("core:home"))
    with django_assert_num_queries(HOME_QUERIES_KEPT):
        again = client.get(reverse("core:home")).content.decode()
    assert _count(again, "New applications") == size
    html = response.content.decode()
    assert _count(html, "New applications") == size
    assert _count(html, "Your mentees") == size
    assert _count(html, "Your sessions today") == size
    assert _count(html, "Supervision due or overdue") == size
    assert _count(html, "Reserve entries about to lapse") == size
    assert _count(html, "Inductions in progress") == size
    assert _count(html, "Inductions with an item overdue") == size
    assert _count(html, "Training expiring soon") == size


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_each_line_of_each_queue_links_to_a_page_its_role_opens(
    programme: Programme, role: str
) -> None:
    user = UserFactory(programme=programme, roles=[role])
    _busy_programme(programme, UserFactory(programme=programme, roles=EVERY_ROLE), 1)
    [queue] = work.queues_for(user=user, roles=[role])
    assert queue.items
    client = _client(user)
    for item in queue.items:
        assert client.get(item.url).status_code == 200, item.url


def test_a_lead_sees_each_new_application_behind_the_count(programme: Programme) -> None:
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    cohort = CohortFactory(programme=programme)
    ApplicationFactory(
        cohort=cohort,
        stage=Application.Stage.RECEIVED,
        person=PersonFactory(programme=programme, first_name="Nadia", last_name="Newcomer"),
    )
    ApplicationFactory(
        cohort=cohort,
        stage=Application.Stage.OFFERED,
        person=PersonFactory(programme=programme, first_name="Olu", last_name="Offered"),
    )
    client = _client(lead)
    html = client.get(reverse("core:home")).content.decode()
    assert _count(html, "New applications") == 1
    assert _count(html, "Offers awaiting an answer") == 1
    listed = client.get(reverse("recruitment:application-list") + "?stage=received")
    page = listed.content.decode()
    assert "Nadia Newcomer" in page
    assert "Olu Offered" not in page


def test_a_mentor_sees_only_their_own_mentees_and_no_programme_figures(
    programme: Programme,
) -> None:
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    mine = UserFactory(programme=programme, roles=[Role.MENTOR])
    theirs = UserFactory(programme=programme, roles=[Role.MENTOR])
    cohort = CohortFactory(programme=programme)
    for mentor, count in ((mine, 1), (theirs, 3)):
        for _ in range(count):
            MentorAssignment.objects.create(
                enrolment=enrol(cohort),
                mentor=mentor,
                started_on=cohort.training_start,
                assigned_by=lead,
            )
    ApplicationFactory(cohort=cohort, stage=Application.Stage.RECEIVED)
    html = _client(mine).get(reverse("core:home")).content.decode()
    assert _count(html, "Your mentees") == 1
    assert "New applications" not in html
    assert "People on record" not in html
    assert "Your programme at a glance" not in html
    # The course is eight weeks in and no meeting is logged: one is due.
    assert _count(html, "Meetings due") == 1
    due = _client(mine).get(reverse("supervision:my-mentees") + "?show=due").content.decode()
    assert len(re.findall(r'id="mentee-\d+"', due)) == 1


def test_a_supervisor_counts_only_the_people_they_supervise(programme: Programme) -> None:
    today = timezone.localdate()
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    mine = UserFactory(programme=programme, roles=[Role.SUPERVISOR])
    theirs = UserFactory(programme=programme, roles=[Role.SUPERVISOR])
    for supervisor, count in ((mine, 2), (theirs, 5)):
        for _ in range(count):
            SupervisionAssignment.objects.create(
                person=employed(programme),
                supervisor=supervisor,
                frequency_days=28,
                started_on=today - timedelta(days=60),
                assigned_by=lead,
            )
    client = _client(mine)
    html = client.get(reverse("core:home")).content.decode()
    assert _count(html, "Supervision due or overdue") == 2
    listed = client.get(reverse("supervision:my-supervisees") + "?show=due").content.decode()
    assert len(re.findall(r'id="supervisee-\d+"', listed)) == 2


def test_hr_sees_converted_posts_waiting_for_an_advert_and_the_list_behind_it(
    programme: Programme,
) -> None:
    hr = UserFactory(programme=programme, roles=[Role.HR])
    waiting = ConversionFactory(original__service__programme=programme)
    advertised = ConversionFactory(original__service__programme=programme)
    VacancyFactory(post=advertised.new_post)
    client = _client(hr)
    html = client.get(reverse("core:home")).content.decode()
    assert _count(html, "Converted posts not advertised") == 1
    listed = client.get(reverse("deployment:posts") + "?advertise=needed").content.decode()
    assert waiting.new_post.position_number in listed
    assert advertised.new_post.position_number not in listed
    assert Post.objects.filter(converted_from__isnull=False).count() == 2


def test_an_admin_sees_staff_who_hold_no_role(programme: Programme) -> None:
    admin_user = UserFactory(programme=programme, roles=[Role.ADMIN], full_name="Ada Admin")
    UserFactory(programme=programme, roles=[], full_name="Rolf Roleless")
    client = _client(admin_user)
    html = client.get(reverse("core:home")).content.decode()
    assert _count(html, "Staff without a role") == 1
    listed = client.get(reverse("core:staff") + "?show=no-role").content.decode()
    assert "Rolf Roleless" in listed
    assert admin_user.full_name not in listed


def test_an_account_with_only_its_own_pages_still_starts_on_them(programme: Programme) -> None:
    trainee = UserFactory(programme=programme, roles=[])
    PersonFactory(programme=programme, user=trainee)
    client = Client()
    client.force_login(trainee)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url == reverse("selfservice:home")
