"""Spreadsheet imports waiting for the user to confirm the preview."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from peerprog.core.models.organisation import Programme
from peerprog.core.models.users import User


class PendingImport(models.Model):
    """An uploaded file, its preview and its import, as background jobs.

    The file is kept in the database, which every web process and worker
    shares, and is emptied once it is imported or deleted on cancel (and
    after a day, if neither happened), so personal data does not linger on a
    server's disk. The preview's result is kept here, so that reloading the
    preview page does not check the file again, and so that the import can
    tell whether the records changed since the preview.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class Status(models.TextChoices):
        PREVIEW_QUEUED = "preview_queued", "Waiting to be checked"
        PREVIEWING = "previewing", "Checking the file"
        PREVIEWED = "previewed", "Checked"
        IMPORT_QUEUED = "import_queued", "Waiting to be imported"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        REFUSED = "refused", "Could not be read"
        STOPPED = "stopped", "Stopped before it finished"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    importer = models.CharField(max_length=100)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200)
    file_format = models.CharField(max_length=10, choices=Format.choices)
    content = models.BinaryField()
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW_QUEUED)
    # The preview's result (peerprog.core.import_bulk.Report as JSON), or
    # after the import the counts of what it did.
    report = models.JSONField(null=True, blank=True)
    # A plain-words note for the person: why the file could not be read, or
    # why the import was refused.
    message = models.TextField(blank=True)
    rows = models.PositiveIntegerField("rows in the file", null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the job last changed status: a job running with no progress
    # since long before (``IMPORT_STUCK_MINUTES``) lost its worker.
    status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_running(self) -> bool:
        return self.status in {
            self.Status.PREVIEW_QUEUED,
            self.Status.PREVIEWING,
            self.Status.IMPORT_QUEUED,
            self.Status.IMPORTING,
        }
