"""The demo is live: beside the study's two finished cohorts, a programme
year happening now gives every role's pages work to show, whatever day the
demo is seeded on. The demo is seeded once for the module."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from deployment.models import Appointment, Post
from deployment.selectors import retention_report
from peerprog.core.models import Notification, Role, User
from peerprog.devtools.demo import demo_email
from peerprog.devtools.demo_people import RUNNING_COHORT
from peerprog.devtools.demo_year import OPEN_COHORT
from recruitment.models import Application, Cohort
from tests.demo_once import seed_demo_once
from training.models import CourseSession
from training.selectors import session_register

pytestmark = pytest.mark.django_db

ROLES = [
    "lead",
    "hr",
    "mentor",
    "supervisor",
    "facilitator",
    "assessor",
    "admin",
    "trainee",
    "peer-worker",
]


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The whole demo, seeded once for this module (and removed after)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo_once()
            yield ctx
            transaction.set_rollback(True)


def _page(key: str, url: str) -> str:
    client = Client()
    client.force_login(User.objects.get(email=demo_email(key)))
    response = client.get(url)
    assert response.status_code == 200, (key, url, response.status_code)
    return response.content.decode()


def test_the_open_cohorts_board_has_applications_at_several_stages(seeded: Any) -> None:
    cohort = Cohort.objects.get(programme=seeded.programme, name=OPEN_COHORT)
    assert cohort.applications_open < seeded.today < cohort.applications_close
    stages = set(Application.objects.filter(cohort=cohort).values_list("stage", flat=True))
    assert {"received", "shortlisted", "invited", "offered"} <= stages

    page = _page("lead", reverse("recruitment:board", args=[cohort.pk]))

    assert "Nathan Brooks" in page
    assert "Yvonne Sharp" in page


def test_the_demo_mentor_has_current_mentees_with_meetings_due(seeded: Any) -> None:
    page = _page("mentor", reverse("supervision:my-mentees"))

    for name in ("Jordan Ellis", "Liam Oduya", "Connor Byrne"):
        assert name in page
    assert page.count(RUNNING_COHORT) >= 3
    titles = Notification.objects.filter(recipient__email=demo_email("mentor")).values_list(
        "title", flat=True
    )
    assert any("Connor Byrne" in title and "mentor meeting" in title for title in titles)


def test_the_running_cohorts_registers_are_partly_filled(seeded: Any) -> None:
    cohort = Cohort.objects.get(programme=seeded.programme, name=RUNNING_COHORT)
    held = list(
        CourseSession.objects.filter(
            cohort=cohort, status=CourseSession.Status.SCHEDULED, date__lt=seeded.today
        ).order_by("date", "starts_at")
    )
    assert len(held) >= 2
    earlier, latest = session_register(session=held[0]), session_register(session=held[-1])
    assert len(earlier) == 8
    assert all(mark for _, mark in earlier)
    assert not any(mark for _, mark in latest)

    page = _page("facilitator", reverse("training:register", args=[held[-1].pk]))

    assert "Jordan Ellis" in page


def test_the_at_risk_list_names_the_trainees_at_risk(seeded: Any) -> None:
    page = _page("lead", reverse("training:at-risk"))

    assert "Connor Byrne" in page
    assert "Abena Owusu" in page
    assert "Jordan Ellis" not in page


def test_a_portfolio_waits_for_the_second_assessor(seeded: Any) -> None:
    page = _page("assessor", reverse("training:assessor-queue"))

    assert "Ryan Lewis" in page


def test_drafts_are_in_with_feedback_the_trainee_can_read(seeded: Any) -> None:
    from training.models import PortfolioDraft

    drafts = PortfolioDraft.objects.filter(enrolment__cohort__name=RUNNING_COHORT)
    assert drafts.count() == 6
    assert drafts.exclude(feedback="").count() == 5
    own = drafts.get(enrolment__person__email=demo_email("trainee"))
    assert own.feedback_released_at is not None


@pytest.mark.parametrize("key", ROLES)
def test_each_role_has_a_notification_waiting(seeded: Any, key: str) -> None:
    user = User.objects.get(email=demo_email(key))
    titles = list(Notification.objects.filter(recipient=user).values_list("title", flat=True))
    assert titles, f"{key} has no notification"

    page = _page(key, reverse("core:notifications"))

    assert titles[0] in page


def test_a_peer_worker_left_so_retention_is_not_complete(seeded: Any) -> None:
    report = retention_report(user=seeded.users["hr"], today=seeded.today)

    assert report.overall.reached[6] > report.overall.retained[6]
    left = Appointment.objects.get(programme=seeded.programme, status=Appointment.Status.LEFT)
    assert left.person.display_name == "Morgan Blake"
    assert left.post.status == Post.Status.VACANT


def test_a_vacant_post_waits_to_be_converted(seeded: Any) -> None:
    post = Post.objects.get(programme=seeded.programme, position_number="NMH-4113")
    assert (post.status, post.role) == (Post.Status.VACANT, "hca")

    page = _page("hr", reverse("deployment:post-detail", args=[post.pk]))

    assert "Convert" in page


def test_every_peer_worker_in_post_has_a_line_manager(seeded: Any) -> None:
    in_post = Appointment.objects.filter(
        programme=seeded.programme, status=Appointment.Status.IN_POST
    )
    assert in_post.count() == 7
    assert not in_post.filter(line_manager__isnull=True).exists()


def test_the_study_cohorts_are_unchanged_beside_the_year_running_now(seeded: Any) -> None:
    study = Application.objects.filter(
        cohort__programme=seeded.programme, cohort__name__in=["Cohort 1", "Cohort 2"]
    )
    assert study.count() == 38
    assert Cohort.objects.filter(programme=seeded.programme).count() == 4


STAFF_QUEUES = {
    "lead": Role.PROGRAMME_LEAD,
    "hr": Role.HR,
    "mentor": Role.MENTOR,
    "supervisor": Role.SUPERVISOR,
    "facilitator": Role.FACILITATOR,
    "assessor": Role.ASSESSOR,
    "admin": Role.ADMIN,
}


@pytest.mark.parametrize("key", STAFF_QUEUES)
def test_each_staff_roles_home_shows_work_waiting_on_the_demo(seeded: Any, key: str) -> None:
    from peerprog.core import work

    user = User.objects.get(email=demo_email(key))
    (queue,) = work.queues_for(user=user, roles=[STAFF_QUEUES[key].value], today=seeded.today)
    waiting = [item for item in queue.items if item.count]
    assert waiting, f"nothing waits for the demo {key} on their home page"

    page = _page(key, reverse("core:home"))

    assert "Needs you today" in page
    for item in waiting:
        assert item.url.replace("&", "&amp;") in page
        listed = _page(key, item.url)
        assert listed, item.label
