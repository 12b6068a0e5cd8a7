"""Every page the benchmark measures makes the same number of queries on a
small programme and on one ten times bigger; the scale data looks like the
study's (about a third complete, most appointments part-time)."""

from __future__ import annotations

from typing import Any

from deployment.models import Appointment, RetentionSnapshot
from peerprog.devtools.benchmark import PAGES, page_query_counts
from peerprog.devtools.management.commands.seed_scale import SIZES, seed_scale
from recruitment.models import Application
from supervision.models import MentorMeeting
from training.models import Attendance, Enrolment, PortfolioSubmission


def test_every_benchmark_page_makes_as_many_queries_at_ten_times_the_data(db: Any) -> None:
    assert SIZES["small"][0] > 2 * SIZES["tiny"][0]
    tiny = seed_scale(size="tiny")
    small = seed_scale(size="small")
    # Once first, so that no start-up cost is counted (the dashboard stores
    # a programme's figures on its first view).
    page_query_counts(tiny.programme)
    page_query_counts(small.programme)

    at_tiny = page_query_counts(tiny.programme)
    at_small = page_query_counts(small.programme)

    # The floor and the About page not signed in, then every page.
    assert len(at_small) == len(PAGES) + 2, "a page had no URL on the scale data"
    assert all(status == 200 for _, status in at_small.values()), at_small
    assert all(status == 200 for _, status in at_tiny.values()), at_tiny
    differ = {
        label: (at_tiny[label][0], at_small[label][0])
        for label in at_small
        if at_tiny[label][0] != at_small[label][0]
    }
    assert differ == {}, f"queries (tiny, small) that grow with the data: {differ}"


def test_the_scale_data_looks_like_the_study(db: Any) -> None:
    ctx = seed_scale(size="medium")
    programme = ctx.programme
    enrolments = Enrolment.objects.filter(cohort__programme=programme)
    decided = enrolments.filter(
        status__in=[Enrolment.Status.COMPLETED, Enrolment.Status.NOT_COMPLETED]
    )
    completed = decided.filter(status=Enrolment.Status.COMPLETED).count()
    assert 0.25 <= completed / decided.count() <= 0.45

    appointments = Appointment.objects.filter(programme=programme)
    part_time = appointments.filter(contract=Appointment.Contract.PART_TIME).count()
    assert part_time / appointments.count() > 0.6
    assert appointments.filter(status=Appointment.Status.LEFT).exists()
    assert appointments.filter(status=Appointment.Status.IN_POST).exists()

    applications = Application.objects.filter(cohort__programme=programme)
    assert applications.filter(stage=Application.Stage.DEFERRED, deferred_to__isnull=False).exists()
    assert PortfolioSubmission.objects.filter(
        enrolment__cohort__programme=programme, outcome="referral"
    ).exists()
    assert PortfolioSubmission.objects.filter(
        enrolment__cohort__programme=programme, attempt=2
    ).exists()

    # A register for every session held, for every trainee still on the course.
    held = Attendance.objects.filter(enrolment__cohort__programme=programme)
    assert held.count() > 8 * enrolments.count() * 0.6
    meetings = MentorMeeting.objects.filter(assignment__enrolment__cohort__programme=programme)
    assert meetings.count() > 6 * enrolments.count()
    months = RetentionSnapshot.objects.filter(programme=programme).values("month").distinct()
    assert months.count() >= 50
