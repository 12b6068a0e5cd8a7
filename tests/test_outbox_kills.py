"""Nothing lost, nothing twice: e-mail through the outbox when the worker
sending it dies.

For each kind of e-mail (reminders, letters, notifications) a few messages
are made through the kind's own service, a real worker starts sending them
to the test SMTP server, and is killed with SIGKILL, as when a machine dies:

- before it connects to the mail server (it pauses there, told by
  ``PEERPROG_TEST_PAUSE_AT=connect``);
- while the server holds its answer to DATA (``mail_server.delay``);
- after the server's 250 to a message and before the commit that marks it
  accepted (``PEERPROG_TEST_PAUSE_AT=accepted``);
- at random moments, twice in a row.

Another worker then starts, the outbox's sweep runs (queued every second
from here, as beat would) until every message is accepted, and what the
server recorded is compared with the outbox: no message is lost; none is
sent twice, except one whose 250 came before the kill and whose commit after
it, and then both copies carry the same Message-ID. The figures (messages,
lost, sent twice, the window between the server's 250 and the commit) go to
the table printed at the end of the run.

Run these alone with ``pytest -m outbox_kills -p no:randomly``;
``PEERPROG_KILL_SEED`` chooses the random moments (printed in the table).
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from peerprog.celery import app
from peerprog.core import letters
from peerprog.core.models import Role
from peerprog.core.reminders.registry import ReminderSpec
from peerprog.core.reminders.services import reminders_raise
from peerprog.core.services import notify
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory
from tests.mailserver import Accepted, MailServer
from tests.workers import Figures, Workers

pytestmark = [pytest.mark.worker, pytest.mark.outbox_kills]

# ---------------------------------------------------------------------------
# The outbox, as far as these tests know it. These are the only lines that
# name its model, fields, task and settings: adjust them to the outbox.
# ---------------------------------------------------------------------------

OUTBOX_MODEL = "core.OutboxEmail"
OUTBOX_SWEEP_TASK = "peerprog.core.outbox.tasks.outbox_deliver"
OUTBOX_LEASE_SECONDS = 3
# Settings the workers read, so that a dead worker's lease runs out soon.
OUTBOX_ENV = {"OUTBOX_LEASE_SECONDS": str(OUTBOX_LEASE_SECONDS)}
SENDING = "sending"
ACCEPTED = "accepted"


@dataclass(frozen=True)
class OutboxRow:
    """One outbox row as the tests need it."""

    to: str
    state: str  # "queued", "sending", "accepted" or "failed"
    message_id: str
    # When the worker marked it accepted, in the transaction it committed
    # right after the server's 250.
    accepted_at: datetime | None


def outbox_rows(addresses: list[str]) -> list[OutboxRow]:
    """The outbox's rows for messages to these addresses."""
    model = apps.get_model(OUTBOX_MODEL)
    return [
        OutboxRow(
            to=row.to_address.lower(),
            state=row.state,
            message_id=row.message_id,
            accepted_at=row.accepted_at,
        )
        for row in model.objects.filter(to_address__in=addresses)
    ]


def outbox_sweep() -> None:
    """Queue the sweep that sends again what a dead worker left leased."""
    app.send_task(OUTBOX_SWEEP_TASK)


def outbox_sweeps_done(workers: Workers) -> int:
    module, task = OUTBOX_SWEEP_TASK.rsplit(".", 1)
    return len(workers.succeeded(task, module=module))


# ---------------------------------------------------------------------------
# The kinds of e-mail, each made through its own service. Every message goes
# to an address of its own, so the server's records tell them apart.
# ---------------------------------------------------------------------------

MESSAGES = 8
# The server's pause before each 250 while random kills are under way, so
# that a batch takes about RANDOM_SPAN seconds to go out.
RANDOM_DELAY = 0.1
RANDOM_SPAN = MESSAGES * RANDOM_DELAY + 0.5
RANDOM_KILLS = 2
SEED = os.environ.get("PEERPROG_KILL_SEED", "nothing-lost-nothing-twice")


def raise_reminders(addresses: list[str]) -> None:
    users = [UserFactory(email=address) for address in addresses]
    reminders_raise(
        specs=[
            ReminderSpec(
                kind="training.final_overdue",
                object_type="training.enrolment",
                object_id=number,
                period="2026-03-02",
                title="Final portfolio overdue",
                email_line="A trainee's final portfolio was due on 2 March 2026.",
                link="/training/",
                user_id=user.pk,
            )
            for number, user in enumerate(users, start=1)
        ]
    )


def issue_letters(addresses: list[str]) -> None:
    programme = ProgrammeFactory()
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    for number, address in enumerate(addresses, start=1):
        person = PersonFactory(programme=programme, email=address, email_allowed=True)
        letters.letter_issue(
            person=person,
            kind="recruitment.offer",
            key=f"offer-{number}",
            values={"preferred_name": person.first_name, "programme_name": programme.name},
            by=lead,
        )


def notify_by_email(addresses: list[str]) -> None:
    for number, address in enumerate(addresses, start=1):
        notify(
            recipient=UserFactory(email=address),
            key=f"kills-{number}",
            title="Your mentor meeting is due",
            link="/notifications/",
            email=True,
        )


