"""The deployment step of the demo data set: the study's seven converted HCA
posts and seven graduates appointed, all still in post."""

from __future__ import annotations

from datetime import date

import pytest

from deployment import selectors
from deployment.models import Appointment, Post, PostConversion, ReserveEntry
from deployment.models.posts import PostRole
from deployment.retention import add_months
from peerprog.dashboard.demo import seed_demo

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


def test_seven_hca_posts_are_converted_one_to_lead_lxp_at_band_5(seeded):
    conversions = PostConversion.objects.filter(programme=seeded.programme)

    assert conversions.count() == 7
    assert {c.from_role for c in conversions} == {PostRole.HCA}
    lead = conversions.get(to_role=PostRole.LEAD_LXP)
    assert lead.to_band == "5"
    assert set(conversions.exclude(pk=lead.pk).values_list("to_band", flat=True)) == {"3"}


def test_seven_of_the_ten_graduates_are_appointed_to_different_services(seeded):
    appointments = Appointment.objects.filter(programme=seeded.programme)

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
    assert Appointment.objects.filter(programme=seeded.programme).count() == 7


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
