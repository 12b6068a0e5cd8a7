"""The private store, run twice: on the local file system (the embedded
default) and on Azurite, a real Azure-compatible server started on loopback.
Portfolio files and background exports are written, streamed, listed and
deleted through it; the download views refuse everyone who may not read the
file, whichever store holds it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.core import export_files, storage
from peerprog.core.models import ExportRecord
from tests.conftest import PERSONAS, World
from tests.core.once_helpers import FormClient
from tests.object_store import Store, azurite, private_store  # noqa: F401
from tests.recruitment.factories import ApplicationFactory
from tests.test_access_rules import RULES
from tests.training.factories import enrol, pdf_bytes, upload
from training.models import PortfolioDraft

pytestmark = pytest.mark.django_db

FILE_URLS = [
    "training:draft-file",
    "training:submission-file",
    "selfservice:portfolio-draft-file",
    "selfservice:portfolio-submission-file",
    "core:export-download",
]


def signed_in(user: Any, client: Client | None = None) -> Client:
    client = client or Client()
    client.force_login(user)
    return client


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_a_file_is_kept_listed_read_and_deleted_through_the_store(private_store: Store) -> None:  # noqa: F811
    name = storage.save_file("exports/kept.csv", io.BytesIO(b"First name\nAda\n"))

    assert name == "exports/kept.csv"
    assert private_store.names() == [name]
    assert storage.files_in("exports") == [name]
    assert storage.read_bytes(name) == b"First name\nAda\n"
    assert storage.private_storage.size(name) == 15
    storage.delete_file(name)
    assert private_store.names() == []
    storage.delete_file(name)  # already gone: nothing to do
    with pytest.raises(Http404):
        storage.read_chunks(name)
    assert storage.files_in("nothing-here") == []


def test_files_have_no_public_address(private_store: Store) -> None:  # noqa: F811
    name = storage.save_file("drafts/secret.pdf", io.BytesIO(pdf_bytes()))
    with pytest.raises(ValueError, match="no public address"):
        storage.private_storage.url(name)


def test_a_draft_uploaded_goes_to_the_store_and_comes_back_to_its_facilitator(
    private_store: Store,  # noqa: F811
    world: World,
) -> None:
    enrolment = enrol(world.objects["cohort"], first_name="Ada")
    facilitator = signed_in(world.users["facilitator"], FormClient())

    response = facilitator.post(
        reverse("training:draft-create", args=[enrolment.pk]),
        {"file": upload("Ada draft.pdf"), "received_on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 302
    draft = PortfolioDraft.objects.get()
    assert private_store.names() == [draft.file.name]
    assert "Ada" not in draft.file.name
    download = facilitator.get(reverse("training:draft-file", args=[draft.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="Ada draft.pdf"'
    assert download["Content-Length"] == str(len(pdf_bytes()))
    assert body(download) == pdf_bytes()


def test_a_file_that_is_not_a_portfolio_is_refused_and_nothing_is_stored(
    private_store: Store,  # noqa: F811
    world: World,
) -> None:
    enrolment = enrol(world.objects["cohort"])
    response = signed_in(world.users["facilitator"], FormClient()).post(
        reverse("training:draft-create", args=[enrolment.pk]),
        {
            "file": upload("portfolio.pdf", b"#!/bin/sh\nrm -rf /\n"),
            "received_on": timezone.localdate().isoformat(),
        },
    )

    assert "not a PDF, DOCX or ODT" in response.content.decode()
    assert private_store.names() == []


def test_a_draft_whose_file_is_gone_from_the_store_is_not_found(
    private_store: Store,  # noqa: F811
    world: World,
) -> None:
    from training import services

    draft = services.draft_record(
        enrolment=enrol(world.objects["cohort"]), upload=upload(), by=world.users["facilitator"]
    )
    storage.delete_file(draft.file.name)

    download = signed_in(world.users["facilitator"]).get(
        reverse("training:draft-file", args=[draft.pk])
    )
    assert download.status_code == 404


def test_a_background_export_is_kept_in_the_store_until_it_expires(
    private_store: Store,  # noqa: F811
    world: World,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 2
    for _ in range(3):
        ApplicationFactory(cohort=world.objects["cohort"])
    lead = signed_in(world.users["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        lead.get(reverse("recruitment:application-export"))
    record = ExportRecord.objects.get()

    assert record.status == "done"
    assert private_store.names() == [record.file_name]
    download = lead.get(reverse("core:export-download", args=[record.pk]))
    rows = list(csv.reader(io.StringIO(body(download).decode("utf-8-sig"))))
    assert len(rows) - 1 == record.rows == record.rows_expected > 3

    assert export_files.exports_expire() == 0
    assert private_store.names() == [record.file_name]
    ExportRecord.objects.filter(pk=record.pk).update(expires_at=timezone.now())
    assert export_files.exports_expire() == 1
    assert private_store.names() == []
    assert lead.get(reverse("core:export-download", args=[record.pk])).status_code == 404


def stored_export(world: World, *, status: str, age: timedelta, name: str) -> ExportRecord:
    stored = storage.save_file(name, io.BytesIO(b"Trainee\nAda\n"))
    return ExportRecord.objects.create(
        user=world.users["lead"],
        programme=world.programme,
        key="recruitment.applications",
        title="Applications",
        file_format="csv",
        status=status,
        rows_expected=30_000,
        created_at=timezone.now() - age,
        file_name=stored,
    )


def test_a_job_left_by_a_dead_worker_is_failed_and_its_file_deleted(
    private_store: Store,  # noqa: F811
    world: World,
) -> None:
    abandoned = stored_export(
        world, status="running", age=timedelta(days=1), name="exports/abandoned.csv"
    )
    writing = stored_export(world, status="running", age=timedelta(0), name="exports/writing.csv")

    export_files.exports_expire()

    abandoned.refresh_from_db()
    writing.refresh_from_db()
    assert (abandoned.status, abandoned.file_name) == ("failed", "")
    assert writing.status == "running"
    assert private_store.names() == ["exports/writing.csv"]


def test_a_file_no_export_names_is_deleted_from_the_store(
    private_store: Store,  # noqa: F811
    world: World,
) -> None:
    storage.save_file("exports/left-behind.csv", io.BytesIO(b"Trainee\nAda\n"))
    ready = stored_export(world, status="running", age=timedelta(0), name="exports/ready.csv")
    ExportRecord.objects.filter(pk=ready.pk).update(
        status="done", expires_at=timezone.now() + timedelta(hours=24)
    )

    export_files.exports_expire()

    assert private_store.names() == ["exports/ready.csv"]


def test_withdrawing_an_export_deletes_its_file_from_the_store(
    private_store: Store,  # noqa: F811
    world: World,
) -> None:
    ready = stored_export(world, status="running", age=timedelta(0), name="exports/mine.csv")
    ExportRecord.objects.filter(pk=ready.pk).update(status="done")

    assert export_files.exports_withdraw(user=world.users["lead"]) == 1

    assert private_store.names() == []


@pytest.mark.parametrize("url_name", FILE_URLS)
def test_a_download_is_refused_to_everyone_who_may_not_read_the_file(
    private_store: Store,  # noqa: F811
    world: World,
    url_name: str,
) -> None:
    from tests.selfservice.world import people_world

    people_world(world)
    rule = RULES[url_name]
    assert rule.kwargs is not None
    url = reverse(url_name, kwargs=rule.kwargs(world))
    wrong = []
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        response = client.get(url)
        if response.status_code != rule.expected(persona):
            wrong.append(f"{persona}: {response.status_code}, not {rule.expected(persona)}")
        elif response.status_code == 200:
            assert body(response), f"{persona} got an empty file"
    assert not wrong, f"{url_name} on the {private_store.kind} store: " + "; ".join(wrong)
    assert private_store.names(), "the files were not in the store under test"


def test_storage_prepare_creates_the_container_and_checks_it_keeps_files(
    settings: Any,
    azurite: Any,  # noqa: F811
) -> None:
    from django.core.management import call_command

    container = "prepared-on-deployment"
    settings.STORAGES = {**settings.STORAGES, "private": azurite.storage_setting(container)}
    out = io.StringIO()

    call_command("storage_prepare", stdout=out)

    assert f"Azure container {container}" in out.getvalue()
    assert azurite.blob_names(container) == []


def test_storage_prepare_says_plainly_when_the_store_cannot_keep_files(
    settings: Any, tmp_path: Any
) -> None:
    from django.core.management import CommandError, call_command

    not_a_folder = tmp_path / "a file"
    not_a_folder.write_text("")
    settings.PRIVATE_STORAGE_ROOT = not_a_folder / "private"

    with pytest.raises(CommandError, match="The private store cannot keep files"):
        call_command("storage_prepare")
