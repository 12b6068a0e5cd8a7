"""The demo programme under a real worker and a real beat on Redis: beat
fires every reminder scan and the monthly snapshot more than once, and each
reminder the demo's data call for is e-mailed exactly once, while the month
just ended is snapshotted once, with the retention page's own figures.

Beat runs django-celery-beat's database scheduler, as in production, with
the periodic tasks set to run every few seconds for the test. Workers and
beats come from ``tests/workers.py``: a short lease and visibility timeout,
e-mail written as files into a directory read here. The demo's setting up
and the checks of what was sent and written are shared with
``tests/test_celery_two_beats.py``.
"""

from __future__ import annotations

import email
import email.policy
import json
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

from deployment.models import Appointment, PostConversion, RetentionSnapshot
from deployment.selectors import retention_report
from deployment.snapshots import month_end, previous_month
from peerprog.core.models import OutboxEmail, Programme, Reminder, User
from peerprog.core.tasks import outbox_deliver
from peerprog.devtools.demo import OTHER_PROGRAMME_NAME, demo_email
from peerprog.devtools.demo_people import RUNNING_COHORT
from supervision.models import SupervisionAssignment
from supervision.selectors import supervision_overdue
from tests.demo_once import seed_demo_once
from tests.workers import Beat, Beats, Workers, clear_queue, queued
from training.models import CohortTraining, PortfolioSubmission

pytestmark = pytest.mark.worker

SCAN_GROUPS = ("training", "deployment", "supervision")
EVERY_SECONDS = 2
# Each scan and the snapshot fire at least this many times before beat stops.
RUNS = 3
SNAPSHOT_TASK = "Retention snapshot of the last month"


@dataclass
class DemoUnderTest:
    programme: Programme
    hr: User
    # The month just ended, which the monthly task is to snapshot.
    month: date
    # (kind, recipient, words in the subject) of each reminder the demo's
    # data call for today, with how many e-mails of those words each
    # recipient gets (two trainees without a draft give two alike).
    expected: Counter[tuple[str, str, str]]
    # The name of each periodic task beat runs.
    names: list[str]
    # (recipient, subject) of the notices the seeding itself sent staff,
    # besides reminders (an HR role given, told to the programme's admin).
    notices: list[tuple[str, str]]


