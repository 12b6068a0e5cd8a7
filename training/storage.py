"""Portfolio files in the private store.

Portfolio files are reflective writing about a person's own mental health:
they live in peerprog's one private store (``peerprog.core.storage``: an
object store when peerprog runs on more than one machine, a private
directory on a single one), have no URL, and are only ever served by a view
that checks who is asking.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, StreamingHttpResponse

from peerprog.core import storage
from peerprog.core.storage import PrivateStorage

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def portfolio_storage() -> PrivateStorage:
    """The storage of the portfolio models' file fields."""
    return storage.private_storage


def download_response(record: Any) -> StreamingHttpResponse:
    """Stream a portfolio file (a draft or a submission) as a download, for
    a view that has already checked who is asking. Never cached, never shown
    inline, never sniffed. A record with no file kept here (received before
    the programme used peerprog, or removed under the retention schedule)
    has nothing to download."""
    if not record.file:
        raise Http404("No file is kept for this record.")
    response = storage.download_response(
        record.file.name,
        filename=record.file_name,
        content_type=CONTENT_TYPES.get(record.file_kind, "application/octet-stream"),
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