KINDS: dict[str, Callable[[list[str]], None]] = {
    "reminders": raise_reminders,
    "letters": issue_letters,
    "notifications": notify_by_email,
}


def make_messages(kind: str) -> list[str]:
    """Make MESSAGES e-mails of this kind (queued on commit); returns their
    addresses."""
    addresses = [f"{kind}-{number:02}@kills.example.org" for number in range(1, MESSAGES + 1)]
    KINDS[kind](addresses)
    return addresses


# ---------------------------------------------------------------------------
# Killing, recovering, and reading what happened.
# ---------------------------------------------------------------------------


def lease_taken(addresses: list[str]) -> bool:
    return any(row.state == SENDING for row in outbox_rows(addresses))


def kill_at(point: str, workers: Workers, server: MailServer, addresses: list[str]) -> datetime:
    """Start a worker told to pause at ``point``, kill it there, and return
    when it was killed."""
    if point == "data":
        server.delay = 30
    doomed = workers.start(pause_at=point, **OUTBOX_ENV)
    if point == "connect":
        workers.wait_for(lambda: lease_taken(addresses), "the worker to lease messages")
    elif point == "data":
        server.wait_for(lambda: server.holding >= 1, "the worker to send DATA")
    else:
        server.wait_for(lambda: bool(server.accepted), "the server to accept a message")
    killed_at = workers.kill(doomed)
    server.delay = 0
    return killed_at


RECOVERY_SECONDS = 20


def recover(workers: Workers, server: MailServer, addresses: list[str]) -> None:
    """With a live worker, queue the sweep every second (as beat would)
    until every message is accepted, then once more, so that anything it
    would still send again is seen. Gives up after RECOVERY_SECONDS, leaving
    the test to say what is missing."""

    def all_accepted() -> bool:
        rows = outbox_rows(addresses)
        return (
            len(rows) == len(addresses)
            and all(row.state == ACCEPTED for row in rows)
            and all(server.delivered_to(address) for address in addresses)
        )

    deadline = time.monotonic() + RECOVERY_SECONDS
    next_sweep = 0.0
    while not all_accepted():
        if time.monotonic() > deadline:
            return
        if time.monotonic() >= next_sweep:
            outbox_sweep()
            next_sweep = time.monotonic() + 1
        time.sleep(0.05)
    done = outbox_sweeps_done(workers)
    outbox_sweep()
    workers.wait_for(lambda: outbox_sweeps_done(workers) > done, "a last sweep")


@dataclass
class Outcome:
    rows: dict[str, OutboxRow]
    # What the server accepted for each address, in order.
    copies: dict[str, list[Accepted]]

    @property
    def unsettled(self) -> list[str]:
        """Messages the outbox has not marked accepted (or has no row for)."""
        return [
            address
            for address in self.copies
            if address not in self.rows or self.rows[address].state != ACCEPTED
        ]

    @property
    def lost(self) -> list[str]:
        return [address for address, copies in self.copies.items() if not copies]

    @property
    def twice(self) -> list[str]:
        return [address for address, copies in self.copies.items() if len(copies) > 1]

    def same_message_id(self, address: str) -> bool:
        """Every copy the server accepted carries the row's Message-ID."""
        if address not in self.rows:
            return False
        wanted = self.rows[address].message_id.strip("<>")
        return all(copy.message_id.strip("<>") == wanted for copy in self.copies[address])

    def windows(self) -> list[float]:
        """Seconds between the server's 250 to the copy the worker marked
        accepted (the last) and the worker's mark: a kill inside that
        window sends the message twice."""
        return [
            (row.accepted_at - self.copies[address][-1].accepted_at).total_seconds()
            for address, row in self.rows.items()
            if row.accepted_at is not None and self.copies[address]
        ]


def outcome(server: MailServer, addresses: list[str]) -> Outcome:
    return Outcome(
        rows={row.to: row for row in outbox_rows(addresses)},
        copies={address: server.delivered_to(address) for address in addresses},
    )


def killed_between_acceptance_and_commit(
    found: Outcome, address: str, kills: list[datetime]
) -> bool:
    """A kill fell after the server had the whole of the message's first
    copy and before the outbox marked it accepted. The window opens when the
    end of DATA reached the server, not at its 250: a server holding its
    answer still delivers a message whose sender died meanwhile."""
    first = found.copies[address][0]
    handed_over = first.accepted_at - timedelta(
        seconds=first.accepted_monotonic - first.received_monotonic
    )
    committed = found.rows[address].accepted_at
    assert committed is not None
    return any(handed_over <= kill <= committed for kill in kills)


