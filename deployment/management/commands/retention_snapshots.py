"""python manage.py retention_snapshots [--since 2024-01] [--until 2026-10]

Backfills the monthly retention snapshots from the records: every month from
``--since`` (by default the month of the earliest start in a peer post) to
``--until`` (by default the month just ended). Months already taken are left
as they are, so running it again changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from deployment.snapshots import (
    first_month_on_record,
    month_end,
    previous_month,
    retention_snapshot_take,
)
from peerprog.core.services import DomainError


def _month(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(f"Give a month as YYYY-MM, not {value!r}.") from exc


class Command(BaseCommand):
    help = "Write the retention snapshots of past months that have none yet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--since", type=_month, help="First month, YYYY-MM.")
        parser.add_argument("--until", type=_month, help="Last month, YYYY-MM.")

    def handle(self, *args: Any, **options: Any) -> None:
        until = options["until"] or previous_month()
        since = options["since"] or first_month_on_record()
        if since is None:
            self.stdout.write("No one has started in a peer post yet: nothing to snapshot.")
            return
        if since > until:
            raise CommandError("--since must not be after --until.")
        month = since
        total = 0
        while month <= until:
            try:
                written = retention_snapshot_take(month=month)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            total += written
            state = f"{written} rows written" if written else "already taken, nothing written"
            self.stdout.write(f"{month:%B %Y}: {state}")
            month = month_end(month) + timedelta(days=1)
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows written."))
