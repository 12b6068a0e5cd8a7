"""The delivery records behind reminders, and each user's e-mail choices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerprog.core.history import History


class Reminder(models.Model):
    """One reminder to one recipient, stored once per stable key.

    The key is (kind, object, recipient, period): the period is chosen by the
    rule (a deadline's date, an ISO week), so a rule that runs twice, runs
    concurrently or is redelivered by the broker finds the row already there.
    A recipient is a staff user (in-app notification, and e-mail unless they
    switched this kind off) or a person in the programme: with an active
    account of their own, an in-app notification on their pages and one
    e-mail to the account when they agreed to e-mail; without one, e-mail
    only, and only when they agreed to e-mail. A person's reminder stays
    keyed to the person, so getting an account never sends it again. The
    e-mail itself is a row of the outbox, which alone knows whether it was
    delivered.

    ``email_line`` is what the e-mail says: one short sentence with no name,
    health, disability or portfolio content. The in-app notification may
    name the person when it goes to staff; one to the person themselves
    names nobody else.
    """

    kind = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, help_text="app_label.model of the subject.")
    object_id = models.PositiveBigIntegerField()
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    recipient_person = models.ForeignKey(
        "core.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    period = models.CharField(max_length=20)
    email_line = models.CharField(max_length=200)
    link = models.CharField(max_length=500, blank=True)
    by_email = models.BooleanField(
        default=True,
        help_text="Whether it goes by e-mail; otherwise it is in the app only.",
    )
    email = models.ForeignKey(
        "core.OutboxEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        help_text="The e-mail in the outbox, which knows whether it was delivered.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False, recipient_person__isnull=True)
                | Q(recipient_user__isnull=True, recipient_person__isnull=False),
                name="reminder_has_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "recipient_user", "period"],
                condition=Q(recipient_user__isnull=False),
                name="reminder_once_per_user_and_period",
            ),
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "recipient_person", "period"],
                condition=Q(recipient_person__isnull=False),
                name="reminder_once_per_person_and_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.object_type} {self.object_id} ({self.period})"

    @property
    def notification_key(self) -> str:
        """The key of the matching in-app notification."""
        return reminder_notification_key(self.kind, self.object_type, self.object_id, self.period)


def reminder_notification_key(kind: str, object_type: str, object_id: int, period: str) -> str:
    return f"reminder:{kind}:{object_type}:{object_id}:{period}"


class ReminderEmailOptOut(models.Model):
    """A user who does not want e-mail for one kind of reminder. The
    reminder still shows in their notification list."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_email_opt_outs"
    )
    kind = models.CharField(max_length=60)
    created_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_opt_out_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"No e-mail for {self.kind}"
