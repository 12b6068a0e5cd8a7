"""The benchmark runs end to end at a small size so that it never rots.

It measures nothing here: it must finish, serve every page with 200 through
gunicorn, and produce the table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from peerprog.devtools.benchmark import markdown, run_benchmark, write
from tests.conftest import World


@pytest.mark.django_db(transaction=True)
def test_benchmark_produces_the_table(world: World, tmp_path: Path, monkeypatch: Any) -> None:
    settings_dict = connection.settings_dict
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}",
    )
    report = run_benchmark(size="smoke", requests_c1=4, requests_c4=8)
    json_path, md_path = write(report, tmp_path)

    labels = [page.label for page in report.pages]
    assert labels[0].startswith("Trivial page")
    assert "People" in labels
    assert all(page.status == 200 for page in report.pages), report.pages
    assert report.pages[0].queries == 0
    table = markdown(report)
    assert "| People |" in table
    assert md_path.read_text() == table
    assert json_path.exists()
