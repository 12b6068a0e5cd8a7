"""python manage.py bench: measure every main page against a trivial page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from peerprog.dashboard.benchmark import markdown, run_benchmark, write


class Command(BaseCommand):
    help = "Serve the app with gunicorn and measure its main pages (prints a markdown table)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--size", default="current", help="A label for the data set.")
        parser.add_argument("--requests-c1", type=int, default=40)
        parser.add_argument("--requests-c4", type=int, default=80)
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench-results"))

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_benchmark(
            size=options["size"],
            requests_c1=options["requests_c1"],
            requests_c4=options["requests_c4"],
        )
        json_path, md_path = write(report, Path(options["out"]))
        self.stdout.write(markdown(report))
        self.stdout.write(f"Written to {json_path} and {md_path}")
