"""Who read what: one row per read of special-category data.

Written by the pages that show sensitive facts, adjustments, absence health
details, wellbeing plans, application statements, portfolio feedback and
mentor and supervision notes, always through
``peerprog.core.privacy.read_log.reads_log``. Never changed once written.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerprog.core.models.organisation import Programme
from peerprog.core.models.people import Person


class ReadKind(models.TextChoices):
    """What kind of special-category fact was read."""

    SENSITIVE_FACTS = "sensitive_facts", "Sensitive facts"
    ADJUSTMENTS = "adjustments", "Reasonable adjustments"
    ABSENCE_HEALTH = "absence_health", "Absence health details"
    WELLBEING_PLAN = "wellbeing_plan", "Wellbeing plan"
    APPLICATION_STATEMENT = "application_statement", "Application statement"
    PORTFOLIO_FEEDBACK = "portfolio_feedback", "Portfolio feedback"
    MENTOR_NOTES = "mentor_notes", "Mentor meeting notes"
    SUPERVISION_NOTES = "supervision_notes", "Supervision notes"
    EXPORT = "export", "Export holding special-category data"
    ERASURE_REVIEW = "erasure_review", "Free text reviewed for an erasure"


class ReadPurpose(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    PRINTED = "printed", "Printed copy"
    EDITED = "edited", "Opened to change"
    EXPORTED = "exported", "Exported"


class ReadLog(models.Model):
    """One read: who, when, which record (and whose), what kind of fact and
    from which page. An export is one row naming the export and its filters
    (``detail``), with no record or person."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=30, choices=ReadKind.choices)
    purpose = models.CharField(
        max_length=20, choices=ReadPurpose.choices, default=ReadPurpose.VIEWED
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    page = models.CharField("page", max_length=120, help_text="The page's URL name.")
    detail = models.CharField(
        max_length=300, blank=True, help_text="For an export: its name and filters."
    )

    class Meta:
        ordering = ["-read_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "read_at"]),
            models.Index(fields=["programme", "read_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="readlog_record_named_whole",
                violation_error_message="A read names both the kind of record and the record.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_purpose_display().lower()}"
