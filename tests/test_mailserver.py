"""The test mail server: what Django's SMTP backend sends reaches it and is
recorded with its Message-ID; it can hold its answer, refuse, and tell a
message whose client went away from one it accepted."""

from __future__ import annotations

import smtplib
import socket
import time
from datetime import UTC, datetime

import pytest
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid

from tests.mailserver import MailServer


def smtp_connection(server: MailServer) -> object:
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=server.host,
        port=server.port,
        timeout=5,
        fail_silently=False,
    )


def message(to: str, subject: str) -> EmailMessage:
    return EmailMessage(
        subject, "Body.", "peerprog@example.org", [to], headers={"Message-ID": make_msgid()}
    )


def test_two_messages_sent_through_djangos_backend_are_recorded_with_their_message_ids(
    mail_server: MailServer,
) -> None:
    first = message("ada@example.org", "First")
    second = message("Grace@Example.org", "Second")
    before = datetime.now(UTC)

    assert smtp_connection(mail_server).send_messages([first, second]) == 2  # type: ignore[attr-defined]

    accepted = mail_server.accepted
    assert [(m.message_id, m.recipients, m.subject) for m in accepted] == [
        (first.extra_headers["Message-ID"], ("ada@example.org",), "First"),
        (second.extra_headers["Message-ID"], ("grace@example.org",), "Second"),
    ]
    assert accepted[1].to == "Grace@Example.org"
    assert mail_server.url == f"smtp://127.0.0.1:{mail_server.port}"
    # One connection for both, as the backend sends a batch.
    assert {m.connection for m in accepted} == {1}
    assert before <= accepted[0].accepted_at <= accepted[1].accepted_at <= datetime.now(UTC)
    assert mail_server.message_ids() == {
        first.extra_headers["Message-ID"]: 1,
        second.extra_headers["Message-ID"]: 1,
    }
    assert mail_server.delivered_to("GRACE@example.org") == [accepted[1]]


def test_the_server_holds_its_answer_to_data_for_the_delay_asked(
    mail_server: MailServer,
) -> None:
    mail_server.delay = 0.4
    started = time.monotonic()
    smtp_connection(mail_server).send_messages([message("ada@example.org", "Slow")])  # type: ignore[attr-defined]
    took = time.monotonic() - started

    (accepted,) = mail_server.accepted
    assert accepted.accepted_monotonic - accepted.received_monotonic >= 0.4
    assert 0.4 <= took < 2


def test_the_next_messages_can_be_refused_for_now_and_an_address_for_good(
    mail_server: MailServer,
) -> None:
    mail_server.refuse_next(1)
    mail_server.refuse_address("nobody@example.org")
    connection = smtp_connection(mail_server)

    with pytest.raises(smtplib.SMTPDataError) as refused:
        connection.send_messages([message("ada@example.org", "Refused")])  # type: ignore[attr-defined]
    assert refused.value.smtp_code == 451
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        connection.send_messages([message("nobody@example.org", "No such mailbox")])  # type: ignore[attr-defined]
    connection.send_messages([message("ada@example.org", "Accepted")])  # type: ignore[attr-defined]

    assert [m.subject for m in mail_server.accepted] == ["Accepted"]
    assert [
        (r.stage, r.reply[:3] if r.reply else None, r.recipients) for r in mail_server.refused
    ] == [
        ("DATA", "451", ("ada@example.org",)),
        ("RCPT", "550", ("nobody@example.org",)),
    ]


def test_a_message_whose_client_goes_away_during_the_held_answer_is_not_accepted(
    mail_server: MailServer,
) -> None:
    mail_server.delay = 10
    with socket.create_connection((mail_server.host, mail_server.port), timeout=5) as client:
        lines = [
            "EHLO client.example.org",
            "MAIL FROM:<peerprog@example.org>",
            "RCPT TO:<ada@example.org>",
            "DATA",
        ]
        client.recv(1024)
        for line in lines:
            client.sendall(f"{line}\r\n".encode())
            client.recv(1024)
        client.sendall(b"Message-ID: <gone@example.org>\r\nSubject: Gone\r\n\r\nBody.\r\n.\r\n")
        mail_server.wait_for(lambda: mail_server.holding == 1, "the server to hold its answer")
    mail_server.wait_for(lambda: mail_server.holding == 0, "the server to notice")

    assert mail_server.accepted == []
    (gone,) = mail_server.abandoned
    assert (gone.message_id, gone.recipients) == ("<gone@example.org>", ("ada@example.org",))
