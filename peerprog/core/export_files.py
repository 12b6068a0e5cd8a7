"""Background exports: the Celery job that writes a long export's file into
the private store (``peerprog.core.storage``, shared by every web and worker
process), its download by the person who asked for it only, and its
deletion from the store when it expires.

``exports.serve`` queues the job; ``peerprog.core.tasks`` runs it.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone

from peerprog.core import storage
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


EXPORT_FOLDER = "exports"
ACTIVE = (ExportRecord.Status.QUEUED, ExportRecord.Status.RUNNING, ExportRecord.Status.DONE)


def export_prepare(*, record_id: int) -> bool:
    """Write a queued export's file into the private store; called by the
    Celery task.

    The record is claimed (queued to running), with the name its file will
    have in the store, so that a task the broker delivers twice writes the
    file once and a worker that dies while writing leaves a name the
    clean-up can find. The user's role is checked again: someone whose role
    was taken away meanwhile gets no file. The file is written to scratch
    space with no name on disk and stored whole when complete.
    """
    name = f"{EXPORT_FOLDER}/{uuid.uuid4().hex}"
    record = ExportRecord.objects.filter(pk=record_id).only("file_format").first()
    if record is None:
        return False
    name = f"{name}.{record.file_format}"
    claimed = ExportRecord.objects.filter(pk=record_id, status=ExportRecord.Status.QUEUED).update(
        status=ExportRecord.Status.RUNNING, file_name=name
    )
    if not claimed:
        return False
    record = ExportRecord.objects.select_related("user").get(pk=record_id)
    try:
        spec = get_spec(record.key)
        if not spec.may_export(record.user):
            raise PermissionError("The user may no longer export this list.")

        def progress(count: int) -> None:
            ExportRecord.objects.filter(pk=record_id).update(rows=count)

        with tempfile.TemporaryFile() as out:
            written = write(
                record.key, record.user, record.params, record.file_format, out, progress=progress
            )
            stored = storage.save_file(name, out)
        if stored != name:
            ExportRecord.objects.filter(pk=record_id).update(file_name=stored)
            name = stored
    except Exception:
        logger.exception("Background export %s failed.", record_id)
        _delete_quietly(name)
        ExportRecord.objects.filter(pk=record_id).update(
            status=ExportRecord.Status.FAILED, finished_at=timezone.now(), file_name=""
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
    )
    if not finished:
        _delete_quietly(name)
        return False
    return True


def _delete_quietly(name: str) -> None:
    """Delete a stored export file; a store that fails is logged, and the
    hourly clean-up tries again (it lists what the store holds)."""
    try:
        storage.delete_file(name)
    except Exception:
        logger.exception("Could not delete the stored export file %s.", name)


def exports_withdraw_one(*, record: ExportRecord) -> None:
    """Delete one ready export's file and mark it withdrawn."""
    _delete_quietly(record.file_name)
    ExportRecord.objects.filter(pk=record.pk, status=ExportRecord.Status.DONE).update(
        status=ExportRecord.Status.WITHDRAWN, file_name="", finished_at=timezone.now()
    )


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete from the store the files of background exports past their
    expiry, fail the ones a dead worker left behind, and delete any file the
    store holds that no waiting or ready export names; the number of exports
    expired."""
    now = now or timezone.now()
    expired = 0
    due = ExportRecord.objects.filter(status=ExportRecord.Status.DONE, expires_at__lte=now)
    for record in due.only("pk", "file_name").iterator():
        _delete_quietly(record.file_name)
        expired += ExportRecord.objects.filter(
            pk=record.pk, status=ExportRecord.Status.DONE
        ).update(status=ExportRecord.Status.EXPIRED, file_name="")
    exports_abandoned_fail(now=now)
    exports_unclaimed_delete()
    return expired


def exports_abandoned_fail(*, now: datetime | None = None) -> int:
    """Mark as failed the background exports that can no longer finish, and
    delete whatever part of their file reached the store: a worker that died
    while writing leaves its claim behind, and by the time the broker would
    have delivered the task again and the hard time limit has passed,
    nothing will complete it. The person who asked sees that it failed and
    can ask again, rather than waiting for ever."""
    now = now or timezone.now()
    broker = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 0)
    cutoff = now - timedelta(seconds=broker + settings.CELERY_TASK_TIME_LIMIT)
    failed = 0
    abandoned = ExportRecord.objects.filter(
        status__in=[ExportRecord.Status.QUEUED, ExportRecord.Status.RUNNING],
        created_at__lt=cutoff,
    )
    for record in abandoned.only("pk", "file_name"):
        _delete_quietly(record.file_name)
        failed += ExportRecord.objects.filter(
            pk=record.pk,
            status__in=[ExportRecord.Status.QUEUED, ExportRecord.Status.RUNNING],
        ).update(status=ExportRecord.Status.FAILED, finished_at=now, file_name="")
    return failed


def exports_unclaimed_delete() -> int:
    """Delete the export files in the store that no waiting, running or
    ready export names (one whose deletion failed before, say); how many.
    A file is named on its record before it is written, so a file being
    written now is never taken."""
    stored = storage.files_in(EXPORT_FOLDER)
    if not stored:
        return 0
    kept = set(
        ExportRecord.objects.filter(status__in=ACTIVE, file_name__in=stored).values_list(
            "file_name", flat=True
        )
    )
    deleted = 0
    for name in stored:
        if name not in kept:
            _delete_quietly(name)
            deleted += 1
    return deleted


def exports_withdraw(*, user: User) -> int:
    """Withdraw a user's background exports that are waiting, being written
    or ready: their files are deleted and nobody can download them. Called
    when the user's roles or programme change, since a file prepared under
    the old ones may hold what the new ones do not allow. Gives how many
    were withdrawn."""
    withdrawn = 0
    for record in ExportRecord.objects.filter(user_id=user.pk, status__in=ACTIVE).only(
        "pk", "file_name", "status"
    ):
        # A file still being written is deleted by its job when it sees
        # the withdrawal.
        if record.status == ExportRecord.Status.DONE:
            _delete_quietly(record.file_name)
        withdrawn += ExportRecord.objects.filter(pk=record.pk, status__in=ACTIVE).update(
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


def download_response(record: ExportRecord, user: User) -> StreamingHttpResponse:
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
    content_type = XLSX_TYPE if record.file_format == "xlsx" else CSV_TYPE
    return storage.download_response(
        record.file_name, filename=record.download_name, content_type=content_type
    )


def exports_withdraw_programme(*, programme_id: int) -> int:
    """Withdraw every waiting, running or ready background export of a
    programme, deleting the files once the transaction commits: any of
    them may hold a person whose data has just been erased. Gives how many
    were withdrawn."""
    records = ExportRecord.objects.filter(programme_id=programme_id, status__in=ACTIVE)
    names = [name for name in records.values_list("file_name", flat=True) if name]
    withdrawn = records.update(
        status=ExportRecord.Status.WITHDRAWN, file_name="", finished_at=timezone.now()
    )

    def delete_files() -> None:
        for name in names:
            _delete_quietly(name)

    transaction.on_commit(delete_files)
    return withdrawn
