"""The retention schedule's monthly listing, run by django-celery-beat."""

from __future__ import annotations

from celery import shared_task


@shared_task
def retention_list_due() -> dict[str, int]:
    """List the records whose time has come. Changes no record: the data
    protection officer reviews the list and approves."""
    from peerprog.core.privacy.retention_services import retention_list_due as list_due

    return list_due()
