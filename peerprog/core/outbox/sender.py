"""The SMTP batch: claim a row, send it on a connection kept open for the
batch, mark it accepted the moment the server has it, repeat.

``smtplib.SMTP.sendmail`` returns once the server has answered the end of
DATA, which is when the server has taken responsibility for the message.
The mark follows straight away in its own transaction, so the only window
for a second send is between that answer and the commit, and a resent
message carries the same Message-ID.
"""

from __future__ import annotations

import logging
import smtplib
import time
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from peerprog.core.outbox import services
from peerprog.core.outbox.models import OutboxEmail

logger = logging.getLogger(__name__)

OUTBOX_HEADER = "X-Peerprog-Outbox"


def message_for(row: OutboxEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        row.subject,
        row.body_text,
        to=[row.to_address],
        headers={"Message-ID": row.message_id, OUTBOX_HEADER: row.kind},
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


def _pause(point: str) -> None:
    """Only under test settings: hold the send at ``point`` ("connect" or
    "accepted") so that a test can kill the worker there."""
    seconds = settings.OUTBOX_TEST_PAUSES.get(point, 0)
    if seconds:
        time.sleep(seconds)


def _still_wanted(row: OutboxEmail) -> bool:
    """Whether the recipient can still receive it: a switched-off account
    or a withdrawn agreement to e-mail stops a message that waited."""
    if row.recipient_user_id is not None:
        user = row.recipient_user
        return bool(user and user.is_active)
    if row.recipient_person_id is not None:
        person = row.recipient_person
        return bool(person and person.email_allowed and person.email)
    return True


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer means the server will never take this message."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def send_due(*, limit: int | None = None, seconds: float | None = None) -> int:
    """Send due e-mails one by one until none is due, ``limit`` were tried
    or ``seconds`` have passed. Returns how many the server accepted."""
    limit = limit or settings.OUTBOX_BATCH_SIZE
    seconds = seconds or settings.OUTBOX_BATCH_SECONDS
    started = time.monotonic()
    connection = None
    accepted = 0
    tried: set[int] = set()
    try:
        while len(tried) < limit and time.monotonic() - started < seconds:
            row = services.outbox_claim_next(exclude=tried)
            if row is None:
                break
            tried.add(row.pk)
            if not _still_wanted(row):
                services.outbox_cancel(row=row)
                continue
            _pause("connect")
            try:
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                connection.send_messages([message_for(row)])
            except (TimeoutError, smtplib.SMTPException, OSError) as exc:
                permanent = _is_permanent(exc)
                delay = services.outbox_mark_failed(
                    row=row, error=type(exc).__name__, permanent=permanent
                )
                logger.warning(
                    "E-mail %s (%s) failed (%s); %s.",
                    row.pk,
                    row.kind,
                    type(exc).__name__,
                    f"next attempt in {int(delay.total_seconds())} s" if delay else "giving up",
                )
                if not permanent and connection is not None:
                    # The connection may be broken: start a new one.
                    _close(connection)
                    connection = None
                continue
            _pause("accepted")
            if services.outbox_mark_accepted(row=row):
                accepted += 1
            else:
                logger.warning("E-mail %s was accepted after its claim had expired.", row.pk)
    finally:
        if connection is not None:
            _close(connection)
    return accepted


def _close(connection: Any) -> None:
    """Close the connection; a failure here loses nothing, since every
    message sent on it is already marked."""
    try:
        connection.close()
    except Exception:
        logger.warning("Closing the mail connection failed.")
