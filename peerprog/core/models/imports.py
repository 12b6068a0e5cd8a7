"""Spreadsheet imports waiting for the user to confirm the preview."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from peerprog.core.models.organisation import Programme
from peerprog.core.models.users import User


class PendingImport(models.Model):
    """An uploaded file waiting for the person who uploaded it to confirm.

    The file is kept in the database, which every web process shares, and is
    deleted on confirm or cancel (and after a day, if neither happened), so
    personal data does not linger on a server's disk.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    importer = models.CharField(max_length=100)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200)
    file_format = models.CharField(max_length=10, choices=Format.choices)
    content = models.BinaryField()
    options = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
