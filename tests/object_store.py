"""A real Azure-compatible object store for tests: Azurite, Microsoft's Azure
Storage emulator (the npm package ``azurite``, a pinned devDependency),
started on loopback on a free port, keeping its blobs in memory.

``azurite`` (session-scoped) is the running server; ``private_store`` runs a
test twice, once with the private store on the local file system and once on
Azurite with a container of the test's own:

    def test_something(private_store: str) -> None:
        stored = storage.save_file("exports/x.csv", io.BytesIO(b"..."))
"""

from __future__ import annotations

import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from peerprog.core import storage

# Azurite's one built-in account: its published development key, valid
# against the emulator only.
ACCOUNT = "devstoreaccount1"
ACCOUNT_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
START_SECONDS = 30


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Azurite:
    """One Azurite blob service on 127.0.0.1, in memory, stopped at the end."""

    def __init__(self, workdir: Path) -> None:
        binary = Path(settings.BASE_DIR) / "node_modules" / ".bin" / "azurite-blob"
        assert binary.exists(), (
            "The storage tests need Azurite: run scripts/setup.sh (npm ci installs it)."
        )
        self.port = free_port()
        self.log = workdir / "azurite.log"
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [
                    str(binary),
                    "--blobHost",
                    "127.0.0.1",
                    "--blobPort",
                    str(self.port),
                    "--inMemoryPersistence",
                    "--skipApiVersionCheck",
                    "--disableProductStyleUrl",
                ],
                cwd=workdir,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"Azurite did not start. Log:\n{self.log.read_text()}")

    @property
    def connection_string(self) -> str:
        return (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
            f"BlobEndpoint=http://127.0.0.1:{self.port}/{ACCOUNT};"
        )

    def environment(self, container: str) -> dict[str, str]:
        """The environment variables that put a process's private store here."""
        return {
            "PRIVATE_STORAGE": "azure",
            "AZURE_STORAGE_CONNECTION_STRING": self.connection_string,
            "AZURE_STORAGE_CONTAINER": container,
        }

    def storage_setting(self, container: str) -> dict[str, Any]:
        return {
            "BACKEND": "storages.backends.azure_storage.AzureStorage",
            "OPTIONS": {
                "connection_string": self.connection_string,
                "azure_container": container,
                "overwrite_files": True,
                "expiration_secs": None,
            },
        }

    def blob_names(self, container: str) -> list[str]:
        """Every blob in the container, asked of the server directly."""
        from azure.storage.blob import BlobServiceClient

        client = BlobServiceClient.from_connection_string(self.connection_string)
        return sorted(blob.name for blob in client.get_container_client(container).list_blobs())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    server = Azurite(tmp_path_factory.mktemp("azurite"))
    yield server
    server.stop()


def use_azurite(settings: Any, server: Azurite) -> str:
    """Point the private store at a new container of its own on ``server``,
    made ready as on deployment; its name."""
    container = f"t{uuid.uuid4().hex}"
    settings.STORAGES = {**settings.STORAGES, "private": server.storage_setting(container)}
    storage.store_prepare()
    return container


def stored_names(kind: str, azurite_server: Azurite | None, container: str) -> list[str]:
    """Every file the private store holds, asked of the store itself (the
    Azurite server, or the directory) rather than through our code."""
    if kind == "azure":
        assert azurite_server is not None
        return azurite_server.blob_names(container)
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


class Store:
    """The private store a test runs against: ``kind`` is local or azure."""

    def __init__(self, kind: str, server: Azurite | None, container: str) -> None:
        self.kind = kind
        self.server = server
        self.container = container

    def names(self) -> list[str]:
        return stored_names(self.kind, self.server, self.container)


@pytest.fixture(params=["local", "azure"])
def private_store(request: pytest.FixtureRequest, settings: Any) -> Store:
    """Runs the test once with the private store on the local file system
    (the embedded default) and once on Azurite."""
    if request.param == "local":
        return Store("local", None, "")
    server = request.getfixturevalue("azurite")
    return Store("azure", server, use_azurite(settings, server))
