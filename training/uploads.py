"""Checks on uploaded portfolio files: type by content, size, and name.

Only PDF, DOCX and ODT are accepted, recognised by their bytes rather than
their names: a PDF starts with ``%PDF-``; DOCX and ODT are zip archives, a
DOCX with ``[Content_Types].xml`` and ``word/document.xml``, an ODT with a
``mimetype`` member naming OpenDocument text. Only the archive's directory
and that one tiny member are read, so a zip bomb is never expanded. Word
files with macros are refused.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from peerprog.core.services import DomainError
from training.models.portfolio import FileKind

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ACCEPTED = "Upload a PDF, a Word document (DOCX) or an OpenDocument text file (ODT)."
MAX_NAME_LENGTH = 100


class UploadRefused(DomainError):
    """An uploaded file that peerprog will not keep."""


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    name: str
    size: int


def max_upload_size() -> int:
    return int(settings.MAX_UPLOAD_SIZE)


def check_portfolio_file(upload: Any) -> CheckedFile:
    """Return the file's kind, cleaned name and size, or raise UploadRefused."""
    if upload is None:
        raise UploadRefused("Choose a file to upload.")
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise UploadRefused("The file is empty. " + ACCEPTED)
    if size > max_upload_size():
        raise UploadRefused(
            f"The file is too large ({filesizeformat(size)}). "
            f"Files can be up to {filesizeformat(max_upload_size())}."
        )
    kind = detect_kind(upload)
    if kind is None:
        raise UploadRefused("This file is not a PDF, DOCX or ODT document. " + ACCEPTED)
    return CheckedFile(
        kind=kind, name=clean_file_name(getattr(upload, "name", ""), kind), size=size
    )


def detect_kind(upload: IO[bytes]) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return FileKind.PDF
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(upload)
        return None
    finally:
        upload.seek(0)


def _zip_kind(upload: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 100:
                    return None
                if archive.read("mimetype").strip() == ODT_MIMETYPE:
                    return FileKind.ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    return None
                return FileKind.DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError):
        return None
    return None


_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()-]+")


def clean_file_name(raw: str, kind: str) -> str:
    """A name safe to show and to put in a download header.

    Path parts, control and direction-changing characters, quotes and
    anything outside plain letters, digits and ``._()-`` are removed, and the
    extension is always the one the content proved.
    """
    name = unicodedata.normalize("NFKD", str(raw or ""))
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith(("C", "M")))
    name = re.split(r"[\\/]", name)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE.sub("_", stem)
    stem = re.sub(r"[_ ]{2,}", "_", stem).strip(" ._-")
    stem = stem[: MAX_NAME_LENGTH - len(kind) - 1] or "portfolio"
    return f"{stem}.{kind}"
