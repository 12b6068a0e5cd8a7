"""Retention snapshots: the month's figures, written once and never changed."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerprog.core.models import Programme, Service
from recruitment.models import Cohort


class RetentionSnapshot(models.Model):
    """One month's retention figures for the peer workers of one training
    cohort (or none on record) who started in one service.

    Written once by ``deployment.snapshots.retention_snapshot_take`` with a
    single aggregate query and never updated: a rerun of a month writes
    nothing, so reports of past months stay as they were first taken.
    Counts only, never names.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month the figures describe.")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    appointed = models.PositiveIntegerField(help_text="Started in a peer post by the month's end.")
    in_post = models.PositiveIntegerField(help_text="In a peer post on the month's last day.")
    starters = models.PositiveIntegerField(help_text="First day in a peer post in the month.")
    leavers = models.PositiveIntegerField(help_text="Left (not transferred) in the month.")
    absence_days = models.PositiveIntegerField(help_text="Days of absence within the month.")
    reached_6 = models.PositiveIntegerField()
    retained_6 = models.PositiveIntegerField()
    reached_12 = models.PositiveIntegerField()
    retained_12 = models.PositiveIntegerField()
    reached_24 = models.PositiveIntegerField()
    retained_24 = models.PositiveIntegerField()
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month", "cohort", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "cohort", "service"],
                condition=Q(cohort__isnull=False),
                name="retention_snapshot_once_per_month_cohort_service",
            ),
            models.UniqueConstraint(
                fields=["month", "service"],
                condition=Q(cohort__isnull=True),
                name="retention_snapshot_once_per_month_service_without_cohort",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="retention_snapshot_month_starts_on_the_first"
            ),
        ]

    def __str__(self) -> str:
        return f"Retention snapshot {self.month:%B %Y}"
