"""Log reads of special-category data: the one helper every page uses.

A page that shows one record logs one row; a page that shows many people's
facts logs them all in one ``bulk_create`` (a fixed number of queries
whatever the rows); an export logs one row naming the export and its
filters, never one per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from peerprog.core.privacy.read_log_models import ReadKind, ReadLog, ReadPurpose

__all__ = [
    "ReadKind",
    "ReadPurpose",
    "export_read_log",
    "mixed_reads_log",
    "read_log",
    "reads_log",
]


def _page(request: HttpRequest | None, page: str) -> str:
    if page:
        return page
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match else "")[:120]


def reads_log(
    *,
    by: Any,
    kind: str,
    records: Iterable[models.Model],
    request: HttpRequest | None = None,
    page: str = "",
    purpose: str = ReadPurpose.VIEWED,
    person_attr: str = "person_id",
    person_id: int | None = None,
) -> int:
    """Log one read of each record, by the signed-in user, in one query.

    ``person_attr`` names the attribute of a record that holds its
    person's id (``"pk"`` when the records are people). Records repeated in
    the list are logged once. Returns the number of rows written."""
    return mixed_reads_log(
        by=by,
        reads=((kind, record) for record in records),
        request=request,
        page=page,
        purpose=purpose,
        person_attr=person_attr,
        person_id=person_id,
    )


def mixed_reads_log(
    *,
    by: Any,
    reads: Iterable[tuple[str, models.Model]],
    request: HttpRequest | None = None,
    page: str = "",
    purpose: str = ReadPurpose.VIEWED,
    person_attr: str = "person_id",
    person_id: int | None = None,
) -> int:
    """Log reads of several kinds of fact shown on one page (a person's
    sensitive facts and their adjustments, say) in one query. ``person_id``
    names the person when every record is about the same one and does not
    hold their id itself (a draft of their portfolio)."""
    if not getattr(by, "is_authenticated", False) or not by.programme_id:
        return 0
    now = timezone.now()
    where = _page(request, page)
    rows: dict[tuple[int, int], ReadLog] = {}
    for kind, record in reads:
        content_type = ContentType.objects.get_for_model(record, for_concrete_model=False)
        key = (content_type.pk, record.pk)
        if key in rows:
            continue
        rows[key] = ReadLog(
            programme_id=by.programme_id,
            reader_id=by.pk,
            read_at=now,
            kind=kind,
            purpose=purpose,
            content_type=content_type,
            object_id=record.pk,
            person_id=person_id if person_id is not None else getattr(record, person_attr),
            page=where,
        )
    if not rows:
        return 0
    ReadLog.objects.bulk_create(rows.values())
    return len(rows)


def read_log(
    *,
    by: Any,
    kind: str,
    record: models.Model,
    request: HttpRequest | None = None,
    page: str = "",
    purpose: str = ReadPurpose.VIEWED,
    person_attr: str = "person_id",
    person_id: int | None = None,
) -> int:
    """Log one read of one record."""
    return reads_log(
        by=by,
        kind=kind,
        records=[record],
        request=request,
        page=page,
        purpose=purpose,
        person_attr=person_attr,
        person_id=person_id,
    )


def export_read_log(*, by: Any, kind: str, export: str, filters: str = "", page: str = "") -> int:
    """Log one export of special-category data: one row naming the export
    and its filters, whatever the number of rows in it."""
    if not by.programme_id:
        return 0
    detail = f"{export} ({filters})" if filters else export
    ReadLog.objects.create(
        programme_id=by.programme_id,
        reader=by,
        kind=kind,
        purpose=ReadPurpose.EXPORTED,
        page=page or export,
        detail=detail[:300],
    )
    return 1
