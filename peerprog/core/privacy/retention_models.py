"""The retention schedule: a rule per kind of record, the records whose
time has come, and legal holds that keep a record whatever the schedule."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerprog.core.models.organisation import Programme
from peerprog.core.models.people import Person


class RetentionRule(models.Model):
    """How long one kind of record is kept: ``months`` after the date the
    kind names (a cohort's window closing, leaving, a decision). Edited by
    the data protection officer; seeded by a data migration."""

    kind = models.CharField(max_length=60, unique=True)
    months = models.PositiveSmallIntegerField(
        "months kept",
        validators=[MinValueValidator(1), MaxValueValidator(1200)],
        help_text="Whole months after the date the rule counts from.",
    )
    basis = models.TextField(
        "why this long", blank=True, help_text="The reason or the guidance the period rests on."
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1), name="retentionrule_at_least_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.months} months"


class RetentionDue(models.Model):
    """A record whose time has come under the schedule, listed by the
    monthly task for the officer to review. Listing the same record again
    changes nothing (one row per record and kind)."""

    class Status(models.TextChoices):
        DUE = "due", "Due"
        DONE = "done", "Anonymised or deleted"

    kind = models.CharField(max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=200, help_text="What the record is, never what it says.")
    due_on = models.DateField()
    listed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"], name="retentiondue_once_per_record"
            ),
            models.CheckConstraint(
                condition=Q(status="due", done_at__isnull=True)
                | Q(status="done", done_at__isnull=False),
                name="retentiondue_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class LegalHold(models.Model):
    """A record kept whatever the schedule says, with the reason (a claim, a
    complaint, an investigation). Lifting it lets the schedule act again."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=200)
    reason = models.TextField()
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(lifted_at__isnull=True),
                name="legalhold_one_open_per_record",
                violation_error_message="This record is already under a legal hold.",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="legalhold_lifted_by_someone",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="legalhold_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Legal hold on {self.label}"
