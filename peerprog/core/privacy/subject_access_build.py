"""Starting a subject access request, the background job that builds its
archive, its download, and the nightly deletion of old archives.

The archive is a zip: one JSON file per record kind (``kinds/<kind>.json``),
the uploaded files (``files/<kind>/...``), and ``report.html``, a plain page
of the same records for printing. It is written to scratch space with no
name on disk and stored whole in the private store
(``peerprog.core.storage``). ``peerprog.core.tasks`` runs the job.
"""

from __future__ import annotations

import json
import logging
import tempfile
import uuid
import zipfile
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from peerprog.core import storage
from peerprog.core.privacy import subject_access
from peerprog.core.privacy.subject_access_models import SubjectAccessRequest

if TYPE_CHECKING:
    from peerprog.core.models import Person, User

logger = logging.getLogger(__name__)
FOLDER = "subject-access"
DEFAULT_KEEP_DAYS = 30
ZIP_TYPE = "application/zip"
Status = SubjectAccessRequest.Status


def keep_days() -> int:
    return int(getattr(settings, "SUBJECT_ACCESS_KEEP_DAYS", DEFAULT_KEEP_DAYS))


def subject_access_start(
    *,
    by: User,
    person: Person | None = None,
    user: User | None = None,
    reference: str = "",
    reason: str = "",
    own_download: bool = False,
) -> SubjectAccessRequest:
    """Record a request for everything held about one person or one staff
    user, and queue the job that builds its archive once the request is
    saved."""
    from peerprog.core.tasks import subject_access_build

    programme_id = (
        person.programme_id if person is not None else getattr(user, "programme_id", None)
    )
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            programme_id=programme_id,
            person=person,
            user=user,
            requested_by=by,
            own_download=own_download,
            reference=reference,
            reason=reason,
        )
        request_id = request.pk
        transaction.on_commit(lambda: subject_access_build.delay(request_id))
    return request


