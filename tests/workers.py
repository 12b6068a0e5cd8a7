"""Real Celery workers and beats on Redis, for tests marked ``worker``.

``Workers`` starts ``celery -A peerprog worker`` subprocesses on the test
database and this run's Redis database, each in its own process group so a
test can kill it and its pool at once with SIGKILL, as when a machine dies.
Their e-mail goes where the fixture says: files in ``mail_dir``
(``workers``) or the test SMTP server (``smtp_workers``, see
``tests/mailserver.py``). ``Beats`` starts ``celery beat`` processes on
django-celery-beat's database scheduler, as in production.

    def test_something(transactional_db, smtp_workers, mail_server):
        doomed = smtp_workers.start(pause_at="accepted", pause_seconds=30)
        mail_server.wait_for(lambda: mail_server.accepted, "a message")
        smtp_workers.kill(doomed)
        smtp_workers.start()
        smtp_workers.wait_for(lambda: ..., "what the test waits for")

Workers run with a short visibility timeout, lease and time limits
(``WORKER_ENV``). Tasks queued by the test itself go to Redis (the
``celery_tasks_run_in_the_test`` fixture leaves tests marked ``worker``
alone), and both fixtures empty the queue before and after the test.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.mailserver import MailServer

DEADLINE_SECONDS = 20
LEASE_SECONDS = 3
WORKER_ENV = {
    "CELERY_VISIBILITY_TIMEOUT": "8",
    "CELERY_TASK_TIME_LIMIT": "6",
    "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
    "OUTBOX_RETRY_SECONDS": "1",
}
# Where a worker started with ``pause_at`` stops for ``pause_seconds``, so
# that a test can kill it there: before connecting to the mail server, or
# after the server's 250 to a message and before the commit that marks it
# accepted. (At "data" the worker does not pause: the test makes the mail
# server hold its answer to DATA with ``mail_server.delay``.)
PAUSE_POINTS = ("connect", "data", "accepted")
# Kombu's keys for the default queue and for delivered but unacknowledged
# tasks in this test's own Redis database.
QUEUE_KEYS = ("celery", "unacked", "unacked_index", "unacked_mutex")


def worker_database_url() -> str:
    """DATABASE_URL of the database pytest-django made for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def clear_queue() -> None:
    redis.Redis.from_url(settings.REDIS_URL).delete(*QUEUE_KEYS)


def queued() -> int:
    return int(redis.Redis.from_url(settings.REDIS_URL).llen("celery"))


