"""python manage.py bench_imports [--sizes 5000,50000]

Previews and imports files of applications through the import jobs and
prints, for each size, the seconds each took and the process's peak memory
(each size in a fresh process). See ``peerprog.devtools.bench_imports``.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from peerprog.devtools.bench_imports import SIZES, import_figures, measure


class Command(BaseCommand):
    help = "Time and peak memory of previewing and importing many applications."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES))
        parser.add_argument("--measure", type=int, default=0, help="Measure one size here.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["measure"]:
            self.stdout.write(json.dumps(measure(options["measure"])))
            return
        sizes = tuple(int(size) for size in options["sizes"].split(","))
        self.stdout.write("Imports of applications (each size in its own process)")
        for figures in import_figures(sizes):
            self.stdout.write(
                f"{figures['rows']:>7,} rows ({figures['file_mb']} MB CSV): "
                f"preview {figures['preview_s']:6.1f} s "
                f"({figures['preview_cpu_s']:.1f} s CPU), "
                f"peak {figures['preview_peak_mb']:5.0f} MB; "
                f"import {figures['confirm_s']:6.1f} s "
                f"({figures['confirm_cpu_s']:.1f} s CPU), "
                f"peak {figures['confirm_peak_mb']:5.0f} MB "
                f"(before: {figures['baseline_mb']:.0f} MB). {figures['result']}"
            )
