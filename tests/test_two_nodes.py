"""peerprog on more than one machine: two gunicorn web nodes and a Celery
worker, each started in a working directory of its own with a private
directory of its own, sharing only PostgreSQL, Redis and the object store
(Azurite on loopback). A portfolio uploaded through one node is downloaded
through the other; a background export prepared by the worker is downloaded
through either; after it expires it is gone from the store. No node's own
disk ever holds a user's file."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import ExportRecord, Role
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.core.once_helpers import HIDDEN_PATTERN, NAME_PATTERN, VALUE_PATTERN
from tests.object_store import Azurite, azurite, free_port, use_azurite  # noqa: F401
from tests.recruitment.factories import ApplicationFactory, CohortFactory
from tests.training.factories import enrol, pdf_bytes
from tests.workers import celery_env, clear_queue, wait_for
from training.models import PortfolioDraft

pytestmark = pytest.mark.worker

START_SECONDS = 60


class Node:
    """One machine: a process started in a directory of its own, with its
    own private directory (which must stay empty) and its own log."""

    def __init__(self, name: str, base: Path, store_env: dict[str, str]) -> None:
        self.name = name
        self.home = base / name
        self.private = self.home / "private"
        self.home.mkdir()
        self.log = self.home / f"{name}.log"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.env = celery_env(
            "dummy://",
            {
                **store_env,
                "PRIVATE_STORAGE_ROOT": str(self.private),
                "SECRET_KEY": settings.SECRET_KEY,
                "EXPORT_BACKGROUND_ROWS": "2",
                "PYTHONPATH": os.pathsep.join(
                    p for p in (str(settings.BASE_DIR), os.environ.get("PYTHONPATH", "")) if p
                ),
            },
        )

    def start(self, arguments: list[str]) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                arguments,
                cwd=self.home,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start_web(self) -> None:
        self.port = free_port()
        self.start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "peerprog.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--error-logfile",
                "-",
            ]
        )

    def start_worker(self) -> None:
        celery = Path(sys.executable).parent / "celery"
        self.start(
            [
                str(celery),
                "-A",
                "peerprog",
                "worker",
                "--concurrency=1",
                "-l",
                "info",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ]
        )

    def wait_web(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log.read_text()
            try:
                if requests.get(self.url("/health/"), timeout=10).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.2)
        pytest.fail(f"{self.name} did not start. Log:\n{self.log.read_text()}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def own_files(self) -> list[Path]:
        """User files on this node's own disk (there must be none)."""
        if not self.private.exists():
            return []
        return [p for p in self.private.rglob("*") if p.is_file()]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def nodes(
    transactional_db: Any,
    tmp_path: Path,
    settings: Any,
    azurite: Azurite,  # noqa: F811
) -> Iterator[tuple[Node, Node, Node, str]]:
    container = use_azurite(settings, azurite)
    store_env = azurite.environment(container)
    web_a, web_b, worker = (
        Node(name, tmp_path, store_env) for name in ("web-a", "web-b", "worker")
    )
    clear_queue()
    try:
        web_a.start_web()
        web_b.start_web()
        worker.start_worker()
        web_a.wait_web()
        web_b.wait_web()
        yield web_a, web_b, worker, container
    finally:
        for node in (web_a, web_b, worker):
            node.stop()
        clear_queue()


def session_for(user: Any) -> requests.Session:
    """A browser's session for ``user``, fully signed in."""
    client = Client()
    client.force_login(user)
    browser = requests.Session()
    browser.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return browser


def test_files_are_shared_by_every_node_through_the_object_store(
    nodes: tuple[Node, Node, Node, str],
    azurite: Azurite,  # noqa: F811
) -> None:
    web_a, web_b, worker, container = nodes
    programme = ProgrammeFactory(name="Two node programme")
    facilitator = UserFactory(programme=programme, roles=[Role.FACILITATOR])
    lead = UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])
    cohort = CohortFactory(programme=programme, name="Autumn")
    enrolment = enrol(cohort, first_name="Ada")
    for _ in range(4):
        ApplicationFactory(cohort=cohort)

    # A facilitator uploads a draft through one node...
    browser = session_for(facilitator)
    form_url = reverse("training:draft-create", args=[enrolment.pk])
    page = browser.get(web_a.url(form_url), timeout=30)
    assert page.status_code == 200, page.text
    fields = {}
    for hidden in HIDDEN_PATTERN.findall(page.text):
        name, value = NAME_PATTERN.search(hidden), VALUE_PATTERN.search(hidden)
        if name and value:
            fields[name[1]] = value[1]
    posted = browser.post(
        web_a.url(form_url),
        data={**fields, "received_on": timezone.localdate().isoformat()},
        files={"file": ("Ada draft.pdf", pdf_bytes(), "application/pdf")},
        headers={"Referer": web_a.url(form_url)},
        allow_redirects=False,
        timeout=30,
    )
    assert posted.status_code == 302, posted.text
    draft = PortfolioDraft.objects.get()
    assert azurite.blob_names(container) == [draft.file.name]

    # ...and downloads it through the other.
    download = browser.get(web_b.url(reverse("training:draft-file", args=[draft.pk])), timeout=30)
    assert download.status_code == 200
    assert download.content == pdf_bytes()
    assert download.headers["Content-Disposition"] == 'attachment; filename="Ada draft.pdf"'

    # A lead asks one node for a long export; the worker prepares it.
    lead_browser = session_for(lead)
    asked = lead_browser.get(
        web_b.url(reverse("recruitment:application-export")), allow_redirects=False, timeout=30
    )
    assert asked.status_code == 302, asked.text
    record = ExportRecord.objects.get()
    wait_for(
        lambda: ExportRecord.objects.get(pk=record.pk).status == "done",
        "the worker to prepare the export",
        worker.log,
        timeout=60,
    )
    record.refresh_from_db()
    assert sorted(azurite.blob_names(container)) == sorted([draft.file.name, record.file_name])
    export_url = reverse("core:export-download", args=[record.pk])
    for node in (web_a, web_b):
        got = lead_browser.get(node.url(export_url), timeout=30)
        assert got.status_code == 200, f"{node.name}: {got.status_code}"
        rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
        assert len(rows) == 1 + 5
        assert {row[3] for row in rows[1:]} == {"Autumn"}

    # After it expires, the worker's clean-up deletes it from the store.
    from peerprog.core.tasks import exports_expire

    ExportRecord.objects.filter(pk=record.pk).update(expires_at=timezone.now())
    exports_expire.delay()
    wait_for(
        lambda: ExportRecord.objects.get(pk=record.pk).status == "expired",
        "the worker to expire the export",
        worker.log,
        timeout=60,
    )
    assert azurite.blob_names(container) == [draft.file.name]
    for node in (web_a, web_b):
        assert lead_browser.get(node.url(export_url), timeout=30).status_code == 404

    # No node kept a user's file on its own disk.
    for node in (web_a, web_b, worker):
        assert node.own_files() == [], node.name
