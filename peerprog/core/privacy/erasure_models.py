"""Erasure requests: a person's right to have what peerprog holds about
them erased. One officer asks, naming the person and the reason; a second
officer or an admin approves or refuses. Approval anonymises the person's
own records everywhere (``erasure.person_erase``) and lists the free text in
other people's records that may mention them (``ErasureMention``) for the
officer to review by hand.

Neither table holds the erased values: a request keeps the person's record
(by then anonymised) and the reason; a mention names a record and a field,
never the text.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from peerprog.core.history import History


class ErasureRequest(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for approval"
        ERASED = "erased", "Approved and erased"
        REFUSED = "refused", "Refused"

    programme = models.ForeignKey("core.Programme", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="erasure_requests"
    )
    reason = models.TextField(
        help_text="Why the person's data is to be erased: who asked, and on what grounds."
    )
    reference = models.CharField(
        "reference", max_length=100, blank=True, help_text="Your case or letter reference."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    # Rows changed per kind of record ("Applications": 2), for the officer's
    # record of what was done: counts only.
    erased = models.JSONField("records anonymised", default=dict, blank=True)
    history = History()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="waiting"),
                name="erasure_one_waiting_per_person",
            ),
            # The four-eyes rule: whoever decides did not ask.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="erasure_decided_by_someone_else",
            ),
            models.CheckConstraint(
                condition=Q(status="waiting", decided_at__isnull=True)
                | (~Q(status="waiting") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="erasure_decision_is_dated_and_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure request {self.pk}"

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING


class ErasureMention(models.Model):
    """A field of someone else's record that named the erased person when
    the erasure was approved: for the officer to read and edit."""

    request = models.ForeignKey(ErasureRequest, on_delete=models.CASCADE, related_name="mentions")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=100)
    label = models.CharField(
        max_length=200, help_text="The kind of record and whose it is, never what it says."
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "content_type", "object_id", "field"],
                name="erasure_mention_once",
            )
        ]

    def __str__(self) -> str:
        return self.label
