"""The import benchmark prints a line for every hostile file, each refused."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from peerprog.devtools.hostile_files import HOSTILE


def test_the_import_benchmark_times_every_hostile_file_and_each_is_refused() -> None:
    out = StringIO()
    call_command("bench_hostile_files", stdout=out)
    lines = out.getvalue().splitlines()
    for label in HOSTILE:
        line = next(line for line in lines if line.startswith(label))
        assert "refused: " in line
        assert " s " in line and " MB " in line
