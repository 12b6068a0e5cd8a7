"""A real SMTP server on loopback for tests, built on aiosmtpd's Controller.

It accepts whatever it is sent and records each message it accepted: its
Message-ID, envelope recipients, To and Subject, the connection it came on,
and the moment it answered 250 to DATA (monotonic and wall clock), which is
the moment a real server takes responsibility for delivering it.

A test can make it slow or unhelpful:

- ``server.delay = 1.0`` holds every answer to DATA for a second (a client
  that vanishes meanwhile never got its 250, and the message is recorded as
  abandoned, not accepted);
- ``server.refuse_next(2)`` answers ``451`` to the next two messages' DATA;
- ``server.refuse_address("a@example.org")`` answers ``550`` to that
  recipient at RCPT.

``server.url`` is the ``EMAIL_URL`` the site reads (``smtp://127.0.0.1:PORT``),
so a worker started with it sends here. Use the ``mail_server`` fixture (a
fresh server per test) or ``running_mail_server()`` for wider scopes.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import itertools
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

# aiosmtpd logs every command at INFO: too much for a failing test's report.
logging.getLogger("mail.log").setLevel(logging.WARNING)

ACCEPTED_REPLY = "250 2.0.0 Message accepted for delivery"
TRY_LATER_REPLY = "451 4.3.0 Try again later"
NO_MAILBOX_REPLY = "550 5.1.1 No such mailbox"
WAIT_SECONDS = 20


@dataclass(frozen=True)
class Accepted:
    """A message the server answered 250 to."""

    message_id: str
    recipients: tuple[str, ...]
    to: str
    subject: str
    mail_from: str
    # The SMTP connection it came on, numbered from 1 in order of arrival.
    connection: int
    # When the end of its data arrived, and when the server answered 250.
    received_monotonic: float
    accepted_monotonic: float
    accepted_at: datetime
    content: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.content, policy=email.policy.default)  # type: ignore[return-value]


@dataclass(frozen=True)
class Refused:
    """A message, or one recipient of it, the server did not accept:
    ``reply`` is the answer it gave, or ``None`` when the client went away
    while the server held its answer to DATA."""

    stage: str  # "RCPT", "DATA", or "gone"
    reply: str | None
    message_id: str
    recipients: tuple[str, ...]
    connection: int
    at_monotonic: float
    at: datetime


def _header(content: bytes, name: str) -> str:
    parsed = email.message_from_bytes(content, policy=email.policy.default)
    return str(parsed[name] or "")


class MailServer:
    """The handler aiosmtpd calls, and the test's view of what it saw.

    Every hook runs on the server's own thread; the lists are guarded by a
    lock and handed out as copies."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.host = "127.0.0.1"
        self.port = 0
        self._lock = threading.Lock()
        self._accepted: list[Accepted] = []
        self._refused: list[Refused] = []
        self._refuse_next: list[str] = []
        self._refused_addresses: dict[str, str] = {}
        self._holding = 0
        self._connections = itertools.count(1)
        self._controller: Controller | None = None

    # -- What the test reads ------------------------------------------------

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    @property
    def accepted(self) -> list[Accepted]:
        with self._lock:
            return list(self._accepted)

    @property
    def refused(self) -> list[Refused]:
        with self._lock:
            return list(self._refused)

    @property
    def abandoned(self) -> list[Refused]:
        """Messages whose client went away while the server held its answer."""
        return [r for r in self.refused if r.stage == "gone"]

    @property
    def holding(self) -> int:
        """How many answers to DATA the server is holding back right now."""
        with self._lock:
            return self._holding

    def delivered_to(self, address: str) -> list[Accepted]:
        return [m for m in self.accepted if address.lower() in m.recipients]

    def message_ids(self) -> Counter[str]:
        """How many times each Message-ID was accepted."""
        return Counter(m.message_id for m in self.accepted)

    def wait_for(
        self, condition: Callable[[], bool], what: str, timeout: float = WAIT_SECONDS
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.02)
        pytest.fail(
            f"Waited {timeout} s for {what}. The mail server accepted "
            f"{len(self.accepted)} and refused {len(self.refused)}."
        )

    # -- What the test changes ----------------------------------------------

    def refuse_next(self, count: int, reply: str = TRY_LATER_REPLY) -> None:
        """Answer ``reply`` to DATA for the next ``count`` messages."""
        with self._lock:
            self._refuse_next.extend([reply] * count)

    def refuse_address(self, address: str, reply: str = NO_MAILBOX_REPLY) -> None:
        """Answer ``reply`` at RCPT to this recipient, for good."""
        with self._lock:
            self._refused_addresses[address.lower()] = reply

    def reset(self) -> None:
        """Forget what was recorded and every refusal asked for; no delay."""
        with self._lock:
            self.delay = 0.0
            self._accepted.clear()
            self._refused.clear()
            self._refuse_next.clear()
            self._refused_addresses.clear()

    # -- Start and stop -----------------------------------------------------

    def start(self) -> None:
        self._controller = _Controller(self, hostname=self.host, port=0)
        self._controller.start()
        self.port = self._controller.port

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    # -- aiosmtpd's hooks -----------------------------------------------------

    def _connection(self, session: Any) -> int:
        number = getattr(session, "peerprog_connection", None)
        if number is None:
            number = session.peerprog_connection = next(self._connections)
        return number

    def _refusal(
        self, stage: str, reply: str | None, session: Any, envelope: Any, recipients: Any
    ) -> Refused:
        return Refused(
            stage=stage,
            reply=reply,
            message_id=_header(envelope.content or b"", "Message-ID"),
            recipients=tuple(r.lower() for r in recipients),
            connection=self._connection(session),
            at_monotonic=time.monotonic(),
            at=datetime.now(UTC),
        )

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        with self._lock:
            reply = self._refused_addresses.get(address.lower())
            if reply is not None:
                self._refused.append(self._refusal("RCPT", reply, session, envelope, [address]))
                return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        received = time.monotonic()
        content: bytes = envelope.original_content or envelope.content
        with self._lock:
            reply = self._refuse_next.pop(0) if self._refuse_next else None
            self._holding += 1
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        except asyncio.CancelledError:
            # The client closed the connection before hearing the answer:
            # it does not know the message arrived, so it was not accepted.
            with self._lock:
                self._refused.append(
                    self._refusal("gone", None, session, envelope, envelope.rcpt_tos)
                )
            raise
        finally:
            with self._lock:
                self._holding -= 1
        with self._lock:
            if reply is not None:
                self._refused.append(
                    self._refusal("DATA", reply, session, envelope, envelope.rcpt_tos)
                )
                return reply
            self._accepted.append(
                Accepted(
                    message_id=_header(content, "Message-ID"),
                    recipients=tuple(r.lower() for r in envelope.rcpt_tos),
                    to=_header(content, "To"),
                    subject=_header(content, "Subject"),
                    mail_from=envelope.mail_from,
                    connection=self._connection(session),
                    received_monotonic=received,
                    accepted_monotonic=time.monotonic(),
                    accepted_at=datetime.now(UTC),
                    content=content,
                )
            )
        return ACCEPTED_REPLY


class _Controller(Controller):
    """aiosmtpd's Controller on a port the system chooses (port 0): the
    port is read back from the listening socket before the first contact."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def running_mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A fresh SMTP server on a free loopback port for one test."""
    with running_mail_server() as server:
        yield server
