"""Import jobs whose worker died: the sweep marks them as stopped, with a
message that says what happened and how to try again, and deletes their
files after a while. One test kills a real Celery worker in the middle of
a preview."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core import import_jobs
from peerprog.core.models import PendingImport
from peerprog.core.tasks import imports_sweep
from tests.conftest import World
from tests.workers import Workers

Status = PendingImport.Status
HEADER = "First name,Last name,E-mail,Date of birth,Source\n"
TEXT = HEADER + "".join(f"Ann{n},Lee,sweep.{n}@example.org,01/02/1990,Flyer\n" for n in range(30))


def pending_import(world: World, status: str, minutes_ago: int) -> PendingImport:
    lead = world.users["lead"]
    return PendingImport.objects.create(
        programme=lead.programme,
        importer="recruitment.applications",
        created_by=lead,
        filename="list.csv",
        file_format=PendingImport.Format.CSV,
        content=TEXT.encode(),
        options={"cohort_id": world.objects["cohort"].pk},
        status=status,
        status_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


@pytest.mark.django_db
def test_a_job_with_no_progress_for_the_set_minutes_is_stopped_and_says_so(
    world: World, settings: Any
) -> None:
    cache.clear()
    settings.IMPORT_STUCK_MINUTES = 10
    dead = pending_import(world, Status.IMPORTING, minutes_ago=11)
    slow = pending_import(world, Status.PREVIEWING, minutes_ago=30)
    # Still reporting progress: alive, however long ago it started.
    import_jobs._watch(slow.pk)(100, 1000)
    waiting = pending_import(world, Status.PREVIEW_QUEUED, minutes_ago=5)
    done = pending_import(world, Status.PREVIEWED, minutes_ago=600)

    assert import_jobs.imports_sweep() == (1, 0)

    dead.refresh_from_db()
    assert dead.status == Status.STOPPED
    assert "The import of “list.csv” stopped before it finished" in dead.message
    assert "Nothing was imported. Upload the file again to try again" in dead.message
    for alive, status in ((slow, Status.PREVIEWING), (waiting, Status.PREVIEW_QUEUED)):
        alive.refresh_from_db()
        assert alive.status == status
    done.refresh_from_db()
    assert done.status == Status.PREVIEWED

    client = Client()
    client.force_login(world.users["lead"])
    url = reverse("recruitment:import-preview", kwargs={"pk": dead.pk})
    # A progress page still polling is told to reload, and then says why.
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    page = client.get(url, follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("recruitment:import-upload"))
    assert "stopped before it finished" in page.content.decode()
    assert "Upload the file again to try again" in page.content.decode()


@pytest.mark.django_db
def test_the_file_of_a_stopped_job_is_deleted_after_the_set_time(
    world: World, settings: Any
) -> None:
    settings.IMPORT_STOPPED_FILE_MINUTES = 60
    recent = pending_import(world, Status.STOPPED, minutes_ago=59)
    old = pending_import(world, Status.STOPPED, minutes_ago=61)
    refused = pending_import(world, Status.REFUSED, minutes_ago=120)

    assert import_jobs.imports_sweep() == (0, 1)

    assert bytes(PendingImport.objects.get(pk=old.pk).content) == b""
    assert bytes(PendingImport.objects.get(pk=recent.pk).content) == TEXT.encode()
    assert bytes(PendingImport.objects.get(pk=refused.pk).content) == TEXT.encode()


@pytest.mark.worker
def test_a_preview_whose_worker_dies_is_stopped_by_the_sweep(
    transactional_db: Any, world: World, workers: Workers, settings: Any
) -> None:
    cache.clear()
    settings.IMPORT_INLINE_BYTES = 0
    client = Client()
    client.force_login(world.users["lead"])
    response = client.post(
        reverse("recruitment:import-upload"),
        {"cohort": world.objects["cohort"].pk, "file": SimpleUploadedFile("a.csv", TEXT.encode())},
    )
    url = response["Location"]
    pending = PendingImport.objects.get(filename="a.csv")

    def status() -> str:
        return PendingImport.objects.get(pk=pending.pk).status

    # The worker stops for a minute once it has started checking the file,
    # and is killed there, as when its machine dies.
    doomed = workers.start(PEERPROG_TEST_IMPORT_PAUSE="60")
    workers.wait_for(lambda: status() == Status.PREVIEWING, "the preview to start")
    workers.kill(doomed)
    assert "Checking the file" in client.get(url).content.decode()

    # Beat's sweep, run by another worker, with no minutes to wait.
    workers.start(IMPORT_STUCK_MINUTES="0", IMPORT_STOPPED_FILE_MINUTES="0")
    imports_sweep.delay()
    workers.wait_for(lambda: status() == Status.STOPPED, "the sweep")
    page = client.get(url, follow=True).content.decode()
    assert "The check of “a.csv” stopped before it finished" in page
    assert "Upload the file again to try again" in page

    imports_sweep.delay()
    workers.wait_for(
        lambda: bytes(PendingImport.objects.get(pk=pending.pk).content) == b"",
        "the stopped job's file to be deleted",
    )
    # The task the dead worker held is delivered again, and does nothing.
    assert status() == Status.STOPPED
