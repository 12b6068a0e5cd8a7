"""The record of every export: who downloaded which list, with which
filters, in which format, how many rows, and when. Admins read it.

A large export runs in the background; its record then also tracks the job
(queued, running, done, failed), its progress and the private file it wrote,
which only the person who asked for it may download, until it expires, and
only while their role and programme still allow that export: a change of
either withdraws the file.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ExportRecord(models.Model):
    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        SENT = "sent", "Downloaded straight away"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn: it may hold what can no longer be shared"

    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        "core.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    filters = models.TextField(
        blank=True, help_text="The filters in plain words, as they were when the list was exported."
    )
    file_format = models.CharField(max_length=10, choices=Format.choices)
    sensitive_included = models.BooleanField(
        default=False, help_text="Special-category columns were included."
    )
    rows_expected = models.PositiveIntegerField(null=True, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["programme", "-created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file_name=""),
                name="export_done_has_a_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_file_format_display()})"

    @property
    def is_background(self) -> bool:
        return self.status != self.Status.SENT

    @property
    def is_finished(self) -> bool:
        return self.status in {
            self.Status.DONE,
            self.Status.FAILED,
            self.Status.EXPIRED,
            self.Status.WITHDRAWN,
        }

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_expected:
            return 0
        return min(99, int(100 * (self.rows or 0) / self.rows_expected))

    @property
    def download_name(self) -> str:
        stamp = timezone.localtime(self.created_at).strftime("%Y-%m-%d")
        slug = self.key.replace(".", "-")
        return f"{slug}-{stamp}.{self.file_format}"
