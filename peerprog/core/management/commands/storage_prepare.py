"""``manage.py storage_prepare``: make the private store ready (its Azure
container or S3 bucket created, never public) and check that a file can be
written, read and deleted. Run once on deployment, beside ``migrate``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerprog.core.storage import store_prepare


class Command(BaseCommand):
    help = "Create the private file store when missing and check it can keep files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--wait",
            type=int,
            default=0,
            help="Keep trying for this many seconds while the store is not yet answering.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        deadline = time.monotonic() + options["wait"]
        while True:
            try:
                where = store_prepare()
                break
            except Exception as exc:
                if time.monotonic() >= deadline:
                    raise CommandError(f"The private store cannot keep files: {exc}") from exc
                time.sleep(2)
        self.stdout.write(f"The private store ({where}) keeps, gives back and deletes files.")
