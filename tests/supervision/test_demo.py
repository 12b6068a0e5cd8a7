"""The demo's mentoring and supervision: the study's 12 mentors across both
cohorts, some with two trainees in cohort 2, plausible meeting histories;
supervisors for the seven peer workers in post; idempotent."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from peerprog.core.models import User
from peerprog.devtools.demo import demo_email, seed_demo
from supervision.demo import seed_study_mentoring, seed_study_supervision
from supervision.models import (
    DevelopmentSession,
    MentorAssignment,
    MentorMeeting,
    SupervisionAssignment,
    SupervisionSession,
    WellbeingPlan,
)
from supervision.selectors import supervision_overdue
from tests.core.factories import ProgrammeFactory
from tests.demo_once import seed_demo_once

pytestmark = pytest.mark.django_db


def test_the_supervision_step_does_nothing_before_training_has_run():
    ctx = SimpleNamespace(programme=ProgrammeFactory(), users={}, today=None, lines=[])

    seed_study_mentoring(ctx)

    assert not MentorAssignment.objects.exists()
    assert any("skipped" in line for line in ctx.lines)


def test_the_supervision_step_does_nothing_before_deployment_has_run():
    ctx = SimpleNamespace(programme=ProgrammeFactory(), users={}, today=None, lines=[])

    seed_study_supervision(ctx)

    assert not SupervisionAssignment.objects.exists()
    assert any("skipped" in line for line in ctx.lines)


def test_twelve_mentors_mentor_the_two_study_cohorts():
    seed_demo_once()

    assignments = MentorAssignment.objects.select_related("enrolment__cohort").filter(
        enrolment__cohort__name__in=["Cohort 1", "Cohort 2"]
    )
    assert assignments.values("mentor").distinct().count() == 12
    assert assignments.count() == 28
    cohort_2 = Counter(a.mentor_id for a in assignments if a.enrolment.cohort.name == "Cohort 2")
    assert sum(1 for n in cohort_2.values() if n > 1) == 6


def test_the_demo_mentor_has_mentees_and_the_second_has_none():
    seed_demo_once()

    grace = User.objects.get(email=demo_email("mentor"))
    daniel = User.objects.get(email=demo_email("mentor2"))
    assert MentorAssignment.objects.filter(mentor=grace, ended_on__isnull=True).exists()
    assert not MentorAssignment.objects.filter(mentor=daniel).exists()


def test_most_graduates_met_the_minimum_and_meetings_fall_within_the_course():
    seed_demo_once()

    client = Client()
    client.force_login(User.objects.get(email=demo_email("lead")))
    summaries = client.get(reverse("supervision:mentoring")).context["summaries"]
    states = Counter()
    for summary in summaries:
        if summary.cohort.name in ("Cohort 1", "Cohort 2"):
            states.update(summary.states)
    # In the study cohorts, the 8 who left the programme have no mentoring
    # state; the 10 who passed and the 10 who did not complete only the
    # portfolio sat the whole course, and most met their mentor at least
    # three times (the course running now has its own mix).
    assert states["ended"] == 8
    assert states["met"] >= 7
    assert states["met"] + states["behind"] == 20
    for meeting in MentorMeeting.objects.select_related("assignment__enrolment__cohort"):
        cohort = meeting.assignment.enrolment.cohort
        assert cohort.training_start <= meeting.held_on <= cohort.training_end


def test_the_seven_peer_workers_in_post_have_supervisors():
    seed_demo_once()

    sam = User.objects.get(email=demo_email("supervisor"))
    assignments = SupervisionAssignment.objects.filter(ended_on__isnull=True)
    assert assignments.count() == 7
    assert assignments.filter(supervisor=sam).count() == 4
    assert all(a.cover_supervisor_id for a in assignments)
    assert supervision_overdue(assignments=assignments).count() == 1
    assert SupervisionSession.objects.filter(kind="group").exists()
    assert WellbeingPlan.objects.count() == 6
    assert DevelopmentSession.objects.filter(led_by__isnull=False).count() == 4


def test_the_demo_supervisor_sees_their_supervisees():
    seed_demo_once()
    client = Client()
    client.force_login(User.objects.get(email=demo_email("supervisor")))

    response = client.get(reverse("supervision:my-supervisees"))

    assert len(response.context["rows"]) == 7
    assert sum(1 for row in response.context["rows"] if row.is_cover) == 3


def test_the_supervision_step_runs_twice_without_changing_anything():
    seed_demo_once()

    def counts() -> tuple[int, ...]:
        return tuple(
            model.objects.count()
            for model in (
                User,
                MentorAssignment,
                MentorMeeting,
                SupervisionAssignment,
                SupervisionSession,
                WellbeingPlan,
                DevelopmentSession,
            )
        )

    before = counts()
    seed_demo()

    assert counts() == before
