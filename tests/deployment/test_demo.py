"""The deployment step of the demo data set: the study's seven converted HCA
posts and seven graduates appointed, all still in post."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from deployment import selectors
from deployment.demo import CURRENT_NOT_ADVERTISED, CURRENT_OFFER, PREFIX
from deployment.models import Appointment, Post, PostConversion, ReserveEntry
from deployment.models.posts import PostRole
from peerprog.core.dates import add_months
from peerprog.devtools.demo import seed_demo
from peerprog.devtools.demo_year import LEAVER_POST
from tests.demo_once import seed_demo_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module (and removed after)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo_once()
            yield ctx
            transaction.set_rollback(True)


def study(model, seeded):
    """The study's own records, without the demo's current items."""
    rows = model.objects.filter(programme=seeded.programme)
    if model is PostConversion:
        return rows.exclude(
            original__position_number__in=[
                f"{PREFIX}{CURRENT_OFFER}",
                f"{PREFIX}{CURRENT_NOT_ADVERTISED}",
                f"{PREFIX}{LEAVER_POST}",
            ]
        )
    if model is Appointment:
        # Without the offer starting soon and the peer worker who trained
        # outside the programme's cohorts and left.
        return rows.filter(status=Appointment.Status.IN_POST)
    return rows


def test_seven_hca_posts_are_converted_one_to_lead_lxp_at_band_5(seeded):
    conversions = study(PostConversion, seeded)

    assert conversions.count() == 7
    assert {c.from_role for c in conversions} == {PostRole.HCA}
    lead = conversions.get(to_role=PostRole.LEAD_LXP)
    assert lead.to_band == "5"
    assert set(conversions.exclude(pk=lead.pk).values_list("to_band", flat=True)) == {"3"}


def test_seven_of_the_ten_graduates_are_appointed_to_different_services(seeded):
    appointments = study(Appointment, seeded)

    assert appointments.count() == 7
    assert set(appointments.values_list("status", flat=True)) == {Appointment.Status.IN_POST}
    assert appointments.values("post__service").distinct().count() == 7
    part_time = appointments.filter(contract=Appointment.Contract.PART_TIME).count()
    assert part_time > 7 / 2
    assert appointments.filter(is_lead_lxp=True).count() == 1
    assert ReserveEntry.objects.filter(programme=seeded.programme).count() == 2


def test_every_appointment_starts_after_the_graduates_pass(seeded):
    from training.models import Enrolment

    for appointment in study(Appointment, seeded):
        passed = Enrolment.objects.get(person=appointment.person, status="completed").passed_on
        assert appointment.start_date > passed


def test_the_retention_page_shows_seven_in_post_and_everyone_retained_at_24_months(seeded):
    report = selectors.retention_report(user=seeded.users["hr"], today=seeded.today)

    # The study's seven, and the peer worker who left after four and a
    # half months, so six-month retention is not complete.
    assert report.overall.appointed == 8
    assert report.overall.still_in_post == 7
    assert report.overall.percent(24) == 100
    assert report.overall.retained[6] == report.overall.reached[6] - 1
    # All seven have passed 24 months in post, as in the study.
    assert report.overall.reached[24] == 7
    assert report.overall.percent(12) == 100
    first_day = min(
        Appointment.objects.filter(programme=seeded.programme).values_list("start_date", flat=True)
    )
    assert add_months(first_day, 24) <= seeded.today


def test_seeding_twice_changes_nothing(seeded):
    before = Post.objects.filter(programme=seeded.programme).count()

    seed_demo()

    assert Post.objects.filter(programme=seeded.programme).count() == before
    assert study(Appointment, seeded).count() == 7
    assert Appointment.objects.filter(programme=seeded.programme).count() == 9


def test_the_step_leaves_a_programme_without_graduates_alone():
    from deployment.demo import seed_deployment
    from tests.core.factories import ProgrammeFactory

    class Context:
        programme = ProgrammeFactory()
        today = date.today()
        lines: list[str] = []
        users: dict = {}
        services: dict = {}

    seed_deployment(Context)

    assert not Post.objects.filter(programme=Context.programme).exists()


def test_the_demo_gives_its_users_reminders_due_today(seeded):
    from peerprog.core.models import Reminder, User
    from peerprog.devtools.demo import demo_email

    # The seeding raises today's reminders, as the morning's scans would.
    stored = set(Reminder.objects.values_list("kind", "recipient_user"))
    hr = seeded.users["hr"].pk
    southvale_lead = User.objects.get(email=demo_email("southvale-lead")).pk

    assert ("deployment.checks_outstanding", hr) in stored
    assert ("deployment.converted_not_advertised", hr) in stored
    assert ("deployment.retention_milestone", southvale_lead) in stored
    # Peer workers in post are due supervision and a review of their
    # wellbeing plan (sent to them, by e-mail or on their own account);
    # the course running now has trainees without a draft, a portfolio
    # waiting for a mark and a trainee behind with mentor meetings.
    assert {kind for kind, _ in stored} == {
        "deployment.checks_outstanding",
        "deployment.converted_not_advertised",
        "deployment.retention_milestone",
        "supervision.supervision_overdue",
        "supervision.my_supervision_due",
        "supervision.my_plan_review_due",
        "supervision.meetings_behind",
        "supervision.meetings_behind_summary",
        "training.draft_missing",
        "training.awaiting_mark",
        "supervision.training_expiring",
    }


def test_the_demo_has_an_induction_in_progress_and_training_expiring_soon(seeded):
    from django.utils import timezone

    from deployment.models import TrainingRecord
    from deployment.selectors.induction import inductions_in_progress

    hr = seeded.users["hr"]
    today = timezone.localdate()
    in_progress = inductions_in_progress(user=hr, today=today)
    in_post = [a for a in in_progress if a.status == Appointment.Status.IN_POST]
    assert len(in_post) == 1
    assert in_post[0].total - in_post[0].done == 2
    soon = TrainingRecord.objects.filter(
        programme=seeded.programme,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=30),
    )
    assert soon.count() == 1


def test_the_demo_has_a_retention_snapshot_for_each_month_ended(seeded):
    from deployment.models import RetentionSnapshot
    from deployment.snapshots import month_start

    rows = RetentionSnapshot.objects.filter(programme=seeded.programme)
    last_month = month_start(month_start(seeded.today) - timedelta(days=1))
    first_day = min(study(Appointment, seeded).values_list("start_date", flat=True))
    months = set(rows.values_list("month", flat=True))

    assert min(months) == month_start(first_day)
    assert max(months) == last_month
    latest = rows.filter(month=last_month)
    assert sum(r.appointed for r in latest) == 8
    assert sum(r.in_post for r in latest) == 7
    assert sum(r.retained_24 for r in latest) == sum(r.reached_24 for r in latest) == 7


def test_the_demo_scores_the_study_interviews_with_those_appointed_ranked_first(seeded):
    from deployment.models import Interview, InterviewScore, RecruitmentDay
    from deployment.selectors.interview_scores import day_scores

    interviews = Interview.objects.filter(day__programme=seeded.programme)
    assert (
        InterviewScore.objects.filter(interview__in=interviews)
        .values("interview")
        .distinct()
        .count()
        == interviews.count()
    )
    for day in RecruitmentDay.objects.filter(programme=seeded.programme):
        scores = day_scores(user=seeded.users["hr"], day=day)
        assert scores.panels_with_lived_experience == 1
        for ranking in scores.rankings:
            outcomes = [row.interview.outcome for row in ranking.rows]
            appointed = [n for n, outcome in enumerate(outcomes) if outcome == "appoint"]
            assert appointed in ([], [0]), outcomes
            assert all(row.is_complete for row in ranking.rows)
