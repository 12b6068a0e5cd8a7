"""The demo seeded once per test run, and put back as it was wherever a test
asks for it again.

Seeding the demo costs many seconds (thousands of queries, full_clean and
history on every record); many tests only need its data. ``seed_demo_once``
seeds it for real the first time a test run asks for it (for each date and
password), and records everything the seeding did:

- the rows it added to each table (``COPY`` of every table it wrote to) and
  where it left each sequence;
- the files it wrote to the private store;
- the cache entries it set (the retention figures' change marks);
- the work it left for after the commit (``on_commit``: the dashboard's
  refresh, the figures' marks, the outbox's delivery).

When a later test asks for the same demo and the database is as it was before
that first seeding (every table's rows the same: after a browser test's flush,
or in a test's rolled-back transaction), the rows are copied back, the
sequences moved on past them, the files written to the store the test uses,
the cache entries set and the same work queued for the commit: the test then
sees what ``seed_demo`` would have given it, in a fraction of the time. In any
other state (a test that made records first) it seeds for real.

Tests of seeding itself (that seeding twice changes nothing, that a failed
step leaves nothing) call ``seed_demo`` as before.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.utils import timezone

from peerprog.core import storage
from peerprog.core.models import Programme, Service, User
from peerprog.devtools.demo import DemoContext, seed_demo

# Each table's rows, as few characters: how many and a digest of them.
_STATE_SQL = (
    "SELECT {name}::text, count(*), "
    "md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {table} t"
)
_SEQUENCES_SQL = (
    "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences "
    "WHERE schemaname = current_schema()"
)


@dataclass
class _Snapshot:
    """What one real seeding did, to be done again by copying."""

    before: dict[str, tuple[int, str]]
    tables: dict[str, bytes]
    sequences: dict[str, int]
    files: dict[str, bytes]
    cache_entries: dict[bytes, tuple[bytes, int]]
    on_commit: list[tuple[Any, bool]]
    today: date
    password: str
    programme: int
    services: dict[str, int]
    users: dict[str, int]
    created_users: list[int]
    lines: list[str]
    domain: str
    other_programme_name: str


_snapshots: dict[tuple[date, str | None, str], _Snapshot] = {}


def seed_demo_once(*, today: date | None = None, password: str | None = None) -> DemoContext:
    """``seed_demo(today=..., password=...)``, copied from the first seeding
    of this test run when the database is as it was before that one."""
    today = today or timezone.localdate()
    if connection.vendor != "postgresql" or not isinstance(
        storage.configured(), storage.LocalPrivateStorage
    ):
        return seed_demo(today=today, password=password)
    before = _table_state()
    key = (today, password, _digest(before))
    snapshot = _snapshots.get(key)
    if snapshot is not None:
        return _restore(snapshot)
    ctx, snapshot = _seed_and_record(before, today=today, password=password)
    if snapshot is not None:
        _snapshots[key] = snapshot
    return ctx


def _digest(state: dict[str, tuple[int, str]]) -> str:
    return ";".join(f"{name}:{count}:{md5}" for name, (count, md5) in sorted(state.items()))


def _tables() -> list[str]:
    """Every table but the study tables' record of writes, which any write
    (the copy's own too) adds to."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format('%I', tablename) FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename <> 'dashboard_report_change' "
            "ORDER BY tablename"
        )
        return [row[0] for row in cursor.fetchall()]


