"""The outbox row: one e-mail, from queued to accepted by the mail server."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def new_message_id() -> str:
    """A Message-ID that stays the same however often the row is sent, so a
    resent message is recognisable as the same one."""
    domain = settings.OUTBOX_MESSAGE_ID_DOMAIN
    return f"<{uuid.uuid4().hex}@{domain}>"


class OutboxEmail(models.Model):
    """One e-mail to one recipient.

    ``key`` names what the e-mail is for (``reminder:12``, ``letter:3``), so
    handing the same thing to the outbox twice stores one row. The
    recipient is a staff user or a person in the programme, so that
    data-protection work can find and purge what was sent to someone.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        ACCEPTED = "accepted", "Accepted by the mail server"
        FAILED = "failed", "Failed: not sent"
        CANCELLED = "cancelled", "Not sent: no longer wanted"

    message_id = models.CharField(max_length=200, unique=True, default=new_message_id)
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_emails",
    )
    recipient_person = models.ForeignKey(
        "core.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_emails",
    )
    to_address = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    body_purged_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(
        max_length=100, blank=True, help_text="The kind of error only, never its text."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outbox e-mail"
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(accepted_at__isnull=False),
                name="outbox_accepted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="sending") | Q(claimed_until__isnull=False),
                name="outbox_sending_has_lease",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["state", "accepted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_address} ({self.get_state_display().lower()})"
