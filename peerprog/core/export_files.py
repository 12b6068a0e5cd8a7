"""Background exports: the Celery job that writes a long export's file, the
private place files are kept, their download by the person who asked for
them only, and their deletion when they expire.

``exports.serve`` queues the job; ``peerprog.core.tasks`` runs it.
"""

from __future__ import annotations

import logging
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils import timezone

from peerprog.core.export_records import ExportRecord
from peerprog.core.export_specs import (
    CSV_TYPE,
    XLSX_TYPE,
    get_spec,
    write,
)

if TYPE_CHECKING:
    from peerprog.core.models import User

logger = logging.getLogger(__name__)
DEFAULT_FILE_HOURS = 24


def _file_lifetime() -> timedelta:
    return timedelta(hours=int(getattr(settings, "EXPORT_FILE_HOURS", DEFAULT_FILE_HOURS)))


def export_root() -> Path:
    """Where background exports are kept: beside the other private files,
    outside MEDIA_ROOT, with no public address."""
    default = Path(settings.BASE_DIR) / "private"
    return Path(getattr(settings, "PRIVATE_STORAGE_ROOT", default)) / "exports"


def export_prepare(*, record_id: int) -> bool:
    """Write a queued export's file; called by the Celery task.

    The record is claimed (queued to running) so that a task the broker
    delivers twice writes the file once. The user's role is checked again:
    someone whose role was taken away meanwhile gets no file. The file is
    written beside its final name and moved into place when complete.
    """
    claimed = ExportRecord.objects.filter(pk=record_id, status=ExportRecord.Status.QUEUED).update(
        status=ExportRecord.Status.RUNNING
    )
    if not claimed:
        return False
    record = ExportRecord.objects.select_related("user").get(pk=record_id)
    root = export_root()
    root.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.{record.file_format}"
    final = root / name
    partial = root / (name + ".part")
    try:
        spec = get_spec(record.key)
        if not spec.may_export(record.user):
            raise PermissionError("The user may no longer export this list.")

        def progress(count: int) -> None:
            ExportRecord.objects.filter(pk=record_id).update(rows=count)

        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            written = write(
                record.key, record.user, record.params, record.file_format, out, progress=progress
            )
        os.replace(partial, final)
    except Exception:
        partial.unlink(missing_ok=True)
        logger.exception("Background export %s failed.", record_id)
        ExportRecord.objects.filter(pk=record_id).update(
            status=ExportRecord.Status.FAILED, finished_at=timezone.now()
        )
        return False
    now = timezone.now()
    # Only a claim still running becomes a file to download: an export
    # withdrawn while it was being written keeps no file.
    finished = ExportRecord.objects.filter(pk=record_id, status=ExportRecord.Status.RUNNING).update(
        status=ExportRecord.Status.DONE,
        rows=written,
        finished_at=now,
        expires_at=now + _file_lifetime(),
        file_name=f"exports/{name}",
    )
    if not finished:
        final.unlink(missing_ok=True)
        return False
    return True


def export_file_path(record: ExportRecord) -> Path:
    return export_root() / Path(record.file_name).name


def exports_withdraw_one(*, record: ExportRecord) -> None:
    """Delete one ready export's file and mark it withdrawn."""
    if record.file_name:
        export_file_path(record).unlink(missing_ok=True)
    ExportRecord.objects.filter(pk=record.pk, status=ExportRecord.Status.DONE).update(
        status=ExportRecord.Status.WITHDRAWN, file_name="", finished_at=timezone.now()
    )


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of background exports past their expiry; the number
    of exports expired."""
    now = now or timezone.now()
    expired = 0
    due = ExportRecord.objects.filter(status=ExportRecord.Status.DONE, expires_at__lte=now)
    for record in due.only("pk", "file_name").iterator():
        export_file_path(record).unlink(missing_ok=True)
        expired += ExportRecord.objects.filter(
            pk=record.pk, status=ExportRecord.Status.DONE
        ).update(status=ExportRecord.Status.EXPIRED, file_name="")
    exports_abandoned_fail(now=now)
    return expired


def exports_abandoned_fail(*, now: datetime | None = None) -> int:
    """Mark as failed the background exports that can no longer finish: a
    worker that died while writing leaves its claim behind, and by the time
    the broker would have delivered the task again and the hard time limit
    has passed, nothing will complete it. The person who asked sees that it
    failed and can ask again, rather than waiting for ever."""
    now = now or timezone.now()
    broker = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 0)
    cutoff = now - timedelta(seconds=broker + settings.CELERY_TASK_TIME_LIMIT)
    return ExportRecord.objects.filter(
        status__in=[ExportRecord.Status.QUEUED, ExportRecord.Status.RUNNING],
        created_at__lt=cutoff,
    ).update(status=ExportRecord.Status.FAILED, finished_at=now)


def exports_withdraw(*, user: User) -> int:
    """Withdraw a user's background exports that are waiting, being written
    or ready: their files are deleted and nobody can download them. Called
    when the user's roles or programme change, since a file prepared under
    the old ones may hold what the new ones do not allow. Gives how many
    were withdrawn."""
    waiting = [ExportRecord.Status.QUEUED, ExportRecord.Status.RUNNING, ExportRecord.Status.DONE]
    withdrawn = 0
    for record in ExportRecord.objects.filter(user_id=user.pk, status__in=waiting).only(
        "pk", "file_name"
    ):
        if record.file_name:
            export_file_path(record).unlink(missing_ok=True)
        withdrawn += ExportRecord.objects.filter(pk=record.pk, status__in=waiting).update(
            status=ExportRecord.Status.WITHDRAWN, file_name="", finished_at=timezone.now()
        )
    return withdrawn


def export_still_allowed(record: ExportRecord, user: User) -> bool:
    """Whether the user may still have this export's file, by the same rules
    as starting it: a role the export allows, the programme it was made in,
    and, when the file holds special-category columns, the right to read
    them."""
    try:
        spec = get_spec(record.key)
    except LookupError:
        return False
    if not spec.may_export(user) or user.programme_id != record.programme_id:
        return False
    return not record.sensitive_included or spec.reads_sensitive(user)


def get_own_export_or_404(user: User, pk: Any) -> ExportRecord:
    """A background export of the user's own; 404 for anyone else's."""
    try:
        return ExportRecord.objects.exclude(status=ExportRecord.Status.SENT).get(
            pk=pk, user_id=user.pk
        )
    except (ExportRecord.DoesNotExist, ValueError, TypeError):
        raise Http404("No such export of yours.") from None


def download_response(record: ExportRecord, user: User) -> FileResponse:
    """The file of a ready export, for the person who asked for it, checked
    again against what they may export now. A file they may no longer have
    is withdrawn on the spot."""
    if record.status == ExportRecord.Status.DONE and not export_still_allowed(record, user):
        exports_withdraw_one(record=record)
        raise PermissionDenied(
            "Your role or programme has changed since you asked for this export, "
            "so its file has been withdrawn."
        )
    if record.status != ExportRecord.Status.DONE:
        raise Http404("This export is not ready, or has expired.")
    path = export_file_path(record)
    if not path.exists():
        raise Http404("This export's file is no longer kept.")
    content_type = XLSX_TYPE if record.file_format == "xlsx" else CSV_TYPE
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=record.download_name,
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
