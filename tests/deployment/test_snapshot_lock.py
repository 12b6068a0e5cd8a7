"""The scheduled snapshot takes the programme lock that an event's revision
takes, so a month is never taken from figures a revision is still writing."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import OperationalError, connection, connections, transaction

from deployment.snapshots import retention_snapshot_take
from peerprog.core.models import Programme

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_scheduled_snapshot_waits_for_a_revision_holding_the_programme(
    programme: Programme,
) -> None:
    locked = threading.Event()
    release = threading.Event()

    def revision_in_progress() -> None:
        try:
            with transaction.atomic():
                # What ``retention_snapshots_revise`` holds while it re-takes.
                list(
                    Programme.objects.select_for_update(no_key=True)
                    .filter(pk=programme.pk)
                    .values_list("pk", flat=True)
                )
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=revision_in_progress)
    holder.start()
    try:
        assert locked.wait(10)
        with pytest.raises(OperationalError, match="lock"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
            retention_snapshot_take(month=date(2026, 3, 1))
    finally:
        release.set()
        holder.join(10)
    # Once the revision has finished, the month is taken.
    retention_snapshot_take(month=date(2026, 3, 1))
