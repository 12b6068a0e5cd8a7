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

from peerprog.core import export_files, import_jobs, password_reset
from peerprog.core.outbox.tasks import outbox_deliver, outbox_purge
from peerprog.core.privacy import subject_access_build as subject_access_jobs
from peerprog.core.reminders import services as reminder_services

__all__ = [
    "export_prepare",
    "exports_expire",
    "import_confirm_run",
    "import_preview_run",
    "imports_sweep",
    "outbox_deliver",
    "outbox_purge",
    "password_reset_request",
    "reminders_scan",
    "subject_access_build",
    "subject_access_expire",
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


@shared_task(acks_late=True)
def import_preview_run(pending_id: int) -> bool:
    """Check an uploaded file for its preview (claimed once)."""
    return import_jobs.import_preview_job(pending_id=pending_id)


@shared_task(acks_late=True)
def import_confirm_run(pending_id: int) -> bool:
    """Import a previewed file the person confirmed (claimed once)."""
    return import_jobs.import_confirm_job(pending_id=pending_id)


@shared_task
def imports_sweep() -> list[int]:
    """Mark import jobs whose worker died as stopped, and delete the files
    of stopped ones after a while."""
    stopped, deleted = import_jobs.imports_sweep()
    return [stopped, deleted]


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


@shared_task(acks_late=True)
def subject_access_build(request_id: int) -> bool:
    """Build a subject access request's archive (claimed once)."""
    return subject_access_jobs.subject_access_build_job(request_id=request_id)


@shared_task
def subject_access_expire() -> int:
    """Delete subject access archives kept longer than the days set."""
    return subject_access_jobs.subject_access_expire()
