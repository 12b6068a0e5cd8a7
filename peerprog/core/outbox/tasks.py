"""Celery entry points of the outbox. The database decides what is sent:
any number of deliveries may run at once, each claims its own rows."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from peerprog.core.outbox import sender, services

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def outbox_deliver() -> int:
    """Send what is due. Queued after each commit that adds e-mail, and run
    by beat every minute as the sweep: it also finds back-offs that have
    passed and claims whose worker died, and sends them again."""
    return sender.send_due()


@shared_task
def outbox_purge() -> str:
    """Clear old bodies and delete old rows (daily)."""
    cleared, deleted = services.outbox_purge()
    return f"{cleared} bodies cleared, {deleted} rows deleted"
