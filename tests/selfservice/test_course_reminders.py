"""The trainee's reminder of their next mentor meeting: to their own
account (a notification and an e-mail through the outbox), once per planned
day however often the rules run, and only near the day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from peerprog.core.models import Notification, OutboxEmail, Reminder
from peerprog.core.reminders.services import reminders_run_group
from tests.selfservice.course_world import course_object

pytestmark = pytest.mark.django_db

KIND = "selfservice.next_mentor_meeting"


@pytest.fixture
def meeting(world):
    # Mona logged a meeting three days ago and planned the next for tomorrow.
    return course_object(world, "trainee_meeting")


def test_the_trainee_is_reminded_of_their_next_meeting_once(world, meeting):
    today = timezone.localdate()
    trainee = world.users["trainee"]

    reminders_run_group(group="supervision", today=today)
    reminders_run_group(group="supervision", today=today)
    reminders_run_group(group="supervision", today=today + timedelta(days=1))

    reminder = Reminder.objects.get(kind=KIND)
    assert reminder.recipient_user == trainee
    assert reminder.period == meeting.next_meeting_on.isoformat()
    notification = Notification.objects.get(recipient=trainee)
    assert "Your next mentor meeting is planned for" in notification.title
    email = OutboxEmail.objects.get(pk=reminder.email_id)
    assert email.to_address == trainee.email
    # The e-mail names nobody.
    assert "Mona" not in reminder.email_line


def test_no_reminder_long_before_the_planned_day(world, meeting):
    reminders_run_group(group="supervision", today=timezone.localdate() - timedelta(days=5))

    assert not Reminder.objects.filter(kind=KIND).exists()


def test_no_reminder_for_a_switched_off_account(world, meeting):
    trainee = world.users["trainee"]
    trainee.is_active = False
    trainee.save(update_fields=["is_active"])

    reminders_run_group(group="supervision", today=timezone.localdate())

    assert not Reminder.objects.filter(kind=KIND).exists()
