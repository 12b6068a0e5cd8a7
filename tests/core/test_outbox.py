"""The outbox: every e-mail is a row with a stable Message-ID; a send holds
its row under a lease, is marked accepted only after the mail server took
it, backs off after a failure and ends as failed for an admin to retry;
old messages lose their body, then their row; and nothing sends mail
without it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import Role
from peerprog.core.outbox import services
from peerprog.core.outbox.models import OutboxEmail
from peerprog.core.outbox.testing import NotThroughTheOutbox
from peerprog.core.services import notify
from peerprog.core.tasks import outbox_deliver, outbox_purge
from tests.core.factories import PersonFactory, UserFactory


@pytest.fixture
def lead(programme: Any) -> Any:
    """A member of staff; the whole shared world is not needed here."""
    return UserFactory(programme=programme, email="lead@example.org", full_name="Lead")


@pytest.fixture
def sysadmin(db: Any) -> Any:
    return UserFactory(email="sysadmin@example.org", is_superuser=True, is_staff=True)


def queue(user: Any, key: str = "notification:1") -> OutboxEmail:
    return services.outbox_add(
        key=key,
        kind="notification",
        to=user.email,
        template="notification",
        context={
            "full_name": user.full_name,
            "title": "Portfolios are due",
            "body": "",
            "link": "",
        },
        user_id=user.pk,
    )


def failing_mail_server(settings: Any) -> None:
    """A real SMTP backend pointed at a closed port: the connection is refused."""
    settings.OUTBOX_ONLY_WRAPS = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    settings.EMAIL_TIMEOUT = 2


def test_the_same_key_is_stored_once_with_a_stable_message_id(lead: Any) -> None:
    first = queue(lead)
    second = queue(lead)

    assert first.pk == second.pk
    assert OutboxEmail.objects.count() == 1
    assert first.message_id.startswith("<") and first.message_id.endswith(">")
    assert first.state == OutboxEmail.State.QUEUED
    assert first.subject == "[peerprog] Portfolios are due"


def test_a_sent_message_carries_its_message_id_and_is_marked_accepted(
    lead: Any, mailoutbox: list
) -> None:
    row = queue(lead)

    assert outbox_deliver() == 1

    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == row.message_id
    row.refresh_from_db()
    assert row.state == OutboxEmail.State.ACCEPTED
    assert row.accepted_at is not None
    assert row.claimed_until is None
    assert outbox_deliver() == 0
    assert len(mailoutbox) == 1


def test_a_claimed_row_cannot_be_claimed_again_until_its_lease_expires(
    lead: Any, settings: Any
) -> None:
    row = queue(lead)
    now = timezone.now()

    claim = services.outbox_claim_next(now=now)
    assert claim is not None and claim.pk == row.pk
    assert claim.claimed_until == now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    assert services.outbox_claim_next(now=now) is None

    # The worker holding the claim died: once the lease is over, the sweep
    # takes the row again, with the same Message-ID.
    again = services.outbox_claim_next(now=claim.claimed_until + timedelta(seconds=1))
    assert again is not None and again.pk == row.pk
    assert again.message_id == row.message_id
    assert again.attempts == 2


def test_a_lost_claim_cannot_mark_the_row_accepted(lead: Any) -> None:
    queue(lead)
    now = timezone.now()
    first = services.outbox_claim_next(now=now)
    assert first is not None
    second = services.outbox_claim_next(now=first.claimed_until + timedelta(seconds=1))
    assert second is not None

    assert services.outbox_mark_accepted(row=first) is False
    assert services.outbox_mark_accepted(row=second) is True


def test_a_failed_send_is_tried_again_later_and_never_marked_sent(lead: Any, settings: Any) -> None:
    failing_mail_server(settings)
    row = queue(lead)
    before = timezone.now()

    assert outbox_deliver() == 0

    row.refresh_from_db()
    assert row.state == OutboxEmail.State.QUEUED
    assert row.accepted_at is None
    assert row.claimed_until is None
    assert row.attempts == 1
    assert row.last_error == "ConnectionRefusedError"
    assert row.next_attempt_at >= before + timedelta(seconds=settings.OUTBOX_RETRY_SECONDS)
    # Not due again until the back-off has passed.
    assert services.outbox_claim_next() is None
    assert services.outbox_claim_next(now=row.next_attempt_at) is not None


def test_the_wait_between_attempts_doubles_up_to_half_an_hour(settings: Any) -> None:
    settings.OUTBOX_RETRY_SECONDS = 60

    waits = [services.retry_delay(attempts=n).total_seconds() for n in range(1, 8)]

    assert waits == [60, 120, 240, 480, 960, 1800, 1800]


def test_a_message_that_keeps_failing_ends_as_failed_and_an_admin_can_retry_it(
    sysadmin: Any, lead: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    failing_mail_server(settings)
    settings.OUTBOX_MAX_ATTEMPTS = 2
    row = queue(lead)

    outbox_deliver()
    outbox_deliver()  # not due yet: nothing happens
    assert OutboxEmail.objects.get().attempts == 1
    OutboxEmail.objects.update(next_attempt_at=timezone.now())
    outbox_deliver()

    row.refresh_from_db()
    assert row.state == OutboxEmail.State.FAILED
    assert row.attempts == 2
    assert row.accepted_at is None
    assert services.outbox_claim_next(now=timezone.now() + timedelta(days=1)) is None

    # The mail server is back; an admin tries the failed message again.
    settings.OUTBOX_ONLY_WRAPS = "django.core.mail.backends.locmem.EmailBackend"
    client = Client()
    client.force_login(sysadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:core_outboxemail_changelist"),
            {"action": "try_again", "_selected_action": [row.pk]},
            follow=True,
        )
    assert "1 failed e-mail(s) will be sent again now." in response.content.decode()
    row.refresh_from_db()
    assert row.state == OutboxEmail.State.ACCEPTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id


def test_the_admin_lists_messages_without_their_bodies(sysadmin: Any, lead: Any) -> None:
    row = queue(lead)
    client = Client()
    client.force_login(sysadmin)

    listing = client.get(reverse("admin:core_outboxemail_changelist")).content.decode()
    detail = client.get(reverse("admin:core_outboxemail_change", args=[row.pk])).content.decode()

    assert lead.email in listing
    assert "Waiting to be sent" in listing
    assert row.message_id.strip("<>") in detail
    assert "notification settings" not in detail
    assert row.body_text.strip().splitlines()[0] not in detail


def test_a_switched_off_account_is_not_sent_what_waited(lead: Any, mailoutbox: list) -> None:
    row = queue(lead)
    lead.is_active = False
    lead.save()

    outbox_deliver()

    row.refresh_from_db()
    assert row.state == OutboxEmail.State.CANCELLED
    assert mailoutbox == []


def test_a_person_who_withdrew_agreement_to_e_mail_is_not_sent_what_waited(
    programme: Any, mailoutbox: list
) -> None:
    person = PersonFactory(programme=programme, email_allowed=True)
    row = services.outbox_add(
        key="letter:1",
        kind="letter",
        to=person.email,
        template="letter",
        context={"subject": "Your place", "body": "Hello"},
        person_id=person.pk,
    )
    person.email_allowed = False
    person.save()

    outbox_deliver()

    row.refresh_from_db()
    assert row.state == OutboxEmail.State.CANCELLED
    assert mailoutbox == []


def test_old_messages_lose_their_body_first_then_their_row(lead: Any, settings: Any) -> None:
    settings.OUTBOX_BODY_DAYS = 14
    settings.OUTBOX_KEEP_DAYS = 90
    recent, older, oldest = (queue(lead, key=f"notification:{n}") for n in (1, 2, 3))
    outbox_deliver()
    now = timezone.now()
    OutboxEmail.objects.filter(pk=older.pk).update(accepted_at=now - timedelta(days=20))
    OutboxEmail.objects.filter(pk=oldest.pk).update(accepted_at=now - timedelta(days=91))

    assert outbox_purge() == "2 bodies cleared, 1 rows deleted"

    assert OutboxEmail.objects.get(pk=recent.pk).body_text != ""
    older.refresh_from_db()
    assert older.body_text == "" and older.body_html == ""
    assert older.body_purged_at is not None
    assert older.to_address == lead.email
    assert not OutboxEmail.objects.filter(pk=oldest.pk).exists()


def test_mail_sent_without_the_outbox_fails_the_test(db: Any) -> None:
    with pytest.raises(NotThroughTheOutbox):
        mail.send_mail("Hello", "Sent some other way.", None, ["someone@example.org"])


def test_a_password_reset_goes_through_the_outbox(
    lead: Any, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("password_reset"), {"email": lead.email})

    assert response.status_code == 302
    row = OutboxEmail.objects.get(kind="password_reset")
    assert row.recipient_user == lead
    assert row.state == OutboxEmail.State.ACCEPTED
    assert len(mailoutbox) == 1
    assert "/password/reset/" in mailoutbox[0].body


def test_a_new_member_of_staff_is_invited_through_the_outbox(
    programme: Any, sysadmin: Any, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    from peerprog.core.services import staff_user_create

    with django_capture_on_commit_callbacks(execute=True):
        user = staff_user_create(
            programme=programme,
            email="new.mentor@example.org",
            full_name="New Mentor",
            job_title="Mentor",
            roles=[Role.MENTOR],
            by=sysadmin,
        )

    row = OutboxEmail.objects.get(kind="staff_invitation")
    assert row.recipient_user == user
    assert row.state == OutboxEmail.State.ACCEPTED
    assert mailoutbox[0].to == ["new.mentor@example.org"]


def test_a_notification_e_mail_names_its_recipient_for_data_protection(
    lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=lead, key="k", title="Hello", email=True)

    assert notification is not None
    assert notification.email.recipient_user == lead
    assert list(lead.outbox_emails.all()) == [notification.email]


def test_a_new_user_gets_a_distinct_message_id_per_message(lead: Any) -> None:
    other = UserFactory()
    ids = {queue(lead, key="a").message_id, queue(other, key="b").message_id}

    assert len(ids) == 2
