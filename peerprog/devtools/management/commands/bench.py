"""python manage.py bench: measure every main page against a trivial page."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from peerprog.core.models import Programme
from peerprog.devtools.bench_load import most_rps_step, people_step
from peerprog.devtools.bench_tasks import export_figures, measure_export, task_figures
from peerprog.devtools.benchmark import (
    FLOOR,
    load,
    markdown,
    run_benchmark,
    session_cookie,
    task_tables,
    user_for,
    write,
)


class Command(BaseCommand):
    help = "Serve the app with gunicorn and measure its main pages (prints a markdown table)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--size", default="current", help="A label for the data set.")
        parser.add_argument("--requests-c1", type=int, default=100)
        parser.add_argument("--requests-c4", type=int, default=80)
        parser.add_argument(
            "--seconds",
            type=float,
            default=15.0,
            help="At most this long per page and concurrency.",
        )
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench-results"))
        parser.add_argument(
            "--skip-tasks",
            action="store_true",
            help="Measure pages only (no exports, reminder scans or retention snapshot).",
        )
        parser.add_argument(
            "--load",
            action="store_true",
            help="After the pages, the load steps: many signed-in clients at once.",
        )
        parser.add_argument("--load-clients", type=int, default=50)
        parser.add_argument("--load-seconds", type=float, default=60.0)
        parser.add_argument(
            "--exports-only",
            action="store_true",
            help="Measure the exports only: 100,000 rows and the mentor meetings, CSV and XLSX.",
        )
        # Used by the benchmark itself: one export in a fresh process.
        parser.add_argument(
            "--measure-export",
            choices=["csv", "xlsx", "meetings-csv", "meetings-xlsx"],
            help=argparse.SUPPRESS,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if options["measure_export"]:
            out.mkdir(parents=True, exist_ok=True)
            file_format = options["measure_export"]
            figures = measure_export(file_format, out / f"export-bench.{file_format}")
            self.stdout.write(json.dumps(figures))
            return
        if options["exports_only"]:
            figures = export_figures(out)
            path = out / f"bench-exports-{options['size']}.json"
            path.write_text(json.dumps(figures, indent=2))
            self.stdout.write(f"Exports at size **{options['size']}**")
            self.stdout.write("\n".join(task_tables({"exports": figures})))
            self.stdout.write(f"Written to {path}")
            return
        report = run_benchmark(
            size=options["size"],
            requests_c1=options["requests_c1"],
            requests_c4=options["requests_c4"],
            seconds=options["seconds"],
            extra=None if options["skip_tasks"] else lambda: task_figures(out),
            load_steps=(
                (lambda port, programme: self.load_steps(port, programme, options))
                if options["load"]
                else None
            ),
        )
        json_path, md_path = write(report, out)
        self.stdout.write(markdown(report))
        self.stdout.write(f"Written to {json_path} and {md_path}")

    def load_steps(
        self, port: int, programme: Programme, options: dict[str, Any]
    ) -> dict[str, Any]:
        """The people step and the most-requests step, with the floor measured
        again just before them (the floor of the pages' table is measured
        first, minutes earlier)."""
        self.stdout.write("Load steps...")
        floor_url = FLOOR.url(programme)
        assert floor_url is not None
        cookie = session_cookie(user_for(programme, FLOOR.role))
        floor = load(port, floor_url, cookie, 1, 40, 10.0)
        return {
            "people": people_step(
                port,
                programme,
                clients=options["load_clients"],
                seconds=options["load_seconds"],
                floor_median_ms=floor["median_ms"],
            ),
            "most_rps": most_rps_step(port, programme),
        }
