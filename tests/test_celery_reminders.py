"""Background work through Redis and real Celery workers: a reminder sent
once when the scan runs twice at the same time, sent once after a worker is
killed in the middle of a send, and never queued from a transaction that
rolled back; a retention snapshot month run twice at once writes one set.

The workers (``tests/workers.py``) run with a short visibility timeout,
lease and time limits, and write e-mail as files into a directory this test
reads.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from peerprog.core.models import Notification, Programme, Reminder, Role, User
from peerprog.core.outbox.models import OutboxEmail
from peerprog.core.reminders import services
from peerprog.core.reminders.registry import ReminderSpec
from peerprog.core.tasks import outbox_deliver, reminders_scan
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.training.factories import CohortFactory, assessor, enrol, set_assessors
from tests.workers import Workers, clear_queue, queued
from training.models import CohortTraining

pytestmark = pytest.mark.worker


def mails(mail_dir: Path) -> list[str]:
    """Every message written, one file per mail connection (the sender
    keeps one open for a batch), messages separated by a line of dashes."""
    found = []
    for path in sorted(mail_dir.iterdir()):
        found.extend(m for m in path.read_text().split("-" * 79 + "\n") if m.strip())
    return found


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
    # Setting the course up queued the dashboard's refresh of its figures:
    # only the two scans are counted here.
    clear_queue()

    reminders_scan.delay("training")
    reminders_scan.delay("training")
    assert queued() == 2
    workers.start(concurrency=2)

    def all_done() -> bool:
        return (
            len(workers.succeeded("reminders_scan")) == 2
            and queued() == 0
            and not OutboxEmail.objects.exclude(state=OutboxEmail.State.ACCEPTED).exists()
        )

    workers.wait_for(all_done, "both scans and every send they queued to finish")

    reminders = Reminder.objects.filter(kind="training.final_overdue")
    assert reminders.count() == 3
    assert {r.email.state for r in reminders} == {OutboxEmail.State.ACCEPTED}
    # One e-mail per reminder of every kind the scan raised, however often it ran.
    assert OutboxEmail.objects.filter(kind="reminder").count() == Reminder.objects.count()
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
    reminder = reminder_for(recipient)  # queues a delivery on commit
    assert queued() == 1

    # This worker pauses after claiming the e-mail and is killed there.
    doomed = workers.start(PEERPROG_TEST_SEND_DELAY="30")
    workers.wait_for(
        lambda: OutboxEmail.objects.get(pk=reminder.email_id).attempts == 1,
        "the worker to claim the send",
    )
    workers.kill(doomed)
    claimed = OutboxEmail.objects.get(pk=reminder.email_id)
    assert claimed.state == OutboxEmail.State.SENDING
    assert claimed.claimed_until is not None
    assert mails(mail_dir) == []

    workers.start()
    # The lease runs out; the next sweep (beat runs it every minute) finds
    # the e-mail and sends it.
    workers.wait_for(lambda: timezone.now() > claimed.claimed_until, "the lease to expire")
    outbox_deliver.delay()
    workers.wait_for(
        lambda: OutboxEmail.objects.get(pk=reminder.email_id).state == OutboxEmail.State.ACCEPTED,
        "the reminder to be sent after the restart",
    )

    sent = OutboxEmail.objects.get(pk=reminder.email_id)
    assert sent.attempts == 2
    assert sent.message_id == claimed.message_id
    assert len(mails(mail_dir)) == 1
    assert "To: mentor.killed@example.org" in mails(mail_dir)[0]


def test_a_reminder_queued_in_a_transaction_that_rolls_back_never_runs(
    transactional_db: Any, workers: Workers, mail_dir: Path
) -> None:
    recipient = UserFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        reminder_for(recipient)
        raise RuntimeError("Something else in the same change failed.")

    assert queued() == 0
    assert not Reminder.objects.exists()
    assert not OutboxEmail.objects.exists()
    workers.start()
    outbox_deliver.delay()
    workers.wait_for(
        lambda: len(workers.succeeded("outbox_deliver", module="peerprog.core.outbox.tasks")) == 1,
        "a sweep",
    )

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