def schedule_every_few_seconds() -> list[str]:
    """The production schedule's tasks, each every EVERY_SECONDS; returns
    the periodic tasks' names."""
    every, _ = IntervalSchedule.objects.get_or_create(
        every=EVERY_SECONDS, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.all().delete()
    jobs = {
        f"Reminders: {group}": ("peerprog.core.tasks.reminders_scan", {"group": group})
        for group in SCAN_GROUPS
    }
    jobs["E-mail: send what is due"] = ("peerprog.core.outbox.tasks.outbox_deliver", {})
    jobs[SNAPSHOT_TASK] = ("deployment.tasks.retention_snapshot_month", {})
    for name, (task, kwargs) in jobs.items():
        PeriodicTask.objects.create(name=name, task=task, interval=every, kwargs=json.dumps(kwargs))
    PeriodicTasks.update_changed()
    return list(jobs)


def demo_under_test() -> DemoUnderTest:
    """Seed the demo, work out what its data call for, take away the last
    month's snapshot (as on the 1st) and set beat's schedule to every few
    seconds, with nothing queued yet."""
    demo = seed_demo_once()
    today = timezone.localdate()
    programme: Programme = demo.programme
    hr = demo.users["hr"]
    southvale_lead = User.objects.get(email=demo_email("southvale-lead"))
    overdue = supervision_overdue(
        assignments=SupervisionAssignment.objects.all(), today=today
    ).get()
    offer = Appointment.objects.get(programme=programme, status=Appointment.Status.OFFERED)
    # The converted post not advertised yet (the leaver's post is vacant
    # again, but was advertised).
    conversion = PostConversion.objects.get(
        programme=programme, original__position_number="NMH-4112"
    )

    def day(value: date) -> str:
        return date_format(value, "j F Y")

    running = CohortTraining.objects.get(cohort__programme=programme, cohort__name=RUNNING_COHORT)
    waiting = PortfolioSubmission.objects.get(
        enrolment__cohort=running.cohort, status=PortfolioSubmission.Status.AWAITING_MARKS
    )
    lead, mentor, facilitator, assessor = (
        demo_email(key) for key in ("lead", "mentor", "facilitator", "assessor")
    )
    no_draft = f"A trainee's portfolio draft, expected by {day(running.draft_due)}, has not come in"
    # What the demo's data call for today, and to whom: HR's go to both HR
    # accounts; two trainees have no draft by mid-course.
    expected: Counter[tuple[str, str, str]] = Counter()
    for to in (hr.email, demo_email("hr-adviser")):
        expected[
            (
                "deployment.checks_outstanding",
                to,
                "Pre-employment checks are still outstanding for a peer worker due to start on "
                f"{day(offer.start_date)}.",
            )
        ] += 1
        expected[
            (
                "deployment.converted_not_advertised",
                to,
                f"A post converted on {day(timezone.localdate(conversion.converted_at))} has "
                "not been advertised yet.",
            )
        ] += 1
    expected[
        (
            "deployment.retention_milestone",
            southvale_lead.email,
            "A peer worker reaches 6 months in post this week: a good moment to check in.",
        )
    ] += 1
    expected[
        (
            "supervision.supervision_overdue",
            overdue.supervisor.email,
            "Supervision with someone you supervise was due on ",
        )
    ] += 1
    expected[("training.draft_missing", facilitator, no_draft)] += 2
    expected[("training.draft_missing", lead, no_draft)] += 2
    expected[
        (
            "training.awaiting_mark",
            assessor,
            f"A portfolio has been waiting for your mark since {day(waiting.submitted_on)}.",
        )
    ] += 1
    expected[
        (
            "supervision.meetings_behind",
            mentor,
            "One of your mentees is behind with mentor meetings for this point in the course.",
        )
    ] += 1
    expected[
        (
            "supervision.meetings_behind_summary",
            lead,
            "1 trainee is behind with mentor meetings in one of your cohorts.",
        )
    ] += 1
    # Mandatory training about to expire reaches the peer worker's supervisor.
    from deployment.selectors.training_records import training_expiring

    for row in training_expiring(today=today):
        watching = SupervisionAssignment.objects.filter(
            person_id=row["person_id"], ended_on__isnull=True
        ).first()
        if watching is not None:
            expected[
                (
                    "supervision.training_expiring",
                    watching.supervisor.email,
                    "Mandatory training of someone you supervise expires on "
                    f"{day(row['expires_on'])}.",
                )
            ] += 1
    notices = [(demo_email("admin"), "Nina Shaw was given the HR role")]
    # The month just ended, as on the 1st: the demo took it already, so
    # take it away for the monthly task to write again.
    month = previous_month()
    RetentionSnapshot.objects.filter(month=month).delete()
    names = schedule_every_few_seconds()
    # Only what beat queues is under test here, not the seeding's own tasks.
    clear_queue()
    return DemoUnderTest(
        programme=programme,
        hr=hr,
        month=month,
        expected=expected,
        names=names,
        notices=notices,
    )


def run_beats_until_each_task_fired(
    workers: Workers, beats: list[Beat], names: list[str], runs: int
) -> dict[str, int]:
    """Let the beats run until each has fired every task ``runs`` times,
    stop them, and wait until the workers have done all they queued.
    Returns how many times each task was fired, all beats together."""
    workers.wait_for(
        lambda: all(beat.sent(name) >= runs for beat in beats for name in names),
        f"each beat to fire every task {runs} times",
        timeout=30,
    )
    for beat in beats:
        beat.stop()
    fired = {name: sum(beat.sent(name) for beat in beats) for name in names}

    # A beat logs "Sending due task" just before it publishes, so a beat
    # stopped in between logged one it never sent: wait on what the workers
    # received instead, and on the outbox being empty.
    def settled() -> bool:
        idle = queued() == 0 and workers.unfinished() == 0
        waiting = OutboxEmail.objects.exclude(state=OutboxEmail.State.ACCEPTED).exists()
        if idle and waiting:
            # The beats are stopped: send the sweep they would have sent
            # (a message that failed once waits for it).
            outbox_deliver.delay()
            time.sleep(0.5)
        return idle and not waiting

    workers.wait_for(settled, "every task the beats queued to finish", timeout=60)
    scans = len(workers.succeeded("reminders_scan"))
    assert scans >= sum(fired[f"Reminders: {group}"] for group in SCAN_GROUPS) - len(beats)
    return fired


def assert_each_reminder_sent_once(demo: DemoUnderTest, mails: list[tuple[str, str]]) -> None:
    """Each reminder the demo's data call for was stored, marked sent and
    e-mailed once; ``mails`` are the (recipient, subject) of every e-mail.

    The staff reminders are known one by one (``demo.expected``). The demo's
    peer workers are also due their own reminders (supervision, a wellbeing
    plan review): each of those is e-mailed at most once too."""
    staff = set(User.objects.filter(groups__isnull=False).values_list("email", flat=True))
    reminders = Reminder.objects.filter(recipient_user__groups__isnull=False).distinct()
    assert {(r.kind, r.recipient_user.email) for r in reminders} == {
        (kind, to) for kind, to, _ in demo.expected
    }
    assert {r.email.state for r in reminders} == {OutboxEmail.State.ACCEPTED}
    staff_mails = [mail for mail in mails if mail[0] in staff]
    sent = Counter(staff_mails)
    for (kind, to, line), times in demo.expected.items():
        matching = [
            n for (address, subject), n in sent.items() if address == to and line in subject
        ]
        assert matching == [times], (kind, to, sent)
    for to, words in demo.notices:
        assert [n for (a, s), n in sent.items() if a == to and words in s] == [1], (to, sent)
    assert len(staff_mails) == sum(demo.expected.values()) + len(demo.notices)
    to_people = Reminder.objects.filter(recipient_person__isnull=False)
    assert to_people.exists(), "the demo's peer workers are due their own reminders"
    # The demo's peer worker with an account of their own gets theirs there.
    own = Reminder.objects.filter(recipient_user__isnull=False, recipient_user__groups__isnull=True)
    assert {(r.kind, r.recipient_user.email) for r in own} == {
        ("supervision.my_supervision_due", demo_email("peer-worker")),
        ("supervision.my_plan_review_due", demo_email("peer-worker")),
    }
    people_mails = Counter(mail for mail in mails if mail[0] not in staff)
    assert all(n == 1 for n in people_mails.values()), people_mails
    assert (
        len(people_mails)
        == to_people.filter(email__isnull=False).count() + own.filter(email__isnull=False).count()
    )


def assert_month_snapshotted_once(demo: DemoUnderTest, workers: Workers, runs: int) -> None:
    """The month just ended was written by one of the runs, once: every
    other run found it written and wrote nothing."""
    results = [
        int(line.rsplit(": ", 1)[1])
        for line in workers.succeeded("retention_snapshot_month", module="deployment.tasks")
    ]
    assert len(results) >= runs
    assert sorted(results)[:-1] == [0] * (len(results) - 1)
    assert max(results) == RetentionSnapshot.objects.filter(month=demo.month).count() > 0


def reminder_mails(mail_dir: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every e-mail written (the file backend puts
    the messages of one connection in one file, between lines of dashes)."""
    found = []
    for path in sorted(mail_dir.iterdir()):
        for text in path.read_text().split("-" * 79):
            message = email.message_from_string(text.strip(), policy=email.policy.default)
            if message["To"]:
                found.append((str(message["To"]), str(message["Subject"])))
    return found


def test_the_demo_under_worker_and_beat_sends_each_reminder_once_and_snapshots_the_month(
    transactional_db: Any, workers: Workers, beats: Beats, mail_dir: Path
) -> None:
    demo = demo_under_test()
    hr = demo.hr

    workers.start(concurrency=2)
    beat = beats.start()
    fired = run_beats_until_each_task_fired(workers, [beat], demo.names, RUNS)

    # Every scan ran several times; each reminder was stored and sent once.
    assert all(count >= RUNS for count in fired.values()), fired
    assert_each_reminder_sent_once(demo, reminder_mails(mail_dir))
    assert_month_snapshotted_once(demo, workers, RUNS)

    # Its figures are the retention page's at the month's end: the study's
    # seven in post, all seven retained at 24 months, and the peer worker
    # who left after four and a half months.
    rows = RetentionSnapshot.objects.filter(month=demo.month, programme=demo.programme)
    page = retention_report(user=hr, today=month_end(demo.month)).overall
    assert sum(r.appointed for r in rows) == page.appointed == 8
    assert sum(r.in_post for r in rows) == page.still_in_post == 7
    for months in (6, 12, 24):
        assert sum(getattr(r, f"reached_{months}") for r in rows) == page.reached[months]
        assert sum(getattr(r, f"retained_{months}") for r in rows) == page.retained[months]
    assert page.retained[24] == page.reached[24] == 7

    # And the retention page's trend shows them as its latest month.
    client = Client()
    client.force_login(hr)
    html = client.get(reverse("deployment:retention")).content.decode()
    assert (
        f'<th scope="row">{date_format(demo.month, "F Y")}</th><td>{page.appointed}</td>'
        f"<td>{page.still_in_post}</td>"
    ) in html
    # The second programme's peer worker is in its own programme's row.
    other = RetentionSnapshot.objects.filter(month=demo.month).exclude(programme=demo.programme)
    assert [(r.programme.name, r.appointed, r.in_post) for r in other] == [
        (OTHER_PROGRAMME_NAME, 1, 1)
    ]