def _table_state() -> dict[str, tuple[int, str]]:
    tables = _tables()
    sql = " UNION ALL ".join(
        _STATE_SQL.format(name=_literal(table), table=table) for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {name: (count, md5) for name, count, md5 in cursor.fetchall()}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sequences() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(_SEQUENCES_SQL)
        return {name: value for name, value in cursor.fetchall() if value is not None}


def _files(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def _cache_client() -> Any:
    return caches["default"]._cache.get_client(None, write=True)


def _cache_entries() -> dict[bytes, tuple[bytes, int]]:
    if not isinstance(caches["default"], RedisCache):
        return {}
    client = _cache_client()
    entries = {}
    for name in client.scan_iter(match=cache.make_key("*")):
        value, ttl = client.get(name), client.pttl(name)
        if value is not None:
            entries[name] = (value, ttl)
    return entries


def _seed_and_record(
    before: dict[str, tuple[int, str]], *, today: date, password: str | None
) -> tuple[DemoContext, _Snapshot | None]:
    """Seed for real, recording what it did (no record where it cannot be
    copied: it changed rows that were there before)."""
    root = Path(storage.configured().location)
    files_before = _files(root)
    cache_before = _cache_entries()
    sequences_before = _sequences()
    with transaction.atomic():
        pending = len(connection.run_on_commit)
        ctx = seed_demo(today=today, password=password)
        on_commit = [(func, robust) for _, func, robust in connection.run_on_commit[pending:]]
        after = _table_state()
        changed = [name for name in after if after[name] != before.get(name)]
        if any(before.get(name, (0, ""))[0] for name in changed):
            return ctx, None
        tables = {}
        with connection.cursor() as cursor:
            for name in changed:
                buffer = io.BytesIO()
                cursor.cursor.copy_expert(f"COPY {name} TO STDOUT", buffer)
                tables[name] = buffer.getvalue()
        sequences = {
            name: value
            for name, value in _sequences().items()
            if sequences_before.get(name) != value
        }
        # As seeding left them, before its work queued for the commit runs.
        files = {
            name: data for name, data in _files(root).items() if files_before.get(name) != data
        }
        cache_entries = {
            name: entry
            for name, entry in _cache_entries().items()
            if cache_before.get(name) != entry
        }
    return ctx, _Snapshot(
        before=before,
        tables=tables,
        sequences=sequences,
        files=files,
        cache_entries=cache_entries,
        on_commit=on_commit,
        today=ctx.today,
        password=ctx.password,
        programme=ctx.programme.pk,
        services={name: service.pk for name, service in ctx.services.items()},
        users={key: user.pk for key, user in ctx.users.items()},
        created_users=[user.pk for user in ctx.created_users],
        lines=list(ctx.lines),
        domain=ctx.domain,
        other_programme_name=ctx.other_programme_name,
    )


def _restore(snapshot: _Snapshot) -> DemoContext:
    root = Path(storage.configured().location)
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name, data in snapshot.tables.items():
                cursor.cursor.copy_expert(f"COPY {name} FROM STDIN", io.BytesIO(data))
            current = _sequences()
            for name, value in snapshot.sequences.items():
                if current.get(name, 0) < value:
                    cursor.execute("SELECT setval(%s, %s)", [name, value])
        for name, data in snapshot.files.items():
            path = root / name
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.write_bytes(data)
            os.chmod(path, 0o600)
        if snapshot.cache_entries and isinstance(caches["default"], RedisCache):
            client = _cache_client()
            for name, (value, ttl) in snapshot.cache_entries.items():
                client.set(name, value, px=ttl if ttl > 0 else None)
        # Last, as seeding queued them: they run when the test's data is
        # committed (never, in a rolled-back test).
        for func, robust in snapshot.on_commit:
            transaction.on_commit(func, robust=robust)
    return _context(snapshot)


def _context(snapshot: _Snapshot) -> DemoContext:
    services = Service.objects.in_bulk(snapshot.services.values())
    users = User.objects.in_bulk([*snapshot.users.values(), *snapshot.created_users])
    return DemoContext(
        today=snapshot.today,
        programme=Programme.objects.get(pk=snapshot.programme),
        services={name: services[pk] for name, pk in snapshot.services.items()},
        users={key: users[pk] for key, pk in snapshot.users.items()},
        password=snapshot.password,
        created_users=[users[pk] for pk in snapshot.created_users],
        lines=list(snapshot.lines),
        domain=snapshot.domain,
        other_programme_name=snapshot.other_programme_name,
    )
