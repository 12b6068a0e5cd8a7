"""Supervision's reminders at their boundary dates, in London time, in an
ordinary week and in the weeks the clocks change: mentor meetings behind
(to the mentor, a weekly summary per cohort to the leads) and supervision
overdue (to the supervisor)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from peerprog.core.models import Programme, Reminder, Role, User
from peerprog.core.reminders.services import reminders_run_group
from tests.core.factories import UserFactory
from tests.supervision.factories import (
    assign,
    employed,
    log_meeting,
    mentor,
    record_session,
    supervise,
    supervisor,
)
from tests.training.factories import CohortFactory, enrol
from training.models import Enrolment

LONDON = ZoneInfo("Europe/London")
DAY = timedelta(days=1)
ANCHORS = [
    pytest.param(date(2026, 6, 10), id="ordinary-week"),
    pytest.param(date(2026, 3, 29), id="clocks-forward-sunday"),
    pytest.param(date(2026, 3, 30), id="first-summer-monday"),
    pytest.param(date(2026, 10, 25), id="clocks-back-sunday"),
    pytest.param(date(2026, 10, 26), id="first-winter-monday"),
]
BEHIND = "supervision.meetings_behind"
SUMMARY = "supervision.meetings_behind_summary"
OVERDUE = "supervision.supervision_overdue"


def just_after_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 30), tzinfo=LONDON)


def just_before_midnight(day: date) -> datetime:
    return datetime.combine(day, time(23, 30), tzinfo=LONDON)


def to(kind: str) -> set[int | None]:
    return set(Reminder.objects.filter(kind=kind).values_list("recipient_user_id", flat=True))


@pytest.fixture
def lead(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD], full_name="Priya Lead")


def mentored_trainee(programme: Programme, start: date, lead: User) -> tuple[User, Enrolment]:
    """A trainee on a 12-week course from ``start`` (3 meetings expected:
    the first by day 28), with a mentor from the first day."""
    cohort = CohortFactory(
        programme=programme, training_start=start, training_end=start + timedelta(weeks=12)
    )
    enrolment = enrol(cohort, first_name="Ada", last_name="Lovelace")
    who = mentor(programme, "Morgan Mentor")
    assign(enrolment, who, by=lead, on=start)
    return who, enrolment


@pytest.mark.parametrize("threshold", ANCHORS)
def test_a_mentee_behind_reminds_the_mentor_from_the_first_day_a_meeting_is_expected(
    programme: Programme, lead: User, threshold: date
) -> None:
    who, _ = mentored_trainee(programme, threshold - 28 * DAY, lead)

    reminders_run_group(group="supervision", now=just_before_midnight(threshold - DAY))
    assert to(BEHIND) == set()

    reminders_run_group(group="supervision", now=just_after_midnight(threshold))
    assert to(BEHIND) == {who.pk}
    assert to(SUMMARY) == {lead.pk}


def test_a_mentor_is_reminded_again_only_when_the_course_expects_another_meeting(
    programme: Programme, lead: User
) -> None:
    start = date(2026, 3, 2)
    mentored_trainee(programme, start, lead)

    for days in (28, 35, 55, 56, 60):
        reminders_run_group(group="supervision", today=start + days * DAY)

    periods = sorted(Reminder.objects.filter(kind=BEHIND).values_list("period", flat=True))
    assert periods == ["expected-1", "expected-2"]


def test_a_mentee_with_enough_meetings_reminds_nobody(programme: Programme, lead: User) -> None:
    start = date(2026, 3, 2)
    who, enrolment = mentored_trainee(programme, start, lead)
    log_meeting(enrolment, who, held_on=start + 10 * DAY)

    reminders_run_group(group="supervision", today=start + 30 * DAY)

    assert to(BEHIND) == set()
    assert to(SUMMARY) == set()


def test_the_leads_summary_counts_a_cohort_once_a_week(programme: Programme, lead: User) -> None:
    start = date(2026, 3, 2)
    mentored_trainee(programme, start, lead)
    # Monday 30 March (week 14) to Sunday 5 April, then Monday 6 April.
    for day in (30, 31):
        reminders_run_group(group="supervision", today=date(2026, 3, day))
    reminders_run_group(group="supervision", today=date(2026, 4, 6))

    cohort = Reminder.objects.filter(kind=SUMMARY)
    assert sorted(cohort.values_list("period", flat=True)) == ["2026-W14", "2026-W15"]
    notification = lead.notifications.get(
        key__startswith=f"reminder:{SUMMARY}:", key__endswith="W15"
    )
    assert notification.title.endswith("1 trainee is behind with mentor meetings")


@pytest.mark.parametrize("threshold", ANCHORS)
def test_overdue_supervision_reminds_the_supervisor_the_day_after_it_was_due(
    programme: Programme, lead: User, threshold: date
) -> None:
    worker = employed(programme, since=threshold - 90 * DAY, first_name="Grace", last_name="Hopper")
    who = supervisor(programme, "Sam Supervisor")
    supervise(
        worker,
        who,
        by=lead,
        on=threshold - 29 * DAY,
        frequency_days=28,
        entered_on=threshold - 29 * DAY,
    )

    reminders_run_group(group="supervision", now=just_before_midnight(threshold - DAY))
    assert to(OVERDUE) == set()

    reminders_run_group(group="supervision", now=just_after_midnight(threshold))
    assert to(OVERDUE) == {who.pk}


def test_a_session_moves_the_due_date_and_a_later_lapse_reminds_again(
    programme: Programme, lead: User
) -> None:
    worker = employed(programme, since=date(2026, 4, 1))
    who = supervisor(programme)
    supervise(
        worker, who, by=lead, on=date(2026, 5, 1), frequency_days=28, entered_on=date(2026, 5, 1)
    )
    reminders_run_group(group="supervision", today=date(2026, 6, 1))
    record_session(who, [worker], held_on=date(2026, 6, 2))
    reminders_run_group(group="supervision", today=date(2026, 6, 3))
    reminders_run_group(group="supervision", today=date(2026, 7, 2))

    periods = sorted(Reminder.objects.filter(kind=OVERDUE).values_list("period", flat=True))
    assert periods == ["2026-05-29", "2026-06-30"]


def test_supervision_e_mail_lines_name_nobody(programme: Programme, lead: User) -> None:
    worker = employed(programme, since=date(2026, 4, 1), first_name="Grace", last_name="Hopper")
    supervise(
        worker,
        supervisor(programme),
        by=lead,
        on=date(2026, 5, 1),
        frequency_days=28,
        entered_on=date(2026, 5, 1),
    )

    reminders_run_group(group="supervision", today=date(2026, 6, 1))

    reminder = Reminder.objects.get(kind=OVERDUE)
    assert "Hopper" not in reminder.email_line
    assert reminder.email_line == "Supervision with someone you supervise was due on 29 May 2026."


def test_the_supervision_scan_costs_the_same_queries_for_one_person_or_many(
    programme: Programme, lead: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = date(2026, 3, 2)
    _, first = mentored_trainee(programme, start, lead)
    boss = supervisor(programme)
    supervise(
        employed(programme, since=date(2026, 1, 5)),
        boss,
        by=lead,
        on=date(2026, 2, 1),
        frequency_days=28,
        entered_on=date(2026, 2, 1),
    )

    def queries(today: date) -> int:
        with CaptureQueriesContext(connection) as context:
            reminders_run_group(group="supervision", today=today)
        return len(context)

    one = queries(date(2026, 4, 1))
    for _ in range(4):
        enrolment = enrol(first.cohort)
        assign(enrolment, mentor(programme), by=lead, on=start)
        supervise(
            employed(programme, since=date(2026, 1, 5)),
            boss,
            by=lead,
            on=date(2026, 2, 1),
            frequency_days=28,
            entered_on=date(2026, 2, 1),
        )
    many = queries(date(2026, 4, 2))

    assert Reminder.objects.filter(kind=BEHIND).count() == 5
    assert Reminder.objects.filter(kind=OVERDUE).count() == 5
    assert many == one
