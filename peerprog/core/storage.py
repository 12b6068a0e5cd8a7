"""The one private store for every file peerprog keeps: portfolios,
prepared background exports, and whatever later features add.

Which store is chosen by settings (``STORAGES["private"]``, built from the
environment by ``peerprog.settings_env.private_storage``): Azure Blob
Storage or an S3-compatible object store through django-storages when
peerprog runs on more than one machine, so that a file written by one web
or worker process is there for every other; or a directory on the local
disk (``PRIVATE_STORAGE_ROOT``), the embedded default for the demo and for a
single machine.

Files in it are never public: nothing here makes an address a browser could
fetch. They reach people only through peerprog's own views, which check who
is asking first and then stream the file from the store
(``download_response``). Every read, write, listing and deletion goes
through ``private_storage``; nothing opens a path on disk for a user's file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header

PRIVATE_ALIAS = "private"
CHUNK_BYTES = 64 * 1024
NO_ADDRESS = "Private files have no public address; they are served by the download pages."


def private_root() -> Path:
    """Where the local store keeps files (the embedded default)."""
    default = Path(settings.BASE_DIR) / "private"
    return Path(getattr(settings, "PRIVATE_STORAGE_ROOT", default))


class LocalPrivateStorage(FileSystemStorage):
    """The local disk as the private store: outside MEDIA_ROOT, readable by
    this user only, no public address, its directory read from the settings
    each time (so tests can point it at a temporary one)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(
            base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700
        )

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(private_root())

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError(NO_ADDRESS)


def configured() -> Storage:
    """The store the settings choose now."""
    return storages[PRIVATE_ALIAS]


class PrivateStorage(Storage):
    """The private store as model fields and services see it: every call
    goes to the store configured at that moment, and nothing has a URL."""

    def open(self, name: str, mode: str = "rb") -> File:
        return configured().open(name, mode)

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        return configured().save(name, content, max_length=max_length)

    def get_valid_name(self, name: str) -> str:
        return configured().get_valid_name(name)

    def get_alternative_name(self, file_root: str, file_ext: str) -> str:
        return configured().get_alternative_name(file_root, file_ext)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return configured().get_available_name(name, max_length=max_length)

    def generate_filename(self, filename: str) -> str:
        return configured().generate_filename(filename)

    def delete(self, name: str) -> None:
        configured().delete(name)

    def exists(self, name: str) -> bool:
        return configured().exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return configured().listdir(path)

    def size(self, name: str) -> int:
        return configured().size(name)

    def get_modified_time(self, name: str) -> datetime:
        return configured().get_modified_time(name)

    def url(self, name: str | None) -> str:
        raise ValueError(NO_ADDRESS)


private_storage = PrivateStorage()


def files_in(folder: str) -> list[str]:
    """The names (from the store's root) of the files directly in
    ``folder``; none when it does not exist."""
    try:
        _folders, files = private_storage.listdir(folder)
    except FileNotFoundError:
        return []
    # Object stores give whole names, the file system bare ones.
    return [f"{folder}/{name.rsplit('/', 1)[-1]}" for name in files]


def save_file(name: str, handle: IO[bytes]) -> str:
    """Store the contents of an open file under ``name``; the stored name."""
    handle.seek(0)
    return private_storage.save(name, File(handle, name=name))


def delete_file(name: str) -> None:
    """Delete a stored file; nothing happens when it is already gone."""
    if name:
        private_storage.delete(name)


def _azure_chunks(target: Any, name: str) -> tuple[Iterator[bytes], int] | None:
    """Stream straight from Azure Blob Storage, chunk by chunk, rather than
    through django-storages' file object (which copies the whole blob into
    a temporary file first)."""
    try:
        from azure.core.exceptions import ResourceNotFoundError
        from storages.backends.azure_storage import AzureStorage
    except ImportError:  # pragma: no cover - installed with the requirements
        return None
    if not isinstance(target, AzureStorage):
        return None
    blob = target.client.get_blob_client(target._get_valid_path(name))
    try:
        downloader = blob.download_blob()
    except ResourceNotFoundError:
        raise Http404("The file is no longer stored.") from None
    return downloader.chunks(), int(downloader.size)


def _file_chunks(target: Storage, name: str) -> tuple[Iterator[bytes], int]:
    try:
        handle = target.open(name, "rb")
        size = handle.size
    except (FileNotFoundError, OSError, ValueError):
        raise Http404("The file is no longer stored.") from None

    def chunks() -> Iterator[bytes]:
        try:
            yield from handle.chunks(CHUNK_BYTES)
        finally:
            handle.close()

    return chunks(), int(size)


def read_chunks(name: str) -> tuple[Iterator[bytes], int]:
    """The stored file's content as chunks, and its size; 404 when the
    store no longer has it."""
    if not name:
        raise Http404("The file is no longer stored.")
    target = configured()
    return _azure_chunks(target, name) or _file_chunks(target, name)


def read_bytes(name: str) -> bytes:
    """A stored file's whole content (for small files and tests)."""
    chunks, _size = read_chunks(name)
    return b"".join(chunks)


def download_response(name: str, *, filename: str, content_type: str) -> StreamingHttpResponse:
    """Stream a stored file as a download, for a view that has already
    checked that the person asking may have it. Never cached, never shown
    inline, never sniffed."""
    chunks, size = read_chunks(name)
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def store_prepare() -> str:
    """Make sure the configured store can keep files: create its Azure
    container or S3 bucket when missing (never public), then write, read
    and delete a small test file. Says which store it checked."""
    import io
    import uuid

    target = configured()
    kind = type(target).__name__
    if hasattr(target, "azure_container"):
        from azure.core.exceptions import ResourceExistsError

        with contextlib.suppress(ResourceExistsError):
            target.service_client.create_container(target.azure_container)
        where = f"Azure container {target.azure_container}"
    elif hasattr(target, "bucket_name"):
        if not target.bucket.creation_date:
            target.bucket.create()
        where = f"S3 bucket {target.bucket_name}"
    else:
        where = f"directory {private_root()}"
    name = f"checks/{uuid.uuid4().hex}.txt"
    stored = save_file(name, io.BytesIO(b"peerprog"))
    try:
        if read_bytes(stored) != b"peerprog":
            raise RuntimeError(f"The {kind} store gave back something other than was written.")
    finally:
        delete_file(stored)
    return where
