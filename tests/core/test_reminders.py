"""The reminder machinery: stored once per key, in the notification list,
handed to the outbox once and e-mailed once, e-mail switched off per kind,
and the schedule in the admin. The outbox's own lease, back-off and failure
are in test_outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from peerprog.core.models import Notification, Person, Reminder, ReminderEmailOptOut, User
from peerprog.core.outbox.models import OutboxEmail
from peerprog.core.reminders import selectors, services
from peerprog.core.reminders.registry import ReminderSpec
from peerprog.core.tasks import outbox_deliver
from tests.conftest import World
from tests.core.factories import PersonFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
KIND = "training.final_overdue"


def spec(*, user: User | None = None, person: Person | None = None, **extra: Any) -> ReminderSpec:
    values: dict[str, Any] = {
        "kind": KIND,
        "object_type": "training.enrolment",
        "object_id": 41,
        "period": "2026-03-02",
        "title": "Ada Lovelace: final portfolio overdue (due 2 March 2026)",
        "email_line": "A trainee's final portfolio was due on 2 March 2026 and has not come in.",
        "link": "/training/trainees/41/",
        "user_id": user.pk if user else None,
        "person_id": person.pk if person else None,
    }
    values.update(extra)
    return ReminderSpec(**values)


def raise_and_send(capture: Any, *specs: ReminderSpec) -> None:
    with capture(execute=True):
        services.reminders_raise(specs=specs)


def test_a_reminder_is_stored_once_however_often_it_is_raised(lead: User) -> None:
    services.reminders_raise(specs=[spec(user=lead)])
    services.reminders_raise(specs=[spec(user=lead), spec(user=lead)])

    assert Reminder.objects.filter(recipient_user=lead).count() == 1
    assert (
        Notification.objects.filter(recipient=lead).exclude(title="Check in with Ada").count() == 1
    )


def test_the_database_refuses_a_second_reminder_with_the_same_key(lead: User) -> None:
    values = {"kind": KIND, "object_type": "training.enrolment", "object_id": 1, "period": "p"}
    Reminder.objects.create(recipient_user=lead, email_line="x", **values)

    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(recipient_user=lead, email_line="x", **values)


def test_a_new_period_is_a_new_reminder(lead: User) -> None:
    services.reminders_raise(specs=[spec(user=lead), spec(user=lead, period="2026-03-09")])

    assert Reminder.objects.filter(recipient_user=lead).count() == 2


def test_a_reminder_lands_in_the_notification_list_with_its_link(lead: User) -> None:
    services.reminders_raise(specs=[spec(user=lead)])

    notification = Notification.objects.get(recipient=lead, key__startswith="reminder:")
    assert notification.title.startswith("Ada Lovelace: final portfolio overdue")
    assert notification.link == "/training/trainees/41/"
    assert notification.read_at is None


def test_a_reminder_is_emailed_once_with_a_short_line_and_a_link(
    lead: User, django_capture_on_commit_callbacks: Any, mailoutbox: list, settings: Any
) -> None:
    settings.SITE_URL = "https://peerprog.example.org"
    raise_and_send(django_capture_on_commit_callbacks, spec(user=lead))
    raise_and_send(django_capture_on_commit_callbacks, spec(user=lead))
    reminder = Reminder.objects.get(recipient_user=lead)
    assert outbox_deliver() == 0

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [lead.email]
    assert message.subject == (
        "[peerprog] A trainee's final portfolio was due on 2 March 2026 and has not come in."
    )
    assert "https://peerprog.example.org/training/trainees/41/" in message.body
    # The in-app title names the trainee; the e-mail does not.
    assert "Ada" not in message.body and "Lovelace" not in message.body
    assert message.extra_headers["Message-ID"] == reminder.email.message_id
    reminder.email.refresh_from_db()
    assert reminder.email.state == OutboxEmail.State.ACCEPTED
    assert reminder.email.attempts == 1
    assert reminder.email.claimed_until is None
    assert OutboxEmail.objects.count() == 1


def test_a_user_who_switched_a_kind_off_gets_it_in_the_app_only(
    lead: User, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    ReminderEmailOptOut.objects.create(user=lead, kind=KIND)

    raise_and_send(django_capture_on_commit_callbacks, spec(user=lead))

    assert mailoutbox == []
    reminder = Reminder.objects.get(recipient_user=lead)
    assert not reminder.by_email
    assert reminder.email is None
    assert Notification.objects.filter(recipient=lead, key__startswith="reminder:").exists()


def test_switching_e_mail_off_after_a_reminder_was_raised_stops_its_e_mail(
    lead: User, mailoutbox: list
) -> None:
    services.reminders_raise(specs=[spec(user=lead)])
    services.reminder_email_choices_set(user=lead, emailed=[], by=lead)

    outbox_deliver()

    assert mailoutbox == []
    email = Reminder.objects.get(recipient_user=lead).email
    assert email.state == OutboxEmail.State.CANCELLED


def test_another_kind_still_comes_by_e_mail(
    lead: User, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    ReminderEmailOptOut.objects.create(user=lead, kind="training.draft_missing")

    raise_and_send(django_capture_on_commit_callbacks, spec(user=lead))

    assert len(mailoutbox) == 1


def test_a_trainee_who_agreed_to_e_mail_gets_it_without_a_link(
    programme: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    trainee = PersonFactory(programme=programme, first_name="Ada", email_allowed=True)

    raise_and_send(
        django_capture_on_commit_callbacks,
        spec(person=trainee, email_line="Your final portfolio was due on 2 March 2026.", link=""),
    )

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [trainee.email]
    assert mailoutbox[0].body.startswith("Hello Ada,")
    assert "http" not in mailoutbox[0].body
    assert "course facilitator" in mailoutbox[0].body


def test_a_trainee_who_has_not_agreed_to_e_mail_gets_nothing(
    programme: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    unwilling = PersonFactory(programme=programme, email_allowed=False)
    no_address = PersonFactory(programme=programme, email="", email_allowed=True)

    raise_and_send(
        django_capture_on_commit_callbacks, spec(person=unwilling), spec(person=no_address)
    )

    assert mailoutbox == []
    assert not Reminder.objects.exists()


def test_a_switched_off_account_gets_no_reminder(programme: Any) -> None:
    gone = UserFactory(programme=programme, is_active=False)

    services.reminders_raise(specs=[spec(user=gone)])

    assert not Reminder.objects.exists()
    assert not Notification.objects.filter(recipient=gone).exists()


def test_raising_many_reminders_costs_the_same_queries_as_raising_one(
    programme: Any, django_assert_num_queries: Any
) -> None:
    users = [UserFactory(programme=programme) for _ in range(6)]
    people = [PersonFactory(programme=programme, email_allowed=True) for _ in range(6)]

    # Five to store the reminders and notifications, four to hand their
    # e-mails to the outbox.
    with django_assert_num_queries(11):
        services.reminders_raise(specs=[spec(user=users[0]), spec(person=people[0])])
    with django_assert_num_queries(11):
        services.reminders_raise(
            specs=[spec(user=u, object_id=2) for u in users]
            + [spec(person=p, object_id=2) for p in people]
        )
    assert Reminder.objects.count() == 14
    assert OutboxEmail.objects.count() == 14


def test_a_reminder_goes_to_exactly_one_recipient(lead: User, programme: Any) -> None:
    with pytest.raises(ValueError):
        services.reminders_raise(specs=[spec(user=lead, person_id=PersonFactory().pk)])
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(kind=KIND, object_type="t", object_id=1, period="p", email_line="x")


# Each user's e-mail settings


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_settings_page_offers_the_kinds_that_reach_the_users_roles(world: World) -> None:
    page = signed_in(world.users["assessor"]).get(reverse("core:notification-settings"))

    content = page.content.decode()
    assert "A portfolio waiting for your mark" in content
    assert "Final portfolio overdue" in content
    assert 'type="checkbox"' in content


def test_a_role_without_reminders_is_told_so(world: World) -> None:
    page = signed_in(world.users["admin"]).get(reverse("core:notification-settings"))

    assert "No reminders are sent to you" in page.content.decode()


def test_unticking_a_kind_switches_its_e_mail_off_and_ticking_it_back_on(world: World) -> None:
    assessor = world.users["assessor"]
    client = signed_in(assessor)
    url = reverse("core:notification-settings")

    response = client.post(url, {"emailed": ["training.final_overdue"]})
    assert response.status_code == 302
    off = set(ReminderEmailOptOut.objects.filter(user=assessor).values_list("kind", flat=True))
    assert "training.awaiting_mark" in off
    assert "training.final_overdue" not in off

    client.post(url, {"emailed": ["training.final_overdue", "training.awaiting_mark"]})
    assert "training.awaiting_mark" in selectors.emails_wanted(user=assessor)
    assert ReminderEmailOptOut.history.filter(kind="training.awaiting_mark").count() == 2


def test_one_users_settings_do_not_touch_anothers(world: World) -> None:
    signed_in(world.users["assessor"]).post(reverse("core:notification-settings"), {})

    assert not ReminderEmailOptOut.objects.filter(user=world.users["lead"]).exists()


# Health page


def test_the_health_page_reports_database_and_broker(client: Client, db: Any) -> None:
    response = client.get(reverse("core:health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_without_redis_the_health_page_says_eager_mode(
    client: Client, db: Any, settings: Any
) -> None:
    settings.REDIS_URL = ""

    response = client.get(reverse("core:health"))

    assert response.json()["broker"] == "eager mode"
    assert response.status_code == 200


def test_an_unreachable_broker_makes_the_health_page_fail_without_details(
    client: Client, db: Any, settings: Any
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("core:health"))

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "unreachable"}
    assert "127.0.0.1" not in response.content.decode()


# The schedule


def test_the_schedule_is_in_the_database_on_london_time(db: Any) -> None:
    training = PeriodicTask.objects.get(name="Reminders: training")
    deliver = PeriodicTask.objects.get(name="E-mail: send what is due")

    assert training.task == "peerprog.core.tasks.reminders_scan"
    assert training.kwargs == '{"group": "training"}'
    assert str(training.crontab.timezone) == "Europe/London"
    assert (training.crontab.hour, training.crontab.minute) == ("7", "0")
    for group in ("deployment", "supervision"):
        scan = PeriodicTask.objects.get(name=f"Reminders: {group}")
        assert scan.kwargs == f'{{"group": "{group}"}}'
        assert str(scan.crontab.timezone) == "Europe/London"
    assert deliver.task == "peerprog.core.outbox.tasks.outbox_deliver"
    assert (deliver.interval.every, deliver.interval.period) == (1, "minutes")
    assert not PeriodicTask.objects.filter(name="Reminders: send due e-mails").exists()


@pytest.mark.parametrize(
    ("last_run", "next_run"),
    [
        # Saturday before the clocks go forward, to Sunday in summer time.
        (datetime(2026, 3, 28, 7, 0, tzinfo=LONDON), datetime(2026, 3, 29, 7, 0, tzinfo=LONDON)),
        # Saturday before the clocks go back, to Sunday in winter time.
        (datetime(2026, 10, 24, 7, 0, tzinfo=LONDON), datetime(2026, 10, 25, 7, 0, tzinfo=LONDON)),
    ],
)
def test_the_daily_scan_stays_at_seven_in_the_morning_when_the_clocks_change(
    db: Any, last_run: datetime, next_run: datetime
) -> None:
    schedule = PeriodicTask.objects.get(name="Reminders: training").crontab.schedule
    at = next_run.astimezone(UTC)

    schedule.nowfun = lambda: at - timedelta(seconds=1)
    assert not schedule.is_due(last_run).is_due
    schedule.nowfun = lambda: at + timedelta(seconds=1)
    assert schedule.is_due(last_run).is_due
    # Once, not twice, in the day: the next run is 24 hours of wall clock on.
    schedule.nowfun = lambda: at + timedelta(seconds=1)
    assert not schedule.is_due(next_run).is_due
