"""The demo's mentoring: the study's 12 mentors across both cohorts, some
with two trainees in cohort 2, plausible meeting histories; idempotent."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from peerprog.core.models import User
from peerprog.dashboard.demo import demo_email, seed_demo
from supervision.demo import seed_study_mentoring
from supervision.models import MentorAssignment, MentorMeeting
from tests.core.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_the_supervision_step_does_nothing_before_training_has_run():
    ctx = SimpleNamespace(programme=ProgrammeFactory(), users={}, today=None, lines=[])

    seed_study_mentoring(ctx)

    assert not MentorAssignment.objects.exists()
    assert any("skipped" in line for line in ctx.lines)


def test_twelve_mentors_mentor_the_two_study_cohorts():
    seed_demo()

    assignments = MentorAssignment.objects.select_related("enrolment__cohort")
    assert assignments.values("mentor").distinct().count() == 12
    assert assignments.count() == 28
    cohort_2 = Counter(a.mentor_id for a in assignments if a.enrolment.cohort.name == "Cohort 2")
    assert sum(1 for n in cohort_2.values() if n > 1) == 6


def test_the_demo_mentor_has_mentees_and_the_second_has_none():
    seed_demo()

    grace = User.objects.get(email=demo_email("mentor"))
    daniel = User.objects.get(email=demo_email("mentor2"))
    assert MentorAssignment.objects.filter(mentor=grace, ended_on__isnull=True).exists()
    assert not MentorAssignment.objects.filter(mentor=daniel).exists()


def test_most_graduates_met_the_minimum_and_meetings_fall_within_the_course():
    seed_demo()

    client = Client()
    client.force_login(User.objects.get(email=demo_email("lead")))
    summaries = client.get(reverse("supervision:mentoring")).context["summaries"]
    states = Counter()
    for summary in summaries:
        states.update(summary.states)
    # The 18 who did not complete have left; of the 10 who passed, most met
    # their mentor at least three times.
    assert states["ended"] == 18
    assert states["met"] >= 7
    assert states["met"] + states["behind"] == 10
    for meeting in MentorMeeting.objects.select_related("assignment__enrolment__cohort"):
        cohort = meeting.assignment.enrolment.cohort
        assert cohort.training_start <= meeting.held_on <= cohort.training_end


def test_the_supervision_step_runs_twice_without_changing_anything():
    seed_demo()
    counts = (User.objects.count(), MentorAssignment.objects.count(), MentorMeeting.objects.count())

    seed_demo()

    assert (
        User.objects.count(),
        MentorAssignment.objects.count(),
        MentorMeeting.objects.count(),
    ) == counts
