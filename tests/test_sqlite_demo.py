"""The demo runs anywhere: without PostgreSQL or Redis, on an embedded
SQLite file, every demo user can open every page they are offered."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from peerprog.devtools.demo import DEMO_USERS, demo_email

ROOT = Path(__file__).resolve().parent.parent


def _run(env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, (
        f"{' '.join(args)} failed ({completed.returncode}):\n"
        f"{completed.stdout[-5000:]}\n{completed.stderr[-5000:]}"
    )
    return completed.stdout


def test_the_sqlite_demo_seeds_once_and_every_offered_page_opens(tmp_path: Path) -> None:
    # A clean environment: no DATABASE_URL, no REDIS_URL, nothing from pytest.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DEBUG": "true",
        "SQLITE_PATH": str(tmp_path / "demo.sqlite3"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }

    _run(env, "manage.py", "migrate", "--verbosity", "0")
    first = _run(env, "manage.py", "seed_demo")
    assert "Demo accounts created" in first
    counts_after_first = json.loads(_run(env, "-m", "tests.smoke.counts"))
    second = _run(env, "manage.py", "seed_demo")
    assert "Demo accounts created" not in second
    counts_after_second = json.loads(_run(env, "-m", "tests.smoke.counts"))
    changed = {
        label: (count, counts_after_second[label])
        for label, count in counts_after_first.items()
        if counts_after_second[label] != count
    }
    assert not changed, f"The second seed_demo changed these counts: {changed}"
    assert counts_after_first["core.User"] >= 10

    crawl = _run(env, "-m", "tests.smoke.crawl")
    pages = {
        email: int(count)
        for email, count in re.findall(r"^CRAWLED (\S+) (\d+)", crawl, flags=re.MULTILINE)
    }
    demo_users = {demo_email(key) for key, *_ in DEMO_USERS}
    demo_users |= {demo_email("southvale-lead"), demo_email("sysadmin")}
    assert demo_users <= set(pages), crawl
    # Everyone has at least home, notifications and changing their password;
    # the lead and the admin have far more.
    assert all(count >= 3 for count in pages.values()), pages
    assert pages["lead@demo.peerprog.invalid"] >= 6, pages
    assert pages["admin@demo.peerprog.invalid"] >= 5, pages
    assert "200 /people/" in crawl
    assert "200 /audit/" in crawl
