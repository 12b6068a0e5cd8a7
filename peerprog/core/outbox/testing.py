"""A mail backend for tests that refuses any message not sent by the
outbox, so a test fails when code sends mail some other way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from peerprog.core.outbox.sender import OUTBOX_HEADER


class NotThroughTheOutbox(AssertionError):
    pass


class OutboxOnlyBackend(BaseEmailBackend):
    """Checks every message for the outbox's header, then hands it to
    ``OUTBOX_ONLY_WRAPS`` (the backend the tests would otherwise use)."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        self.inner = get_connection(
            settings.OUTBOX_ONLY_WRAPS, fail_silently=fail_silently, **kwargs
        )

    def open(self) -> bool | None:
        return self.inner.open()

    def close(self) -> None:
        self.inner.close()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            if OUTBOX_HEADER not in message.extra_headers:
                raise NotThroughTheOutbox(
                    f"An e-mail was sent without the outbox: {message.subject!r}."
                )
        return self.inner.send_messages(email_messages)
