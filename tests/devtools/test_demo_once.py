"""The demo put back by ``seed_demo_once`` is the demo ``seed_demo`` seeds:
the same rows in every table, the same files in the private store and the
same accounts, services and summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.test import override_settings

from peerprog.core import storage
from peerprog.devtools.demo import DemoContext, seed_demo
from tests import demo_once


def _seeded(seed: Callable[[], DemoContext], root: Path) -> dict[str, Any]:
    """What a test sees after ``seed`` with the private store at ``root``,
    rolled back after it is read."""
    with override_settings(PRIVATE_STORAGE_ROOT=root), transaction.atomic():
        ctx = seed()
        seen = {
            "rows": {name: count for name, (count, _) in demo_once._table_state().items()},
            "files": sorted(
                (path.parent.name, len(path.read_bytes()) > 0)
                for path in Path(storage.configured().location).rglob("*")
                if path.is_file()
            ),
            "today": ctx.today,
            "programme": ctx.programme.name,
            "services": {name: service.site for name, service in ctx.services.items()},
            "users": {key: (user.email, user.full_name) for key, user in ctx.users.items()},
            "created": [user.email for user in ctx.created_users],
            "lines": ctx.lines,
            "signs_in": all(user.check_password(ctx.password) for user in ctx.users.values()),
        }
        transaction.set_rollback(True)
    return seen


def test_the_demo_put_back_has_every_row_file_and_account_of_the_demo_seeded(
    db: Any, tmp_path: Path
) -> None:
    seeded = _seeded(seed_demo, tmp_path / "seeded")
    # This seeds and records the demo, unless a test did already.
    _seeded(demo_once.seed_demo_once, tmp_path / "recorded")
    put_back = _seeded(demo_once.seed_demo_once, tmp_path / "put-back")

    assert put_back == seeded
    assert put_back["signs_in"]
    assert put_back["files"]
    assert sum(put_back["rows"].values()) > 1000
