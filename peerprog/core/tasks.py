"""Celery entry points of the kernel: they take ids, load, and send.

Every task here is idempotent by design: the database, not the broker,
decides whether something was sent (a claim on the row), so a task the
broker delivers twice, or runs twice at once, does its work once.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.utils import timezone

from peerprog.core import export_files
from peerprog.core.models import Letter, Notification, Reminder, ReminderEmailOptOut
from peerprog.core.reminders import selectors as reminder_selectors
from peerprog.core.reminders import services as reminder_services

logger = logging.getLogger(__name__)


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text body and HTML body from templates/emails/<template>_*."""
    context = {"site_url": getattr(settings, "SITE_URL", ""), **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    text = render_to_string(f"emails/{template}_body.txt", context)
    html = render_to_string(f"emails/{template}_body.html", context)
    return " ".join(subject.split()), text, html


@shared_task
def send_templated_email(*, template: str, to: list[str], context: dict[str, Any]) -> None:
    subject, text, html = render_email(template, context)
    message = EmailMultiAlternatives(settings.EMAIL_SUBJECT_PREFIX + subject, text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def notification_send_email(self: Any, notification_id: int) -> bool:
    """E-mail one notification to its recipient, at most once.

    The row is claimed by setting ``emailed_at`` only where it is empty, so a
    task delivered twice by the broker sends once. If sending fails the claim
    is released and the task retries.
    """
    claimed = Notification.objects.filter(pk=notification_id, emailed_at=None).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_templated_email.run(
            template="notification",
            to=[notification.recipient.email],
            context={
                "full_name": notification.recipient.full_name,
                "title": notification.title,
                "body": notification.body,
                "link": notification.link,
            },
        )
    except Exception as exc:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        logger.warning("E-mail for notification %s failed; will retry.", notification_id)
        raise self.retry(exc=exc) from exc
    return True


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def letter_send_email(self: Any, letter_id: int) -> bool:
    """E-mail one issued letter to its person, at most once.

    The letter is claimed by setting ``emailed_at`` only where it is empty,
    so a task delivered twice sends once; a failure releases the claim.
    """
    claimed = Letter.objects.filter(
        pk=letter_id, emailed_at=None, channel=Letter.Channel.EMAIL
    ).update(emailed_at=timezone.now(), status=Letter.Status.EMAILED)
    if not claimed:
        return False
    letter = Letter.objects.select_related("person").get(pk=letter_id)
    try:
        send_templated_email.run(
            template="letter",
            to=[letter.person.email],
            context={"subject": letter.subject, "body": letter.body},
        )
    except Exception as exc:
        Letter.objects.filter(pk=letter_id).update(emailed_at=None, status=Letter.Status.TO_SEND)
        logger.warning("E-mail for letter %s failed; will retry.", letter_id)
        raise self.retry(exc=exc) from exc
    return True


# Transient failures of the database connection are retried with back-off;
# anything else is a bug and fails loudly.
TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def reminders_scan(group: str, on: str | None = None) -> int:
    """Raise the reminders of one group of rules ("training", ...) for the
    day ``on`` (ISO date; today in the programme's time zone by default).
    Beat runs one periodic task per group; running it again the same day
    stores nothing new."""
    today = date.fromisoformat(on) if on else None
    return reminder_services.reminders_run_group(group=group, today=today)


@shared_task(
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def reminders_dispatch() -> int:
    """Queue a send for every reminder due for e-mail: new ones, back-offs
    that have passed, and claims whose worker died. Beat also runs it every
    few minutes as the sweep that makes sure nothing is lost."""
    due = reminder_selectors.reminders_due()
    for reminder_id in due:
        reminder_send.delay(reminder_id)
    return len(due)


def _pause_for_tests() -> None:
    """Only under test settings: hold the send so that a test can kill the
    worker in the middle of it. Always 0 outside tests."""
    if settings.REMINDER_TEST_SEND_DELAY:
        time.sleep(settings.REMINDER_TEST_SEND_DELAY)


def _reminder_email(reminder: Reminder) -> tuple[str, dict[str, Any]]:
    if reminder.recipient_user is not None:
        user = reminder.recipient_user
        return user.email, {
            "name": user.get_short_name(),
            "line": reminder.email_line,
            "link": reminder.link,
        }
    person = reminder.recipient_person
    assert person is not None
    return person.email, {
        "name": person.preferred_name or person.first_name,
        "line": reminder.email_line,
        "link": "",
    }


def _still_wanted(reminder: Reminder) -> bool:
    """Choices can change between raising a reminder and sending it."""
    if reminder.recipient_user is not None:
        user = reminder.recipient_user
        return (
            user.is_active
            and bool(user.email)
            and not ReminderEmailOptOut.objects.filter(user=user, kind=reminder.kind).exists()
        )
    person = reminder.recipient_person
    return person is not None and person.email_allowed and bool(person.email)


@shared_task(
    bind=True,
    max_retries=settings.REMINDER_MAX_ATTEMPTS,
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
    soft_time_limit=max(1, settings.REMINDER_SEND_TIME_LIMIT - 1),
)
def reminder_send(self: Any, reminder_id: int) -> bool:
    """E-mail one reminder, at most once, never losing it.

    Claims the row with a lease, hands the message to the mail server, then
    marks it sent. The hard time limit is shorter than the lease, so a live
    send never loses its claim. If the worker dies before the mark, the
    lease expires and the sweep (``reminders_dispatch``) sends it again; the
    only window for a duplicate is between the mail server's acceptance and
    our commit. A failure releases the claim with back-off and is retried.
    """
    claim = reminder_services.reminder_claim(reminder_id=reminder_id)
    if claim is None:
        return False
    reminder = Reminder.objects.select_related("recipient_user", "recipient_person").get(
        pk=reminder_id
    )
    if not _still_wanted(reminder):
        reminder_services.reminder_mark_in_app(reminder_id=reminder_id, claim=claim)
        return False
    _pause_for_tests()
    to, context = _reminder_email(reminder)
    try:
        send_templated_email.run(template="reminder", to=[to], context=context)
    except Exception as exc:
        delay = reminder_services.reminder_mark_failed(
            reminder_id=reminder_id, claim=claim, error=type(exc).__name__
        )
        logger.warning(
            "E-mail for reminder %s failed (%s); %s.",
            reminder_id,
            type(exc).__name__,
            f"next attempt in {int(delay.total_seconds())} s" if delay else "giving up",
        )
        if delay is None or self.request.is_eager:
            # Without a broker (eager mode) nothing waits for a countdown:
            # the row keeps its next attempt and the next sweep retries it.
            return False
        raise self.retry(exc=exc, countdown=int(delay.total_seconds())) from exc
    if not reminder_services.reminder_mark_sent(reminder_id=reminder_id, claim=claim):
        logger.warning("Reminder %s was sent after its claim had expired.", reminder_id)
    return True


@shared_task(acks_late=True)
def export_prepare(record_id: int) -> bool:
    """Write the file of a background export (claimed once, so a repeated
    delivery writes nothing)."""
    return export_files.export_prepare(record_id=record_id)


@shared_task
def exports_expire() -> int:
    """Delete background export files past their expiry."""
    return export_files.exports_expire()
