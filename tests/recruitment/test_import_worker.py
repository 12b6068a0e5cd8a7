"""A file too long to check in the request is previewed and imported by a
real Celery worker, through Redis, while the lead's page shows progress."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from peerprog.core.models import PendingImport
from recruitment.models import Application
from tests.conftest import World
from tests.workers import Workers, queued

pytestmark = pytest.mark.worker

HEADER = "First name,Last name,E-mail,Date of birth,Source\n"
ROWS = 60


def test_the_preview_and_the_import_run_in_the_worker(
    transactional_db: Any, world: World, workers: Workers, settings: Any
) -> None:
    settings.IMPORT_INLINE_BYTES = 0
    settings.IMPORT_BATCH_ROWS = 25
    cohort = world.objects["cohort"]
    client = Client()
    client.force_login(world.users["lead"])
    text = HEADER + "".join(
        f"Ann{n},Lee,worker.{n}@example.org,01/02/1990,Flyer\n" for n in range(ROWS)
    )
    response = client.post(
        reverse("recruitment:import-upload"),
        {"cohort": cohort.pk, "file": SimpleUploadedFile("a.csv", text.encode())},
    )
    url = response["Location"]
    pending = PendingImport.objects.get(filename="a.csv")
    assert queued() == 1
    page = client.get(url).content.decode()
    assert "Checking the file" in page
    assert 'role="status"' in page

    workers.start()

    def status() -> str:
        return PendingImport.objects.get(pk=pending.pk).status

    workers.wait_for(lambda: status() == PendingImport.Status.PREVIEWED, "the preview")
    page = client.get(url).content.decode()
    assert f"{ROWS} rows: {ROWS} new" in page
    assert f"Import {ROWS} rows" in page
    assert not Application.objects.filter(person__email__startswith="worker.").exists()
    # A poll once the job is done asks htmx to load the whole page.
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"

    client.post(url, {"confirm": "1"})
    workers.wait_for(lambda: status() == PendingImport.Status.IMPORTED, "the import")
    done = client.get(url)
    assert done["Location"] == reverse("recruitment:board", args=[cohort.pk])
    assert (
        Application.objects.filter(cohort=cohort, person__email__startswith="worker.").count()
        == ROWS
    )
    assert workers.succeeded("import_preview_run") and workers.succeeded("import_confirm_run")
    assert bytes(PendingImport.objects.get(pk=pending.pk).content) == b""
