"""Two beats by mistake: the demo programme under two beat processes and two
workers, with the production schedule every few seconds, so every task is
queued twice as often as it should be. Each reminder is still e-mailed once
and the month just ended snapshotted once: the unique constraints and the
claims on each row, not the number of beats, decide what is done.

Sets up the demo and checks the outcome as ``tests/test_celery_beat_demo.py``
does; e-mail goes to the test SMTP server.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.mailserver import MailServer
from tests.test_celery_beat_demo import (
    assert_each_reminder_sent_once,
    assert_month_snapshotted_once,
    demo_under_test,
    run_beats_until_each_task_fired,
)
from tests.workers import Beats, Workers

pytestmark = pytest.mark.worker

RUNS = 2


def test_two_beats_and_two_workers_send_each_reminder_once_and_snapshot_the_month_once(
    transactional_db: Any, smtp_workers: Workers, beats: Beats, mail_server: MailServer
) -> None:
    demo = demo_under_test()

    smtp_workers.start()
    smtp_workers.start()
    both = [beats.start(), beats.start()]
    # Each beat fires every task at least RUNS times, so every scan and the
    # snapshot run at least twice as often as one beat would have had them.
    run_beats_until_each_task_fired(smtp_workers, both, demo.names, RUNS)

    assert_each_reminder_sent_once(demo, [(m.to, m.subject) for m in mail_server.accepted])
    assert_month_snapshotted_once(demo, smtp_workers, 2 * RUNS)