def _value(value: Any) -> str:
    """A value as the printed report shows it: UK dates, "Yes"/"No"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (list, dict)):
        return json.dumps(value, cls=DjangoJSONEncoder)
    return str(value)


def _title(kind: str) -> str:
    return kind.replace("_", " ").capitalize()


def subject_name(request: SubjectAccessRequest) -> str:
    if request.person_id:
        return request.person.legal_name
    return request.user.get_full_name() or request.user.email


def write_archive(request: SubjectAccessRequest, archive: subject_access.Archive, out: Any) -> None:
    """Write the zip of one request's archive to an open binary file."""
    kinds = sorted(archive.kinds.items())
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for kind, rows in kinds:
            bundle.writestr(f"kinds/{kind}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=1))
        used: set[str] = set()
        for item in archive.files:
            name = f"files/{item.kind}/{item.name}"
            while name in used:
                name = f"files/{item.kind}/{uuid.uuid4().hex[:6]}-{item.name}"
            used.add(name)
            try:
                chunks, _size = storage.read_chunks(item.stored)
            except Http404:
                logger.warning("A file of subject access request %s is missing.", request.pk)
                continue
            with bundle.open(name, "w") as target:
                for chunk in chunks:
                    target.write(chunk)
        tables = []
        for kind, rows in kinds:
            columns: list[str] = []
            for row in rows:
                columns.extend(c for c in row if c not in columns)
            tables.append(
                {
                    "title": _title(kind),
                    "columns": [c.replace("_", " ") for c in columns],
                    "rows": [[_value(row.get(c)) for c in columns] for row in rows],
                }
            )
        report = render_to_string(
            "privacy/subject_access_report.html",
            {
                "request": request,
                "subject": subject_name(request),
                "tables": tables,
                "files": [f"files/{f.kind}/{f.name}" for f in archive.files],
                "made_on": timezone.localdate(),
            },
        )
        bundle.writestr("report.html", report)


def subject_access_build_job(*, request_id: int) -> bool:
    """Build a queued request's archive (claimed once, so a repeated
    delivery builds nothing). Called by the Celery task."""
    name = f"{FOLDER}/{uuid.uuid4().hex}.zip"
    claimed = SubjectAccessRequest.objects.filter(pk=request_id, status=Status.QUEUED).update(
        status=Status.RUNNING, file_name=name, step="Gathering the records"
    )
    if not claimed:
        return False
    request = SubjectAccessRequest.objects.select_related("person", "user").get(pk=request_id)
    try:
        leave_out = subject_access.exempt_kinds() if request.own_download else frozenset()
        archive = subject_access.gather(
            person=request.person, user=request.user, leave_out=leave_out
        )
        SubjectAccessRequest.objects.filter(pk=request_id).update(
            step=f"Writing the archive: {len(archive.kinds)} kinds of record, "
            f"{len(archive.files)} files"
        )
        with tempfile.TemporaryFile() as out:
            write_archive(request, archive, out)
            size = out.tell()
            stored = storage.save_file(name, out)
    except Exception:
        logger.exception("Subject access request %s failed.", request_id)
        _delete_quietly(name)
        SubjectAccessRequest.objects.filter(pk=request_id).update(
            status=Status.FAILED, finished_at=timezone.now(), file_name="", step=""
        )
        return False
    now = timezone.now()
    request.status = Status.DONE
    request.file_name = stored
    request.file_size = size
    request.finished_at = now
    request.expires_at = now + timedelta(days=keep_days())
    request.kinds = {kind: len(rows) for kind, rows in sorted(archive.kinds.items())}
    request.step = ""
    request.save()
    return True


def _delete_quietly(name: str) -> None:
    try:
        storage.delete_file(name)
    except Exception:
        logger.exception("Could not delete the subject access file %s.", name)


def subject_access_expire(*, now: datetime | None = None) -> int:
    """Delete the archives kept longer than ``SUBJECT_ACCESS_KEEP_DAYS``
    (counted from when each was made), fail requests a dead worker left
    behind, and delete any file in the folder that no request names; the
    number of archives deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=keep_days())
    expired = 0
    due = SubjectAccessRequest.objects.filter(status=Status.DONE, finished_at__lte=cutoff)
    for request in due:
        _delete_quietly(request.file_name)
        request.status = Status.EXPIRED
        request.file_name = ""
        request.save()
        expired += 1
    stale = now - timedelta(
        seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 0)
        + settings.CELERY_TASK_TIME_LIMIT
    )
    SubjectAccessRequest.objects.filter(
        status__in=[Status.QUEUED, Status.RUNNING], created_at__lt=stale
    ).update(status=Status.FAILED, finished_at=now, file_name="")
    stored = storage.files_in(FOLDER)
    kept = set(
        SubjectAccessRequest.objects.filter(
            status__in=[Status.QUEUED, Status.RUNNING, Status.DONE], file_name__in=stored
        ).values_list("file_name", flat=True)
    )
    for name in stored:
        if name not in kept:
            _delete_quietly(name)
    return expired


def get_own_request_or_404(user: User, pk: Any) -> SubjectAccessRequest:
    """A request the user asked for; 404 for anyone else's."""
    try:
        return SubjectAccessRequest.objects.select_related("person", "user").get(
            pk=pk, requested_by_id=user.pk
        )
    except (SubjectAccessRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request of yours.") from None


def download_response(request: SubjectAccessRequest, *, by: User) -> StreamingHttpResponse:
    """The archive, for the person who asked for it; the download is
    counted in the request's history (who, when)."""
    if request.status != Status.DONE:
        raise Http404("This archive is not ready, or has been deleted.")
    response = storage.download_response(
        request.file_name, filename=request.download_name, content_type=ZIP_TYPE
    )
    with transaction.atomic():
        locked = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
        locked.downloads += 1
        locked.last_downloaded_at = timezone.now()
        locked._history_user = by
        locked.save(update_fields=["downloads", "last_downloaded_at"])
    return response