def celery_env(email_url: str, extra: Mapping[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        **WORKER_ENV,
        **extra,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": email_url,
        "PEERPROG_TESTING": "1",
    }


def celery_process(
    arguments: list[str], env: Mapping[str, str], log: Path
) -> subprocess.Popen[bytes]:
    celery = Path(sys.executable).parent / "celery"
    with log.open("ab") as output:
        return subprocess.Popen(
            [str(celery), "-A", "peerprog", *arguments],
            cwd=settings.BASE_DIR,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own process group, so a test can kill it and its pool at
            # once, as when a machine dies.
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """TERM (a warm shutdown), then KILL if it does not end in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(
    condition: Callable[[], bool],
    what: str,
    log: Path,
    timeout: float = DEADLINE_SECONDS,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"Waited {timeout} s for {what}. Log:\n{log.read_text()}")


class Workers:
    """Worker subprocesses sharing one log (``worker.log``)."""

    def __init__(self, tmp_path: Path, *, email_url: str) -> None:
        self.tmp_path = tmp_path
        self.email_url = email_url
        self.processes: list[subprocess.Popen[bytes]] = []
        self.log = tmp_path / "worker.log"
        self.log.touch()

    def start(
        self,
        concurrency: int = 1,
        *,
        pause_at: str | None = None,
        pause_seconds: float = 30,
        **extra_env: str,
    ) -> subprocess.Popen[bytes]:
        """Start a worker; ``extra_env`` adds to its environment (settings
        read from it), ``pause_at`` makes it stop at one of PAUSE_POINTS."""
        if pause_at is not None:
            assert pause_at in PAUSE_POINTS, pause_at
            extra_env["PEERPROG_TEST_PAUSE_AT"] = pause_at
            extra_env["PEERPROG_TEST_PAUSE_SECONDS"] = str(pause_seconds)
        process = celery_process(
            [
                "worker",
                f"--concurrency={concurrency}",
                "-l",
                "info",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            celery_env(self.email_url, extra_env),
            self.log,
        )
        self.processes.append(process)
        return process

    def wait_ready(self) -> None:
        """Until every worker started so far has said it is ready."""
        self.wait_for(
            lambda: self.log.read_text().count(" ready.") >= len(self.processes),
            "the workers to be ready",
        )

    def kill(self, process: subprocess.Popen[bytes]) -> datetime:
        """SIGKILL the worker and its pool; returns when it was certainly
        dead (wall clock): the kill itself fell a moment before."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return datetime.now(UTC)

    def kill_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)

    def unfinished(self) -> int:
        """Tasks the workers received and have not finished (any outcome)."""
        received, finished = set(), set()
        for line in self.log.read_text().splitlines():
            found = re.search(
                r"Task [\w.]+\[([0-9a-f-]+)\] (received|succeeded|raised|retry)", line
            )
            if found:
                (received if found[2] == "received" else finished).add(found[1])
        return len(received - finished)

    def succeeded(self, task: str, module: str = "peerprog.core.tasks") -> list[str]:
        return [
            line
            for line in self.log.read_text().splitlines()
            if f"{module}.{task}[" in line and " succeeded " in line
        ]

    def wait_for(
        self, condition: Callable[[], bool], what: str, timeout: float = DEADLINE_SECONDS
    ) -> None:
        wait_for(condition, what, self.log, timeout)


class Beat:
    """One ``celery beat`` on the database scheduler, with its own log."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = celery_process(
            ["beat", "-l", "info", "-S", "django", "--max-interval", "1"],
            # Beat sends no e-mail itself.
            celery_env("dummy://", {}),
            self.log,
        )

    def sent(self, name: str) -> int:
        """How many times this beat queued the periodic task ``name``."""
        if not self.log.exists():
            return 0
        return self.log.read_text().count(f"Sending due task {name} (")

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


class Beats:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.started: list[Beat] = []

    def start(self) -> Beat:
        beat = Beat(self.tmp_path / f"beat-{len(self.started) + 1}.log")
        self.started.append(beat)
        beat.start()
        return beat

    def stop_all(self) -> None:
        for beat in self.started:
            beat.stop()


class Figures:
    """Tables of figures tests measured, printed in the summary at the end of
    the run (whether or not output is captured) and written to
    ``figures.txt`` in the run's temporary directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tables: dict[str, list[dict[str, object]]] = {}

    def add(self, table: str, **row: object) -> None:
        self.tables.setdefault(table, []).append(row)
        self.path.write_text(self.render())

    def render(self) -> str:
        lines: list[str] = []
        for title, rows in self.tables.items():
            columns = list(dict.fromkeys(key for row in rows for key in row))
            cells = [[str(row.get(c, "")) for c in columns] for row in rows]
            widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
            lines += [title, "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
            lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
            lines.append("")
        return "\n".join(lines)


FIGURES = pytest.StashKey[Figures]()


@pytest.fixture(scope="session")
def figures(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Figures:
    if FIGURES not in request.config.stash:
        request.config.stash[FIGURES] = Figures(tmp_path_factory.getbasetemp() / "figures.txt")
    return request.config.stash[FIGURES]


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    found = config.stash.get(FIGURES, None)
    if found is not None and found.tables:
        terminalreporter.write_sep("-", f"figures (also in {found.path})")
        terminalreporter.write_line(found.render())


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


def _pool(workers: Workers) -> Iterator[Workers]:
    assert settings.REDIS_URL, "Worker tests need REDIS_URL (scripts/test.sh sets it)."
    clear_queue()
    yield workers
    # The test is over: no need to wait for a warm shutdown.
    workers.kill_all()
    clear_queue()


@pytest.fixture
def workers(tmp_path: Path, mail_dir: Path) -> Iterator[Workers]:
    """Workers that write e-mail as files into ``mail_dir``."""
    yield from _pool(Workers(tmp_path, email_url=f"file://{mail_dir}"))


@pytest.fixture
def smtp_workers(tmp_path: Path, mail_server: MailServer) -> Iterator[Workers]:
    """Workers that send e-mail to the test SMTP server ``mail_server``."""
    yield from _pool(Workers(tmp_path, email_url=mail_server.url))


@pytest.fixture
def beats(tmp_path: Path) -> Iterator[Beats]:
    """Beat processes, stopped at the end of the test. Ask for it after the
    workers fixture, so beats stop first."""
    pool = Beats(tmp_path)
    yield pool
    pool.stop_all()
