"""The benchmark runs end to end at a small size so that it never rots.

It measures nothing here: it must finish, serve every page with 200 through
gunicorn, run its load steps, and produce the table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from peerprog.devtools.bench_load import most_rps_step, people_step
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

    def load_steps(port: int, programme: Any) -> dict[str, Any]:
        return {
            "people": people_step(
                port, programme, clients=4, seconds=3, think=(0.1, 0.3), floor_median_ms=10
            ),
            "most_rps": most_rps_step(port, programme, step_seconds=1, most_clients=2),
        }

    report = run_benchmark(size="smoke", requests_c1=4, requests_c4=8, load_steps=load_steps)
    json_path, md_path = write(report, tmp_path)

    labels = [page.label for page in report.pages]
    assert labels[:2] == ["Floor: About, signed in", "About, not signed in"]
    assert "People" in labels
    assert all(page.status == 200 for page in report.pages), report.pages
    # The floor passes every middleware of a signed-in page in at most four
    # queries (session, user with programme, roles, unread notifications).
    assert report.pages[0].queries <= 4
    assert report.pages[1].queries == 0
    # Each page's ratios are to the floor measured alongside it.
    assert all(page.floor_median_ms > 0 for page in report.pages)
    assert all(
        page.ratio == round(page.c1_median_ms / page.floor_median_ms, 2) for page in report.pages
    )
    people = report.load["people"]
    assert people["requests"] >= 4 and people["errors"] == 0
    assert [step["clients"] for step in report.load["most_rps"]["steps"]] == [1, 2]
    table = markdown(report)
    assert "| People |" in table
    assert "Floor (the About page signed in)" in table
    assert "signed-in clients" in table
    assert "Most requests per second" in table
    assert md_path.read_text() == table
    assert json_path.exists()
