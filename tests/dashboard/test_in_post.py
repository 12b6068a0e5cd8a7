"""The dashboard's figures of the first months in post and of recruitment
days: induction checklists and mandatory training of the peer workers in
post today, and interviews scored and panels that included someone with
lived experience, counted and never named."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deployment.models import Appointment, InductionItem, InductionOwner
from deployment.services.interview_scores import interview_scores_record, panel_scoring_set
from peerprog.core.models import User
from recruitment.models import Cohort
from tests.conftest import World
from tests.core.factories import ServiceFactory
from tests.deployment.factories import (
    AppointmentFactory,
    LeavingReasonFactory,
    PanelFactory,
    PeerPostFactory,
)
from tests.deployment.factories_in_post import TrainingCourseFactory, TrainingRecordFactory
from tests.deployment.scoring_world import scored_day
from tests.training.factories import CohortFactory, enrol
from training.models import Enrolment

pytestmark = pytest.mark.django_db


def figure(html: str, label: str) -> str:
    """The figure shown beside ``label`` in a list of figures."""
    found = re.search(
        r"<dt[^>]*>" + re.escape(label) + r"</dt>\s*<dd[^>]*>([^<]*)</dd>", html, re.S
    )
    assert found, f"{label!r} is not on the page"
    return found.group(1).strip()


def dashboard(user: User, **params: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("dashboard:programme"), params)
    assert response.status_code == 200
    return response.content.decode()


def in_post(world: World, cohort: Cohort) -> Appointment:
    """A graduate of ``cohort`` in post: the dashboard counts the peer
    workers of the cohorts chosen."""
    enrolment = enrol(cohort)
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.passed_on = cohort.training_end
    enrolment.save()
    return AppointmentFactory(
        person=enrolment.person, post=PeerPostFactory(service=world.objects["service"])
    )


def items(appointment: Appointment, *, done: int, overdue: int, later: int, by: User) -> None:
    """Items done, items past their day, and items not due yet."""
    today = timezone.localdate()
    for n in range(done):
        InductionItem.objects.create(
            appointment=appointment,
            title=f"Done {n}",
            owner=InductionOwner.HR,
            due_days=7,
            done_on=today - timedelta(days=60),
            done_recorded_by=by,
        )
    for n in range(overdue):
        InductionItem.objects.create(
            appointment=appointment, title=f"Overdue {n}", owner=InductionOwner.HR, due_days=14
        )
    for n in range(later):
        InductionItem.objects.create(
            appointment=appointment, title=f"Later {n}", owner=InductionOwner.HR, due_days=300
        )


def test_induction_and_training_of_the_peer_workers_in_post_are_counted(world: World) -> None:
    lead, hr = world.users["lead"], world.users["hr"]
    today = timezone.localdate()
    course = TrainingCourseFactory(programme=world.programme, name="Safeguarding adults")
    # A fourth in post has neither a checklist nor any training.
    cohort = CohortFactory(
        programme=world.programme,
        name="Finished cohort",
        training_start=today - timedelta(days=400),
    )
    done, overdue, later, _ = (in_post(world, cohort) for _ in range(4))
    items(done, done=3, overdue=0, later=0, by=hr)
    items(overdue, done=1, overdue=1, later=1, by=hr)
    items(later, done=1, overdue=0, later=1, by=hr)
    gone = in_post(world, cohort)
    items(gone, done=0, overdue=2, later=0, by=hr)
    Appointment.objects.filter(pk=gone.pk).update(
        status=Appointment.Status.LEFT,
        ended_on=today - timedelta(days=3),
        leaving_reason=LeavingReasonFactory(programme=world.programme),
    )
    for appointment, expires in (
        (done, today + timedelta(days=300)),
        (overdue, today + timedelta(days=10)),
        (later, today - timedelta(days=1)),
    ):
        TrainingRecordFactory(
            course=course,
            person=appointment.person,
            completed_on=today - timedelta(days=60),
            expires_on=expires,
        )

    html = dashboard(lead)

    in_post_today = figure(html, "Peer workers in post today")
    assert figure(html, "Induction checklist all done") == "1"
    assert figure(html, "Induction still in progress") == "2"
    assert figure(html, "Of those, with an item overdue") == "1"
    assert figure(html, "No induction checklist") == str(int(in_post_today) - 3)
    expected_rate = round(100 * 2 / int(in_post_today))
    assert figure(html, "All mandatory training in date") == f"2 ({expected_rate}%)"
    assert figure(html, "Of those, with a course expiring within 30 days") == "1"
    assert figure(html, "With a mandatory course expired or not done") == str(
        int(in_post_today) - 2
    )


def test_without_a_mandatory_course_no_training_compliance_is_claimed(world: World) -> None:
    html = dashboard(world.users["lead"])

    assert "All mandatory training in date" not in html
    assert "The course catalogue has no mandatory course" in html


def _day_with_two_panels(world: World) -> dict:
    """A day with one panel including someone with lived experience, whose
    interview is scored, and a second panel with no one recorded."""
    hr = world.users["hr"]
    day = scored_day(world.programme, hr, members=2, criteria=1, candidates=2)
    member = day["members"][0]
    member.name = "Rosa Quinlan"
    member.save()
    panel_scoring_set(panel=day["panel"], chair=hr, lived_experience=[member.pk], by=hr)
    first = day["interviews"][0]
    interview_scores_record(
        interview=first,
        scores={(m.pk, day["criteria"][0].pk): 3 for m in day["members"]},
        by=hr,
    )
    PanelFactory(day=day["day"], name="Panel B")
    return day


INTERVIEW_FIGURES = (
    "Interviews",
    "Interviews with scores recorded",
    "Interview panels",
    "Panels that included someone with lived experience of mental distress",
)


def interview_figures(html: str) -> tuple[int, ...]:
    return tuple(int(figure(html, label).split()[0]) for label in INTERVIEW_FIGURES)


def test_panels_with_lived_experience_are_counted_and_never_named(world: World) -> None:
    before = {p: interview_figures(dashboard(world.users[p])) for p in ("lead", "admin")}

    _day_with_two_panels(world)

    for persona in ("lead", "admin"):
        html = dashboard(world.users[persona])
        after = interview_figures(html)

        added = tuple(a - b for a, b in zip(after, before[persona], strict=True))
        assert added == (2, 1, 2, 1), persona
        assert "Rosa Quinlan" not in html
        assert "Panel A" not in html


def test_the_share_of_panels_with_lived_experience_is_shown(world: World) -> None:
    _day_with_two_panels(world)

    html = dashboard(world.users["lead"])

    _, _, panels, with_lived = interview_figures(html)
    label = INTERVIEW_FIGURES[3]
    assert figure(html, label) == f"{with_lived} ({round(100 * with_lived / panels)}%)"


def test_a_service_keeps_the_interviews_for_its_posts_and_the_panels_that_held_them(
    world: World,
) -> None:
    day = _day_with_two_panels(world)
    service = day["vacancy"].post.service

    mine = dashboard(world.users["lead"], service=str(service.pk))
    other = dashboard(
        world.users["lead"], service=str(ServiceFactory(programme=world.programme).pk)
    )

    assert interview_figures(mine) == (2, 1, 1, 1)
    assert interview_figures(other) == (0, 0, 0, 0)


def test_the_dates_chosen_keep_the_recruitment_days_within_them(world: World) -> None:
    # The day is a month ahead; the dates chosen end the day before it.
    before_the_day = (timezone.localdate() + timedelta(days=29)).isoformat()
    earlier = interview_figures(dashboard(world.users["lead"], date_to=before_the_day))

    day = _day_with_two_panels(world)["day"]

    assert day.date.isoformat() > before_the_day
    later = interview_figures(dashboard(world.users["lead"], date_to=before_the_day))
    assert later == earlier


def test_another_programmes_panels_are_not_counted(world: World) -> None:
    before = interview_figures(dashboard(world.users["other_programme_lead"]))

    _day_with_two_panels(world)

    assert interview_figures(dashboard(world.users["other_programme_lead"])) == before