def record(figures: Figures, kind: str, kill: str, found: Outcome, kills: list[datetime]) -> None:
    windows = sorted(found.windows())
    last_accepted = max(
        (copy.accepted_at for copies in found.copies.values() for copy in copies), default=None
    )
    figures.add(
        "E-mail through the outbox when the sending worker is killed (SIGKILL)",
        kind=kind,
        kill=kill,
        messages=len(found.copies),
        unsettled=len(found.unsettled),
        accepted=sum(len(copies) for copies in found.copies.values()),
        lost=len(found.lost),
        twice=len(found.twice),
        same_message_id="yes" if all(map(found.same_message_id, found.copies)) else "NO",
        window_median_ms=f"{statistics.median(windows) * 1000:.1f}" if windows else "-",
        window_max_ms=f"{windows[-1] * 1000:.1f}" if windows else "-",
        # From the last kill to the server's last 250 (0: the kill came
        # after everything had gone).
        recovered_after_s=(
            f"{max(0.0, (last_accepted - kills[-1]).total_seconds()):.1f}" if last_accepted else "-"
        ),
    )


def run_fixed_point(
    kind: str, point: str, workers: Workers, server: MailServer, figures: Figures
) -> tuple[Outcome, datetime, list[str]]:
    addresses = make_messages(kind)
    killed_at = kill_at(point, workers, server, addresses)
    seen_before_restart = list(server.accepted)
    workers.start(**OUTBOX_ENV)
    recover(workers, server, addresses)
    found = outcome(server, addresses)
    record(figures, kind, point, found, [killed_at])
    assert (found.lost, found.unsettled) == ([], [])
    return found, killed_at, [copy.message_id for copy in seen_before_restart]


# ---------------------------------------------------------------------------
# The tests.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_worker_killed_before_connecting_loses_nothing_and_sends_nothing_twice(
    transactional_db: Any,
    kind: str,
    smtp_workers: Workers,
    mail_server: MailServer,
    figures: Figures,
) -> None:
    found, _, seen_before_restart = run_fixed_point(
        kind, "connect", smtp_workers, mail_server, figures
    )

    assert seen_before_restart == []
    assert found.twice == []
    assert all(map(found.same_message_id, found.rows))


@pytest.mark.parametrize("kind", KINDS)
def test_a_worker_killed_while_the_server_holds_its_answer_to_data_sends_it_again_once(
    transactional_db: Any,
    kind: str,
    smtp_workers: Workers,
    mail_server: MailServer,
    figures: Figures,
) -> None:
    found, _, seen_before_restart = run_fixed_point(
        kind, "data", smtp_workers, mail_server, figures
    )

    # The message whose answer was held never got its 250: it was not
    # accepted then, and was sent again, once, with the same Message-ID.
    assert seen_before_restart == []
    (gone,) = mail_server.abandoned
    (address,) = gone.recipients
    assert [copy.message_id for copy in found.copies[address]] == [gone.message_id]
    assert found.twice == []
    assert all(map(found.same_message_id, found.rows))


@pytest.mark.parametrize("kind", KINDS)
def test_a_worker_killed_between_acceptance_and_commit_sends_that_message_twice_with_one_id(
    transactional_db: Any,
    kind: str,
    smtp_workers: Workers,
    mail_server: MailServer,
    figures: Figures,
) -> None:
    found, killed_at, seen_before_restart = run_fixed_point(
        kind, "accepted", smtp_workers, mail_server, figures
    )

    # Only the message accepted just before the kill went twice: the server
    # had it, the outbox had not marked it.
    assert len(seen_before_restart) == 1
    (address,) = found.twice
    first, second = found.copies[address]
    assert first.message_id == second.message_id == seen_before_restart[0]
    assert found.same_message_id(address)
    assert killed_between_acceptance_and_commit(found, address, [killed_at])


@pytest.mark.parametrize("kind", KINDS)
def test_a_worker_killed_at_random_moments_loses_nothing_and_sends_twice_only_after_a_250(
    transactional_db: Any,
    kind: str,
    smtp_workers: Workers,
    mail_server: MailServer,
    figures: Figures,
) -> None:
    chance = random.Random(f"{SEED}-{kind}")
    addresses = make_messages(kind)
    mail_server.delay = RANDOM_DELAY
    kills: list[datetime] = []
    for _ in range(RANDOM_KILLS):
        doomed = smtp_workers.start(**OUTBOX_ENV)
        smtp_workers.wait_ready()
        if kills:
            # What the last worker left leased is sent again once its lease
            # has run out and the sweep finds it.
            lease_over = kills[-1] + timedelta(seconds=OUTBOX_LEASE_SECONDS + 0.1)
            time.sleep(max(0.0, (lease_over - timezone.now()).total_seconds()))
            outbox_sweep()
        time.sleep(chance.uniform(0, RANDOM_SPAN))
        kills.append(smtp_workers.kill(doomed))
    mail_server.delay = 0
    smtp_workers.start(**OUTBOX_ENV)
    recover(smtp_workers, mail_server, addresses)
    found = outcome(mail_server, addresses)
    record(figures, kind, f"random x{RANDOM_KILLS} (seed {SEED!r})", found, kills)

    assert (found.lost, found.unsettled) == ([], [])
    # A message goes twice only when a kill fell between the server's 250
    # and the worker's commit, so at most one per kill, and never with a
    # new Message-ID.
    assert len(found.twice) <= len(kills)
    for address in found.twice:
        assert len(found.copies[address]) <= 1 + len(kills)
        assert killed_between_acceptance_and_commit(found, address, kills), address
    assert all(map(found.same_message_id, found.rows))
