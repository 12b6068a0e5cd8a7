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

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module (and removed after)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo()
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
            ]
        )
    return rows.exclude(status=Appointment.Status.OFFERED)


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

    for appointment in Appointment.objects.filter(programme=seeded.programme):
        passed = Enrolment.objects.get(person=appointment.person, status="completed").passed_on
        assert appointment.start_date > passed


def test_the_retention_page_shows_seven_in_post_and_everyone_retained_at_24_months(seeded):
    report = selectors.retention_report(user=seeded.users["hr"], today=seeded.today)

    assert report.overall.appointed == 7
    assert report.overall.still_in_post == 7
    assert report.overall.percent(24) == 100
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
    assert Appointment.objects.filter(programme=seeded.programme).count() == 8


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
    from peerprog.core.models import User
    from peerprog.core.reminders import registry
    from peerprog.devtools.demo import demo_email

    due = {
        (spec.kind, spec.user_id)
        for group in registry.groups()
        for scan in registry.scans(group)
        for spec in scan(seeded.today)
    }
    hr = seeded.users["hr"].pk
    southvale_lead = User.objects.get(email=demo_email("southvale-lead")).pk

    assert ("deployment.checks_outstanding", hr) in due
    assert ("deployment.converted_not_advertised", hr) in due
    assert ("deployment.retention_milestone", southvale_lead) in due
    # Peer workers in post are due supervision and a review of their
    # wellbeing plan (sent to them, by e-mail or on their own account).
    assert {kind for kind, _ in due} == {
        "deployment.checks_outstanding",
        "deployment.converted_not_advertised",
        "deployment.retention_milestone",
        "supervision.supervision_overdue",
        "supervision.my_supervision_due",
        "supervision.my_plan_review_due",
    }


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
    assert sum(r.appointed for r in latest) == 7
    assert sum(r.in_post for r in latest) == 7
    assert sum(r.retained_24 for r in latest) == sum(r.reached_24 for r in latest) == 7
