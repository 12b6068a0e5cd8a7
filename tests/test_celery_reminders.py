"""Background work through Redis and real Celery workers: a reminder sent
once when the scan runs twice at the same time, sent once after a worker is
killed in the middle of a send, and never queued from a transaction that
rolled back; a retention snapshot month run twice at once writes one set.

The workers run with a short visibility timeout, lease and time limits, and
write e-mail as files into a directory this test reads.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from peerprog.core.models import Notification, Programme, Reminder, Role, User
from peerprog.core.reminders import services
from peerprog.core.reminders.registry import ReminderSpec
from peerprog.core.tasks import reminder_send, reminders_dispatch, reminders_scan
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.training.factories import CohortFactory, assessor, enrol, set_assessors
from training.models import CohortTraining

pytestmark = pytest.mark.worker

DEADLINE_SECONDS = 20
LEASE_SECONDS = 3
WORKER_ENV = {
    "CELERY_VISIBILITY_TIMEOUT": "8",
    "CELERY_TASK_TIME_LIMIT": "6",
    "REMINDER_LEASE_SECONDS": str(LEASE_SECONDS),
    "REMINDER_SEND_TIME_LIMIT": "2",
}
# Kombu's keys for the default queue and for delivered but unacknowledged
# tasks in this test's own Redis database.
QUEUE_KEYS = ("celery", "unacked", "unacked_index", "unacked_mutex")


def worker_database_url() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


class Workers:
    def __init__(self, tmp_path: Path, mail_dir: Path) -> None:
        self.tmp_path = tmp_path
        self.mail_dir = mail_dir
        self.processes: list[subprocess.Popen[bytes]] = []
        self.log = tmp_path / "worker.log"

    def start(self, concurrency: int = 1, **extra_env: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            **WORKER_ENV,
            **extra_env,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_URL": f"file://{self.mail_dir}",
            "PEERPROG_TESTING": "1",
        }
        celery = Path(sys.executable).parent / "celery"
        with self.log.open("ab") as output:
            process = subprocess.Popen(
                [
                    str(celery),
                    "-A",
                    "peerprog",
                    "worker",
                    f"--concurrency={concurrency}",
                    "-l",
                    "info",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                # Its own process group, so a test can kill it and its pool
                # at once, as when a machine dies.
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=DEADLINE_SECONDS)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

    def succeeded(self, task: str, module: str = "peerprog.core.tasks") -> list[str]:
        return [
            line
            for line in self.log.read_text().splitlines()
            if f"{module}.{task}[" in line and " succeeded " in line
        ]

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.05)
        pytest.fail(f"Waited {DEADLINE_SECONDS} s for {what}. Worker log:\n{self.log.read_text()}")


def clear_queue() -> None:
    redis.Redis.from_url(settings.REDIS_URL).delete(*QUEUE_KEYS)


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def workers(tmp_path: Path, mail_dir: Path) -> Iterator[Workers]:
    assert settings.REDIS_URL, "Worker tests need REDIS_URL (scripts/test.sh sets it)."
    clear_queue()
    pool = Workers(tmp_path, mail_dir)
    yield pool
    pool.stop_all()
    clear_queue()


def mails(mail_dir: Path) -> list[str]:
    return [path.read_text() for path in sorted(mail_dir.iterdir())]


def queued() -> int:
    return int(redis.Redis.from_url(settings.REDIS_URL).llen("celery"))


def overdue_course(programme: Programme) -> tuple[User, User, Any]:
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    facilitator = assessor(programme, "Ruth Facilitator", roles=[Role.FACILITATOR])
    cohort = CohortFactory(programme=programme)
    set_assessors(cohort, facilitator, assessor(programme, "Martin Inclusion"))
    enrolment = enrol(cohort, email_allowed=True)
    CohortTraining.objects.filter(cohort=cohort).update(
        final_due=timezone.localdate() - timedelta(days=1)
    )
    return lead, facilitator, enrolment


def test_a_scan_triggered_twice_at_once_sends_each_reminder_once(
    transactional_db: Any, workers: Workers, mail_dir: Path
) -> None:
    lead, facilitator, enrolment = overdue_course(ProgrammeFactory())

    reminders_scan.delay("training")
    reminders_scan.delay("training")
    assert queued() == 2
    workers.start(concurrency=2)

    def all_done() -> bool:
        dispatched = [
            int(re.findall(r": (\d+)$", line)[0])
            for line in workers.succeeded("reminders_dispatch")
        ]
        return (
            len(workers.succeeded("reminders_scan")) == 2
            and len(dispatched) == 2
            and len(workers.succeeded("reminder_send")) == sum(dispatched)
            and queued() == 0
        )

    workers.wait_for(all_done, "both scans and every send they queued to finish")

    reminders = Reminder.objects.filter(kind="training.final_overdue")
    assert reminders.count() == 3
    assert set(reminders.values_list("status", flat=True)) == {Reminder.Status.SENT}
    sent = [m for m in mails(mail_dir) if "final portfolio was due" in m]
    assert len(sent) == 3
    addressed = sorted(re.findall(r"^To: (.+)$", "\n".join(sent), flags=re.M))
    assert addressed == sorted([lead.email, facilitator.email, enrolment.person.email])
    assert (
        Notification.objects.filter(key__startswith="reminder:training.final_overdue").count() == 2
    )


def reminder_for(user: User) -> Reminder:
    services.reminders_raise(
        specs=[
            ReminderSpec(
                kind="training.final_overdue",
                object_type="training.enrolment",
                object_id=1,
                period="2026-03-02",
                title="Final portfolio overdue",
                email_line="A trainee's final portfolio was due on 2 March 2026.",
                link="/training/",
                user_id=user.pk,
            )
        ]
    )
    return Reminder.objects.get(recipient_user=user)


def test_a_worker_killed_in_the_middle_of_a_send_leaves_it_to_be_sent_once_after_restart(
    transactional_db: Any, workers: Workers, mail_dir: Path
) -> None:
    recipient = UserFactory(email="mentor.killed@example.org")
    reminder = reminder_for(recipient)  # queues the dispatch on commit
    assert queued() == 1

    # This worker pauses after claiming the reminder and is killed there.
    doomed = workers.start(PEERPROG_TEST_SEND_DELAY="30")
    workers.wait_for(
        lambda: Reminder.objects.get(pk=reminder.pk).attempts == 1, "the worker to claim the send"
    )
    workers.kill(doomed)
    claimed = Reminder.objects.get(pk=reminder.pk)
    assert claimed.status == Reminder.Status.PENDING
    assert claimed.claimed_until is not None
    assert mails(mail_dir) == []

    workers.start()
    # The lease runs out; the next sweep (beat runs it every few minutes)
    # finds the reminder and sends it.
    workers.wait_for(lambda: timezone.now() > claimed.claimed_until, "the lease to expire")
    reminders_dispatch.delay()
    workers.wait_for(
        lambda: Reminder.objects.get(pk=reminder.pk).status == Reminder.Status.SENT,
        "the reminder to be sent after the restart",
    )

    sent = Reminder.objects.get(pk=reminder.pk)
    assert sent.attempts == 2
    assert len(mails(mail_dir)) == 1
    assert "To: mentor.killed@example.org" in mails(mail_dir)[0]


def test_a_reminder_queued_in_a_transaction_that_rolls_back_never_runs(
    transactional_db: Any, workers: Workers, mail_dir: Path
) -> None:
    recipient = UserFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        reminder = reminder_for(recipient)
        reminder_send.delay_on_commit(reminder.pk)
        raise RuntimeError("Something else in the same change failed.")

    assert queued() == 0
    assert not Reminder.objects.exists()
    workers.start()
    reminders_dispatch.delay()
    workers.wait_for(lambda: len(workers.succeeded("reminders_dispatch")) == 1, "a sweep")

    assert workers.succeeded("reminder_send") == []
    assert mails(mail_dir) == []


def test_a_snapshot_month_run_twice_at_once_writes_one_set_of_rows(
    transactional_db: Any, workers: Workers
) -> None:
    from deployment.models import Post, RetentionSnapshot
    from deployment.tasks import retention_snapshot_month
    from tests.core.factories import ServiceFactory
    from tests.deployment.factories import AppointmentFactory, PeerPostFactory

    programme = ProgrammeFactory()
    for name in ("Willow Ward", "Oak Team"):
        service = ServiceFactory(programme=programme, name=name)
        for day in (3, 17):
            AppointmentFactory(
                post=PeerPostFactory(service=service, status=Post.Status.FILLED),
                start_date=timezone.localdate().replace(day=day) - timedelta(days=400),
            )

    retention_snapshot_month.delay("2026-03-01")
    retention_snapshot_month.delay("2026-03-01")
    workers.start(concurrency=2)
    workers.wait_for(
        lambda: len(workers.succeeded("retention_snapshot_month", module="deployment.tasks")) == 2,
        "both runs to finish",
    )

    rows = RetentionSnapshot.objects.filter(month=date(2026, 3, 1))
    assert rows.count() == 2
    assert sorted(r.appointed for r in rows) == [2, 2]
    written = sorted(
        int(line.rsplit(": ", 1)[1])
        for line in workers.succeeded("retention_snapshot_month", module="deployment.tasks")
    )
    assert written == [0, 2]
