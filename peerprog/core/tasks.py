"""Celery entry points of the kernel: they take ids, load, and act.

Every task here is idempotent by design: the database, not the broker,
decides what was done (a unique key, a claim on the row), so a task the
broker delivers twice, or runs twice at once, does its work once. E-mail
goes through the outbox, whose tasks live in ``peerprog.core.outbox.tasks``
and are imported here so that workers find them.
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError

from peerprog.core import export_files, password_reset
from peerprog.core.outbox.tasks import outbox_deliver, outbox_purge
from peerprog.core.reminders import services as reminder_services

__all__ = [
    "export_prepare",
    "exports_expire",
    "outbox_deliver",
    "outbox_purge",
    "password_reset_request",
    "reminders_scan",
]


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


@shared_task(acks_late=True)
def export_prepare(record_id: int) -> bool:
    """Write the file of a background export (claimed once, so a repeated
    delivery writes nothing)."""
    return export_files.export_prepare(record_id=record_id)


@shared_task
def exports_expire() -> int:
    """Delete background export files past their expiry."""
    return export_files.exports_expire()


@shared_task(
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def password_reset_request(email: str, request_key: str) -> None:
    """Look up the address someone gave on the password reset page and,
    when it is an account's, hand the reset e-mail to the outbox."""
    password_reset.password_reset_send(email=email, request_key=request_key)
