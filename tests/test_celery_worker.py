"""A notification e-mail travels through Redis to a real Celery worker, and
is sent once however often its task is delivered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

from peerprog.celery import app
from peerprog.core.models import Notification, OutboxEmail
from peerprog.core.services import notify
from peerprog.core.tasks import outbox_deliver
from tests.core.factories import UserFactory

pytestmark = pytest.mark.worker

DEADLINE_SECONDS = 30
TASK_NAME = "peerprog.core.outbox.tasks.outbox_deliver"


def worker_database_url() -> str:
    """DATABASE_URL for the database pytest-django made for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def wait_for(condition: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Waited {DEADLINE_SECONDS} s for {what}. Worker log:\n{log.read_text()}")


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def start_worker(tmp_path: Path, mail_dir: Path) -> Iterator[Callable[[], Path]]:
    """Starts `celery -A peerprog worker` on the test database and Redis;
    stops it with TERM (a warm shutdown) at the end of the test."""
    processes: list[subprocess.Popen[bytes]] = []
    log = tmp_path / "worker.log"

    def start() -> Path:
        env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_URL": f"file://{mail_dir}",
            "PEERPROG_TESTING": "1",
        }
        celery = Path(sys.executable).parent / "celery"
        with log.open("wb") as output:
            processes.append(
                subprocess.Popen(
                    [str(celery), "-A", "peerprog", "worker", "--concurrency=1", "-l", "info"],
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            )
        return log

    yield start

    for process in processes:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sent_messages(mail_dir: Path) -> list[str]:
    return [path.read_text() for path in sorted(mail_dir.iterdir())]


def finished_lines(log: Path) -> list[str]:
    return [
        line for line in log.read_text().splitlines() if TASK_NAME in line and "succeeded" in line
    ]


def test_a_notification_email_is_sent_once_by_a_real_worker(
    transactional_db: Any, start_worker: Callable[[], Path], mail_dir: Path
) -> None:
    assert settings.REDIS_URL, "The worker test needs REDIS_URL (scripts/test.sh sets it)."
    assert app.conf.task_always_eager is False
    assert app.conf.broker_url.startswith("redis://")
    queue = redis.Redis.from_url(settings.REDIS_URL)
    app.control.purge()
    recipient = UserFactory(email="mentor.worker@example.org", full_name="Morgan Mentor")

    notification = notify(
        recipient=recipient,
        key="worker-test",
        title="Your mentor meeting is due",
        link="/notifications/",
        email=True,
    )

    # The site queued the task in Redis; nothing has sent it yet.
    assert notification is not None
    assert queue.llen("celery") == 1
    email = Notification.objects.get(pk=notification.pk).email
    assert email.state == OutboxEmail.State.QUEUED

    log = start_worker()
    wait_for(
        lambda: (
            OutboxEmail.objects.get(pk=email.pk).state == OutboxEmail.State.ACCEPTED
            and bool(sent_messages(mail_dir))
        ),
        "the worker to send the e-mail",
        log,
    )
    accepted_at = OutboxEmail.objects.get(pk=email.pk).accepted_at

    outbox_deliver.delay()
    wait_for(lambda: len(finished_lines(log)) == 2, "the repeated delivery to run", log)

    # The second delivery found nothing due and sent nothing.
    assert [line.endswith(": 0") for line in finished_lines(log)] == [False, True]
    messages = sent_messages(mail_dir)
    assert len(messages) == 1
    assert messages[0].count("Subject: [peerprog] Your mentor meeting is due") == 1
    assert "To: mentor.worker@example.org" in messages[0]
    assert f"Message-ID: {email.message_id}" in messages[0]
    assert OutboxEmail.objects.get(pk=email.pk).accepted_at == accepted_at
