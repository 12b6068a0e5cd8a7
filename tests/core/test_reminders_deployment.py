"""Deployment's reminders at their boundary dates, in London time, in an
ordinary week and in the weeks the clocks change."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deployment.models import Appointment, Post, PreEmploymentCheck
from peerprog.core.dates import add_months
from peerprog.core.models import Programme, Reminder, Role, User
from peerprog.core.reminders.services import reminders_run_group
from tests.core.factories import ServiceFactory, UserFactory
from tests.deployment.factories import (
    AppointmentFactory,
    ConversionFactory,
    LeavingReasonFactory,
    PeerPostFactory,
    VacancyFactory,
)

LONDON = ZoneInfo("Europe/London")
DAY = timedelta(days=1)
ANCHORS = [
    pytest.param(date(2026, 6, 10), id="ordinary-week"),
    pytest.param(date(2026, 3, 29), id="clocks-forward-sunday"),
    pytest.param(date(2026, 3, 30), id="first-summer-monday"),
    pytest.param(date(2026, 10, 25), id="clocks-back-sunday"),
    pytest.param(date(2026, 10, 26), id="first-winter-monday"),
]


def just_after_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 30), tzinfo=LONDON)


def just_before_midnight(day: date) -> datetime:
    return datetime.combine(day, time(23, 30), tzinfo=LONDON)


@pytest.fixture
def hr(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.HR], full_name="Hari HR")


@pytest.fixture
def lead(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])


def peer_post(programme: Programme, **values: Any) -> Post:
    return PeerPostFactory(service=ServiceFactory(programme=programme), **values)


def offer(programme: Programme, start: date, checks: str) -> Appointment:
    return AppointmentFactory(
        post=peer_post(programme, status=Post.Status.FILLED),
        status=Appointment.Status.OFFERED,
        start_date=start,
        checks=checks,
    )


def to(kind: str) -> set[int | None]:
    return set(Reminder.objects.filter(kind=kind).values_list("recipient_user_id", flat=True))


CHECKS = "deployment.checks_outstanding"
MILESTONE = "deployment.retention_milestone"
ADVERT = "deployment.converted_not_advertised"


@pytest.mark.parametrize("threshold", ANCHORS)
def test_outstanding_checks_remind_hr_from_fourteen_days_before_the_start(
    programme: Programme, hr: User, lead: User, threshold: date
) -> None:
    offer(programme, threshold + 14 * DAY, PreEmploymentCheck.Status.REQUESTED)

    reminders_run_group(group="deployment", now=just_before_midnight(threshold - DAY))
    assert to(CHECKS) == set()

    reminders_run_group(group="deployment", now=just_after_midnight(threshold))
    assert to(CHECKS) == {hr.pk}


def test_cleared_checks_or_a_start_already_passed_remind_nobody(
    programme: Programme, hr: User
) -> None:
    offer(programme, date(2026, 6, 20), PreEmploymentCheck.Status.CLEARED)
    offer(programme, date(2026, 6, 9), PreEmploymentCheck.Status.REQUESTED)

    reminders_run_group(group="deployment", today=date(2026, 6, 10))

    assert to(CHECKS) == set()


def test_the_checks_reminder_is_sent_once_per_start_date(programme: Programme, hr: User) -> None:
    appointment = offer(programme, date(2026, 6, 20), PreEmploymentCheck.Status.NOT_STARTED)
    for day in range(6, 20):
        reminders_run_group(group="deployment", today=date(2026, 6, day))
    assert Reminder.objects.filter(kind=CHECKS).count() == 1

    Appointment.objects.filter(pk=appointment.pk).update(start_date=date(2026, 6, 27))
    reminders_run_group(group="deployment", today=date(2026, 6, 20))
    assert Reminder.objects.filter(kind=CHECKS).count() == 2


@pytest.mark.parametrize("months", [6, 12, 24])
@pytest.mark.parametrize("milestone", ANCHORS)
def test_a_retention_milestone_prompts_hr_and_the_lead_in_its_week(
    programme: Programme, hr: User, lead: User, milestone: date, months: int
) -> None:
    AppointmentFactory(
        post=peer_post(programme, status=Post.Status.FILLED),
        start_date=add_months(milestone, -months),
    )
    monday = milestone - timedelta(days=milestone.weekday())

    reminders_run_group(group="deployment", now=just_before_midnight(monday - DAY))
    assert to(MILESTONE) == set()

    reminders_run_group(group="deployment", now=just_after_midnight(monday))
    assert to(MILESTONE) == {hr.pk, lead.pk}
    assert set(Reminder.objects.values_list("period", flat=True)) == {f"{months}-months"}


def test_a_transfer_keeps_the_first_day_for_the_milestone(programme: Programme, hr: User) -> None:
    first = AppointmentFactory(
        post=peer_post(programme, status=Post.Status.FILLED),
        status=Appointment.Status.TRANSFERRED,
        start_date=date(2025, 6, 10),
        ended_on=date(2025, 12, 31),
    )
    AppointmentFactory(
        post=peer_post(programme, status=Post.Status.FILLED),
        person=first.person,
        start_date=date(2026, 1, 1),
    )

    reminders_run_group(group="deployment", today=date(2026, 6, 8))

    assert Reminder.objects.filter(kind=MILESTONE).get().period == "12-months"


def test_a_leaver_gets_no_milestone_prompt(programme: Programme, hr: User) -> None:
    AppointmentFactory(
        post=peer_post(programme),
        status=Appointment.Status.LEFT,
        start_date=date(2025, 6, 10),
        ended_on=date(2026, 1, 31),
        leaving_reason=LeavingReasonFactory(programme=programme),
    )

    reminders_run_group(group="deployment", today=date(2026, 6, 8))

    assert to(MILESTONE) == set()


@pytest.mark.parametrize("threshold", ANCHORS)
def test_a_converted_post_not_advertised_reminds_hr_after_the_set_days(
    programme: Programme, hr: User, threshold: date, settings: Any
) -> None:
    settings.REMINDER_ADVERT_DAYS = 28
    converted_on = threshold - 28 * DAY
    ConversionFactory(
        original=peer_post(programme, status=Post.Status.CONVERTED, role="hca"),
        converted_at=datetime.combine(converted_on, time(23, 50), tzinfo=LONDON),
    )

    reminders_run_group(group="deployment", now=just_before_midnight(threshold - DAY))
    assert to(ADVERT) == set()

    reminders_run_group(group="deployment", now=just_after_midnight(threshold))
    assert to(ADVERT) == {hr.pk}


def test_an_advertised_or_undone_conversion_reminds_nobody(programme: Programme, hr: User) -> None:
    long_ago = datetime(2026, 1, 5, 12, 0, tzinfo=LONDON)
    advertised = ConversionFactory(
        original=peer_post(programme, status=Post.Status.CONVERTED, role="hca"),
        converted_at=long_ago,
    )
    VacancyFactory(post=advertised.new_post, status="closed")
    ConversionFactory(
        original=peer_post(programme, status=Post.Status.CONVERTED, role="hca"),
        converted_at=long_ago,
        undone_at=long_ago + DAY,
    )

    reminders_run_group(group="deployment", today=date(2026, 6, 10))

    assert to(ADVERT) == set()


def test_deployment_e_mail_lines_name_nobody(programme: Programme, hr: User) -> None:
    appointment = offer(programme, date(2026, 6, 20), PreEmploymentCheck.Status.REQUESTED)

    reminders_run_group(group="deployment", today=date(2026, 6, 10))

    reminder = Reminder.objects.get(kind=CHECKS)
    assert appointment.person.last_name not in reminder.email_line
    assert reminder.email_line == (
        "Pre-employment checks are still outstanding for a peer worker due to start on "
        "20 June 2026."
    )
