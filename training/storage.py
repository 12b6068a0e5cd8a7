"""Private file storage for portfolios.

Portfolio files are reflective writing about a person's own mental health:
they are stored outside MEDIA_ROOT, have no URL, and are only ever served by
a view that checks who is asking. The location comes from the setting
``PRIVATE_STORAGE_ROOT`` (default: ``private/`` beside the code), read each
time so that tests can point it at a temporary directory.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def private_root() -> Path:
    default = Path(settings.BASE_DIR) / "private"
    return Path(getattr(settings, "PRIVATE_STORAGE_ROOT", default))


class PrivateStorage(FileSystemStorage):
    """A file system storage with no public URL and a late-bound location."""

    def __init__(self) -> None:
        super().__init__(base_url=None, file_permissions_mode=0o600)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(private_root())

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Portfolio files have no public address; use the download page.")


_storage = PrivateStorage()


def portfolio_storage() -> PrivateStorage:
    return _storage


def download_response(record: Any) -> FileResponse:
    """Stream a portfolio file (a draft or a submission) as a download, for
    a view that has already checked who is asking. Never cached, never shown
    inline, never sniffed."""
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The file is no longer stored.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=record.file_name,
        content_type=CONTENT_TYPES.get(record.file_kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
