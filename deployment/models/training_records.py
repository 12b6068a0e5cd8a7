"""Mandatory and role-specific training once in post: an editable
catalogue of courses per programme, and each peer worker's records of the
courses they completed, with when each expires."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from peerprog.core.history import History
from peerprog.core.models import Person, Programme


class TrainingCourse(models.Model):
    """A course in the programme's catalogue. A mandatory course counts in
    everyone's compliance; a course used by a record is archived, never
    deleted."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    is_mandatory = models.BooleanField(
        "mandatory for every peer worker",
        default=True,
        help_text="Mandatory courses count in the compliance view; others are recorded only.",
    )
    valid_for_months = models.PositiveSmallIntegerField(
        "valid for, in months",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Suggests the expiry of a new record. Leave empty if it does not expire.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_archived = models.BooleanField("archived", default=False)
    history = History()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="training_course_name_unique",
                violation_error_message="The catalogue already has a course with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TrainingRecord(models.Model):
    """A peer worker completed a course on a day; it may expire."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="training_records")
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField("date completed")
    expires_on = models.DateField("expires on", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    history = History()

    class Meta:
        ordering = ["person", "course", "-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "completed_on"],
                name="training_record_once_per_day",
                violation_error_message="This course is already recorded as completed that day.",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("completed_on")),
                name="training_record_expires_after_completion",
                violation_error_message="The expiry must be after the date completed.",
            ),
        ]
        indexes = [models.Index(fields=["expires_on"])]

    def __str__(self) -> str:
        return f"{self.course} completed {self.completed_on:%-d %B %Y}"
