"""Training's reminders at their boundary dates, in London time: the first
day each rule fires and the day before it does not, in an ordinary week and
in the weeks the clocks change (last Sunday of March and of October), where
just after midnight in summer time is still the day before in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerprog.core.models import Notification, Person, Programme, Reminder, Role, User
from peerprog.core.reminders.services import reminders_run_group
from peerprog.core.tasks import reminders_scan
from recruitment.models import Cohort
from tests.core.factories import UserFactory
from tests.training.factories import CohortFactory, assessor, enrol, mark, set_assessors, submit
from training import services as training_services
from training.models import CohortTraining, Enrolment

LONDON = ZoneInfo("Europe/London")
DAY = timedelta(days=1)

# An ordinary Wednesday; the Sunday the clocks go forward and the Monday
# after; the Sunday the clocks go back and the Monday after.
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


@dataclass
class Course:
    cohort: Cohort
    lead: User
    facilitator: User
    second_assessor: User
    enrolment: Enrolment

    @property
    def trainee(self) -> Person:
        return self.enrolment.person

    def set_dates(self, **dates: date) -> None:
        CohortTraining.objects.filter(cohort=self.cohort).update(**dates)


@pytest.fixture
def course(programme: Programme) -> Course:
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD], full_name="Priya Lead")
    facilitator = UserFactory(
        programme=programme, roles=[Role.FACILITATOR, Role.ASSESSOR], full_name="Ruth Facilitator"
    )
    second = assessor(programme, "Martin Inclusion")
    cohort = CohortFactory(programme=programme, name="Cohort 1")
    set_assessors(cohort, facilitator, second)
    enrolment = enrol(cohort, first_name="Ada", last_name="Lovelace", email_allowed=True)
    # Far from every anchor unless a test moves them.
    CohortTraining.objects.filter(cohort=cohort).update(
        draft_due=date(2027, 6, 1), final_due=date(2027, 7, 1)
    )
    return Course(cohort, lead, facilitator, second, enrolment)


def recipients(kind: str) -> set[tuple[str, int]]:
    return {
        ("user", r.recipient_user_id) if r.recipient_user_id else ("person", r.recipient_person_id)
        for r in Reminder.objects.filter(kind=kind)
    }


def everyone(course: Course) -> set[tuple[str, int]]:
    return {
        ("user", course.facilitator.pk),
        ("user", course.lead.pk),
        ("person", course.trainee.pk),
    }


# When each rule first fires, for a threshold day T.
DEADLINES = {
    "training.draft_missing": lambda t: {"draft_due": t - DAY},
    "training.final_due_week": lambda t: {"final_due": t + 7 * DAY},
    "training.final_due_tomorrow": lambda t: {"final_due": t + DAY},
    "training.final_overdue": lambda t: {"final_due": t - DAY},
}


@pytest.mark.parametrize("kind", list(DEADLINES))
@pytest.mark.parametrize("threshold", ANCHORS)
def test_a_portfolio_reminder_starts_on_its_first_day_in_london_time(
    course: Course, kind: str, threshold: date
) -> None:
    course.set_dates(**DEADLINES[kind](threshold))

    reminders_run_group(group="training", now=just_before_midnight(threshold - DAY))
    assert recipients(kind) == set()

    reminders_run_group(group="training", now=just_after_midnight(threshold))
    assert recipients(kind) == everyone(course)


@pytest.mark.parametrize("threshold", ANCHORS)
def test_a_portfolio_waiting_for_marks_reminds_each_assessor_after_the_set_days(
    course: Course, threshold: date, settings: Any
) -> None:
    settings.REMINDER_MARKING_DAYS = 14
    submit(course.enrolment, by=course.facilitator, submitted_on=threshold - 15 * DAY)

    reminders_run_group(group="training", now=just_before_midnight(threshold - DAY))
    assert recipients("training.awaiting_mark") == set()

    reminders_run_group(group="training", now=just_after_midnight(threshold))
    assert recipients("training.awaiting_mark") == {
        ("user", course.facilitator.pk),
        ("user", course.second_assessor.pk),
    }


def test_a_mark_waiting_reminds_again_in_the_next_week_of_london_time(
    course: Course, settings: Any
) -> None:
    settings.REMINDER_MARKING_DAYS = 14
    submission = submit(course.enrolment, by=course.facilitator, submitted_on=date(2026, 3, 2))
    mark(submission, course.facilitator, "pass", on=date(2026, 3, 3))

    # Sunday 29 March, late in the evening (summer time): still week 13.
    reminders_run_group(group="training", now=just_after_midnight(date(2026, 3, 29)))
    reminders_run_group(group="training", now=just_before_midnight(date(2026, 3, 29)))
    assert list(
        Reminder.objects.filter(kind="training.awaiting_mark").values_list("period", flat=True)
    ) == ["2026-W13"]

    # Monday 00:30 in summer time is Sunday 23:30 in UTC: a new week here.
    reminders_run_group(group="training", now=just_after_midnight(date(2026, 3, 30)))
    periods = Reminder.objects.filter(kind="training.awaiting_mark").values_list(
        "period", "recipient_user_id"
    )
    assert sorted(periods) == [
        ("2026-W13", course.second_assessor.pk),
        ("2026-W14", course.second_assessor.pk),
    ]


def test_a_final_due_tomorrow_is_not_also_reminded_as_due_within_a_week(course: Course) -> None:
    course.set_dates(final_due=date(2026, 6, 11))

    reminders_run_group(group="training", today=date(2026, 6, 10))

    assert set(Reminder.objects.values_list("kind", flat=True)) == {"training.final_due_tomorrow"}


def test_nothing_is_reminded_on_the_day_the_final_portfolio_is_due(course: Course) -> None:
    course.set_dates(final_due=date(2026, 6, 10))

    reminders_run_group(group="training", today=date(2026, 6, 10))

    assert not Reminder.objects.exists()


def test_the_week_reminder_is_sent_once_over_the_week_before_the_deadline(
    course: Course,
) -> None:
    course.set_dates(final_due=date(2026, 6, 17))

    for day in range(10, 16):
        reminders_run_group(group="training", today=date(2026, 6, day))

    assert Reminder.objects.filter(kind="training.final_due_week").count() == 3
    assert set(Reminder.objects.values_list("period", flat=True)) == {"2026-06-17"}


def test_a_missed_day_still_gets_the_week_reminder_later_in_the_week(course: Course) -> None:
    course.set_dates(final_due=date(2026, 6, 17))

    reminders_run_group(group="training", today=date(2026, 6, 13))

    assert recipients("training.final_due_week") == everyone(course)


def test_moving_the_deadline_reminds_again_for_the_new_date(course: Course) -> None:
    course.set_dates(final_due=date(2026, 6, 9))
    reminders_run_group(group="training", today=date(2026, 6, 10))
    course.set_dates(final_due=date(2026, 6, 20))
    reminders_run_group(group="training", today=date(2026, 6, 21))

    periods = set(
        Reminder.objects.filter(kind="training.final_overdue").values_list("period", flat=True)
    )
    assert periods == {"2026-06-09", "2026-06-20"}


def test_a_trainee_whose_final_portfolio_came_in_is_not_reminded(course: Course) -> None:
    course.set_dates(final_due=date(2026, 6, 9))
    submit(course.enrolment, by=course.facilitator, submitted_on=date(2026, 6, 9))

    reminders_run_group(group="training", today=date(2026, 6, 10))

    assert not Reminder.objects.filter(kind__startswith="training.final").exists()


def test_a_trainee_with_a_draft_is_not_reminded_about_the_draft(course: Course) -> None:
    from tests.training.factories import upload

    course.set_dates(draft_due=date(2026, 6, 1))
    training_services.draft_record(enrolment=course.enrolment, upload=upload(), by=course.lead)

    reminders_run_group(group="training", today=date(2026, 6, 10))

    assert not Reminder.objects.filter(kind="training.draft_missing").exists()


def test_a_trainee_who_left_the_course_is_not_reminded(course: Course) -> None:
    from training.models import NonCompletionReason
    from training.services.reasons import default_reason

    training_services.enrolment_close(
        enrolment=course.enrolment,
        reason=default_reason(
            programme=course.cohort.programme,
            category=NonCompletionReason.Category.LEFT_PAID_EMPLOYMENT,
        ),
        by=course.lead,
    )
    course.set_dates(draft_due=date(2026, 6, 1), final_due=date(2026, 6, 9))

    reminders_run_group(group="training", today=date(2026, 6, 10))

    assert not Reminder.objects.exists()


def test_the_in_app_reminder_names_the_trainee_and_links_to_their_page(course: Course) -> None:
    course.set_dates(final_due=date(2026, 6, 9))

    reminders_run_group(group="training", today=date(2026, 6, 10))

    notification = Notification.objects.get(
        recipient=course.lead, key__startswith="reminder:training.final_overdue"
    )
    assert notification.title == "Ada Lovelace: final portfolio overdue (due 9 June 2026)"
    assert notification.link == f"/training/trainees/{course.enrolment.pk}/"
    reminder = Reminder.objects.get(kind="training.final_overdue", recipient_user=course.lead)
    assert "Ada" not in reminder.email_line
    assert reminder.email_line == (
        "A trainee's final portfolio was due on 9 June 2026 and has not come in."
    )


def test_a_scan_task_e_mails_each_recipient_once_however_often_it_runs(
    course: Course, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    course.set_dates(final_due=date(2026, 6, 9))

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_scan("training", on="2026-06-10")

    overdue = [m for m in mailoutbox if "was due on 9 June 2026" in m.subject]
    assert sorted(m.to[0] for m in overdue) == sorted(
        [course.lead.email, course.facilitator.email, course.trainee.email]
    )


def test_the_training_scan_costs_the_same_queries_for_one_trainee_or_many(
    course: Course,
) -> None:
    course.set_dates(draft_due=date(2026, 6, 1), final_due=date(2026, 6, 9))

    def queries(today: date) -> int:
        with CaptureQueriesContext(connection) as context:
            reminders_run_group(group="training", today=today)
        return len(context)

    one = queries(date(2026, 6, 10))
    for n in range(8):
        enrol(course.cohort, email_allowed=bool(n % 2))
    many = queries(date(2026, 6, 11))

    # Three for the first trainee, two staff for each new one, and the four
    # new trainees who agreed to e-mail.
    assert Reminder.objects.filter(kind="training.final_overdue").count() == 3 + 2 * 8 + 4
    assert many == one
