"""Imports as background jobs: the preview, and the import the person
confirms, each run by a Celery worker (``peerprog.core.tasks``) while the
person watches a progress page.

The preview's result is kept on the ``PendingImport``, so reloading the
preview page never checks the file again. The import writes the rows the
preview showed, all or none, in one transaction, and is refused when a row
would now do something else (the records changed underneath): the file is
then checked again, for a fresh preview.

Small files are checked and imported in the request, which is quicker than
a round trip through the queue; nothing that can take more than a moment
runs there. How far a job has got is kept in the shared cache, because the
import's own writes are invisible to others until its transaction commits.

Each job claims its ``PendingImport`` (waiting to running) with one update,
so a task the broker delivers twice does its work once.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from peerprog.core.import_bulk import RecordsChanged, check_file, previewed, write_file
from peerprog.core.imports import ImportRefused, Report
from peerprog.core.models import PendingImport, User

logger = logging.getLogger(__name__)
Status = PendingImport.Status
DEFAULT_INLINE_BYTES = 64 * 1024
PROGRESS_SECONDS = 24 * 60 * 60
FAILED = (
    "The file could not be checked or imported, and nothing was imported. Please try again; "
    "if it fails again, tell your system administrator."
)


def _inline(pending: PendingImport) -> bool:
    return len(pending.content) <= int(
        getattr(settings, "IMPORT_INLINE_BYTES", DEFAULT_INLINE_BYTES)
    )


def _progress_key(pk: int) -> str:
    return f"import-progress:{pk}"


def import_progress(pending: PendingImport) -> tuple[int, int]:
    """Rows done so far, and rows in the file (0 while it is being read)."""
    done, total, _at = cache.get(_progress_key(pending.pk)) or (0, pending.rows or 0, None)
    return done, total


def _watch(pk: int):  # type: ignore[no-untyped-def]
    pause = float(getattr(settings, "IMPORT_TEST_BATCH_PAUSE", 0))

    def progress(done: int, total: int) -> None:
        # Kept in the shared cache: the import's own writes, this included,
        # are unseen by others until it commits.
        cache.set(_progress_key(pk), (done, total, timezone.now()), PROGRESS_SECONDS)
        if pause:
            time.sleep(pause)

    return progress


def _set(pending: PendingImport, **values: object) -> None:
    if "status" in values:
        values["status_at"] = timezone.now()
    PendingImport.objects.filter(pk=pending.pk).update(**values)
    for name, value in values.items():
        setattr(pending, name, value)


STOPPED = (
    "The {what} of “{filename}” stopped before it finished: the server doing it stopped. "
    "Nothing was imported. Upload the file again to try again; if it stops again, tell "
    "your system administrator."
)


def _last_sign_of_life(pending: PendingImport) -> object:
    at = pending.status_at or pending.created_at
    _done, _total, progressed = cache.get(_progress_key(pending.pk)) or (0, 0, None)
    return max(at, progressed) if progressed else at


def imports_sweep() -> tuple[int, int]:
    """Mark as stopped the import jobs that have shown no progress for
    ``IMPORT_STUCK_MINUTES`` (their worker died: a running import's
    transaction died with it, so nothing was written), and delete the file
    of each job stopped ``IMPORT_STOPPED_FILE_MINUTES`` ago. Run by beat
    every minute; the numbers of jobs stopped and of files deleted."""
    now = timezone.now()
    stuck_before = now - timedelta(minutes=int(getattr(settings, "IMPORT_STUCK_MINUTES", 10)))
    running = [
        Status.PREVIEW_QUEUED,
        Status.PREVIEWING,
        Status.IMPORT_QUEUED,
        Status.IMPORTING,
    ]
    stopped = 0
    for pending in PendingImport.objects.filter(status__in=running).only(
        "pk", "status", "status_at", "created_at", "filename"
    ):
        if _last_sign_of_life(pending) >= stuck_before:
            continue
        what = "check" if pending.status in (Status.PREVIEW_QUEUED, Status.PREVIEWING) else "import"
        # Only if it is still where it was seen: a job that moved on since
        # is alive.
        stopped += PendingImport.objects.filter(pk=pending.pk, status=pending.status).update(
            status=Status.STOPPED,
            status_at=now,
            finished_at=now,
            message=STOPPED.format(what=what, filename=pending.filename),
        )
        logger.warning("Import %s stopped: no progress since %s.", pending.pk, stuck_before)
    keep = timedelta(minutes=int(getattr(settings, "IMPORT_STOPPED_FILE_MINUTES", 60)))
    deleted = (
        PendingImport.objects.filter(status=Status.STOPPED, status_at__lt=now - keep)
        .exclude(content=b"")
        .update(content=b"", report=None)
    )
    return stopped, deleted


# The services: each runs one job now.


def import_preview(*, pending: PendingImport, by: User) -> Report:
    """Check every row and keep what importing would do on the pending
    import. Writes no record, queues nothing, sends nothing. Raises
    ``ImportRefused`` (and keeps the reason) for a file that cannot be read."""
    cache.delete(_progress_key(pending.pk))
    _set(pending, status=Status.PREVIEWING)
    try:
        report = check_file(pending, progress=_watch(pending.pk))
    except ImportRefused as error:
        _set(pending, status=Status.REFUSED, message=error.message, finished_at=timezone.now())
        raise
    _set(
        pending,
        status=Status.PREVIEWED,
        report=report.as_json(),
        rows=report.total,
        finished_at=timezone.now(),
    )
    return report


def import_confirm(*, pending: PendingImport, by: User) -> Report:
    """Import every row the preview showed, or none.

    Refused, with nothing written, when any row has an error, or when the
    records changed since the preview so that a row would now do something
    else; the file is then checked again. Once imported, the stored file
    is emptied and only the counts are kept.
    """
    against = previewed(pending.report)
    pending.report = None  # the rows' values are not needed again
    cache.delete(_progress_key(pending.pk))
    _set(pending, status=Status.IMPORTING, message="")
    try:
        # The rows and the mark that they were imported commit together.
        with transaction.atomic():
            report = write_file(pending, against=against, progress=_watch(pending.pk))
            _imported(pending, report)
    except RecordsChanged as error:
        _set(pending, status=Status.PREVIEW_QUEUED, message=error.message, report=None)
        import_preview_start(pending=pending, by=by)
        raise
    except ImportRefused as error:
        _set(pending, status=Status.PREVIEWED, message=error.message)
        raise
    return report


def _imported(pending: PendingImport, report: Report) -> None:
    _set(
        pending,
        status=Status.IMPORTED,
        content=b"",
        report=None,
        message=(
            f"Imported {report.total} row{'s' if report.total != 1 else ''}: "
            f"{report.new} new, {report.updated} updated, {report.unchanged} unchanged."
        ),
        finished_at=timezone.now(),
    )


# Starting a job: now for a small file, else through the queue.


def import_preview_start(*, pending: PendingImport, by: User) -> None:
    _set(pending, status=Status.PREVIEW_QUEUED)
    if _inline(pending):
        import_preview_job(pending_id=pending.pk)
        pending.refresh_from_db()
        return
    from peerprog.core.tasks import import_preview_run

    pk = pending.pk
    transaction.on_commit(lambda: import_preview_run.delay(pk))


def import_confirm_start(*, pending: PendingImport, by: User) -> None:
    """Queue the import of a previewed file (once, however often the
    person presses the button)."""
    claimed = PendingImport.objects.filter(pk=pending.pk, status=Status.PREVIEWED).update(
        status=Status.IMPORT_QUEUED, message="", status_at=timezone.now()
    )
    if not claimed:
        raise ImportRefused("This file is not waiting to be imported.")
    if _inline(pending):
        import_confirm_job(pending_id=pending.pk)
        pending.refresh_from_db()
        return
    from peerprog.core.tasks import import_confirm_run

    pk = pending.pk
    transaction.on_commit(lambda: import_confirm_run.delay(pk))


def _claim(pending_id: int, waiting: str, running: str) -> PendingImport | None:
    claimed = PendingImport.objects.filter(pk=pending_id, status=waiting).update(
        status=running, status_at=timezone.now()
    )
    if not claimed:
        return None
    return PendingImport.objects.select_related("created_by").get(pk=pending_id)


def import_preview_job(*, pending_id: int) -> bool:
    """The preview job, run once per file (called by the Celery task)."""
    pending = _claim(pending_id, Status.PREVIEW_QUEUED, Status.PREVIEWING)
    if pending is None:
        return False
    try:
        import_preview(pending=pending, by=pending.created_by)
    except ImportRefused:
        return False
    except Exception:
        logger.exception("Preview of import %s failed.", pending_id)
        _set(pending, status=Status.REFUSED, message=FAILED, finished_at=timezone.now())
        return False
    return True


def import_confirm_job(*, pending_id: int) -> bool:
    """The import job, run once per confirmation (called by the Celery task)."""
    pending = _claim(pending_id, Status.IMPORT_QUEUED, Status.IMPORTING)
    if pending is None:
        return False
    try:
        import_confirm(pending=pending, by=pending.created_by)
    except ImportRefused:
        return False
    except Exception:
        logger.exception("Import %s failed.", pending_id)
        _set(pending, status=Status.PREVIEWED, message=FAILED)
        return False
    return True
