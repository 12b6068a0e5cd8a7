"""A subject access request: everything peerprog holds about one person
(or one staff user), gathered by a background task into a zip in the
private store, downloaded only by the officer (or the person) who asked,
and deleted after ``SUBJECT_ACCESS_KEEP_DAYS`` days.

Each request, its progress and every download are kept in the request's
history (who, when), which the audit trail reads.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerprog.core.history import History


class SubjectAccessRequest(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Deleted after the time it is kept"

    programme = models.ForeignKey(
        "core.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subject_access_requests",
    )
    user = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subject_access_requests",
        verbose_name="staff user",
    )
    requested_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    own_download = models.BooleanField(
        "the person's own download", default=False, help_text="Leaves out the exempt kinds."
    )
    reference = models.CharField(
        "reference", max_length=100, blank=True, help_text="Your case or letter reference."
    )
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField("progress", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField("size in bytes", null=True, blank=True)
    kinds = models.JSONField("rows per kind", default=dict, blank=True)
    downloads = models.PositiveIntegerField(default=0)
    last_downloaded_at = models.DateTimeField(null=True, blank=True)
    history = History()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(user__isnull=True))
                | (Q(person__isnull=True) & Q(user__isnull=False)),
                name="subject_access_names_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file_name=""),
                name="subject_access_done_has_a_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"

    @property
    def subject(self) -> object:
        return self.person if self.person_id else self.user

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED}

    @property
    def download_name(self) -> str:
        stamp = timezone.localtime(self.created_at).strftime("%Y-%m-%d")
        return f"subject-access-{self.pk}-{stamp}.zip"
