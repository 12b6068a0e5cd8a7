"""Retention snapshots: the month's figures, frozen for ordinary work and
re-taken as a revision when an event is dated into a month already taken."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerprog.core.models import Programme, Service
from recruitment.models import Cohort


class RetentionSnapshotQuerySet(models.QuerySet["RetentionSnapshot"]):
    def current(self) -> RetentionSnapshotQuerySet:
        """The figures that stand: for each month, cohort and service the
        latest revision, or the original when it was never revised."""
        return self.filter(superseded_at__isnull=True)


class RetentionSnapshot(models.Model):
    """One month's retention figures for the peer workers of one training
    cohort (or none on record) who started in one service.

    The original (``revision`` 0) is written once by
    ``deployment.snapshots.retention_snapshot_take`` with a single aggregate
    query: a rerun of a month writes nothing, so ordinary work never changes
    a past month. When an event is later recorded with a date in a month
    already taken (a start, a leaving or transfer, an absence),
    ``deployment.snapshots.retention_snapshots_revise`` re-takes that month
    and the later months taken, and where a group's figures differ it writes
    a revision (``revision`` 1, 2, ...; ``taken_at`` is when it was revised)
    beside the row it replaces, which keeps its figures and gets
    ``superseded_at``. Rows are never updated otherwise nor deleted. The
    constraints keep one current row (``superseded_at`` empty) per month,
    cohort and service, and one row of each revision number.
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
    revision = models.PositiveIntegerField(
        default=0,
        help_text="0 for the figures as first taken; 1, 2, ... for each re-take that "
        "changed them after an event was dated into the month.",
    )
    superseded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a revision replaced these figures; empty while they stand.",
    )

    objects = RetentionSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["month", "cohort", "service", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "cohort", "service"],
                condition=Q(cohort__isnull=False, superseded_at__isnull=True),
                name="retention_snapshot_one_current_per_month_cohort_service",
            ),
            models.UniqueConstraint(
                fields=["month", "service"],
                condition=Q(cohort__isnull=True, superseded_at__isnull=True),
                name="retention_snapshot_one_current_per_month_service_without_cohort",
            ),
            models.UniqueConstraint(
                fields=["month", "cohort", "service", "revision"],
                condition=Q(cohort__isnull=False),
                name="retention_snapshot_each_revision_once_per_cohort_service",
            ),
            models.UniqueConstraint(
                fields=["month", "service", "revision"],
                condition=Q(cohort__isnull=True),
                name="retention_snapshot_each_revision_once_per_service_without_cohort",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="retention_snapshot_month_starts_on_the_first"
            ),
        ]

    def __str__(self) -> str:
        if self.revision:
            return f"Retention snapshot {self.month:%B %Y}, revision {self.revision}"
        return f"Retention snapshot {self.month:%B %Y}"


class RetentionFigures(models.Model):
    """The retention page's figures for one programme, as
    ``deployment.services.retention_figures_refresh`` last counted them from
    the live records: each cohort's and service's row, the people counted by
    days in post for the curves, and the month-by-month trend. The page reads
    them rather than counting every peer worker on each view; they are
    counted again when a record they count changes (``token``: the change
    mark they were counted under) and when older than a few minutes.
    Counts only, never names."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="+")
    counted_on = models.DateField(help_text="The day the figures were counted for.")
    refreshed_at = models.DateTimeField()
    token = models.CharField(max_length=40, blank=True)
    figures = models.JSONField(default=dict)
    # Each cohort's people counted by days in post, for its curve: read only
    # when a cohort is chosen.
    curves = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Retention figures at {self.refreshed_at:%Y-%m-%d %H:%M}"
