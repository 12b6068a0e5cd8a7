"""python manage.py bench_hostile_files: how fast hostile import files are refused."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from peerprog.devtools.bench_hostile_files import report


class Command(BaseCommand):
    help = "Time the refusal of each hostile import file and its peak memory (prints a table)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(report())
