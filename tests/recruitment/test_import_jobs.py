"""Imports as background jobs checked and written in batches: a fixed number
of queries per batch, the preview kept so reloading does not check the file
again, the import refused when the records changed since the preview, and
the two faults of the pages put right (agreeing to e-mail without an
address; the cohort forgotten by "Upload a corrected file")."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerprog.core import import_jobs, imports
from peerprog.core.imports import ImportRefused
from peerprog.core.models import PendingImport, Person, User
from recruitment.models import Application, Cohort
from tests.conftest import World
from tests.core.factories import PersonFactory
from tests.recruitment.factories import ApplicationFactory

KEY = "recruitment.applications"
HEADER = "First name,Last name,E-mail,Date of birth,Agrees to e-mail,Source\n"
BATCH = 10


@pytest.fixture
def lead(world: World) -> User:
    return world.users["lead"]


@pytest.fixture
def cohort(world: World) -> Cohort:
    return world.objects["cohort"]


def upload(lead: User, cohort: Cohort, text: str) -> PendingImport:
    return imports.import_upload(
        importer_key=KEY,
        upload=SimpleUploadedFile("applications.csv", text.encode()),
        options={"cohort_id": cohort.pk},
        by=lead,
    )


def applicants(world: World, cohort: Cohort, batches: int, *, tag: str) -> str:
    """A file whose every batch holds the same mix: six new people, two on
    record without an application to the cohort, two with one (changed)."""
    lines = [HEADER]
    for batch in range(batches):
        for slot in range(BATCH):
            email = f"{tag}.{batch}.{slot}@example.org"
            if slot in (6, 7):
                PersonFactory(programme=world.programme, email=email)
            elif slot in (8, 9):
                ApplicationFactory(
                    cohort=cohort, person=PersonFactory(programme=world.programme, email=email)
                )
            lines.append(f"Ann{slot},Lee-{tag}-{batch},{email},01/02/1990,yes,Face-to-face\n")
    return "".join(lines)


def queries(run: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def preview_and_confirm_queries(
    world: World, lead: User, cohort: Cohort, batches: int
) -> tuple[int, int]:
    pending = upload(lead, cohort, applicants(world, cohort, batches, tag=f"b{batches}"))
    preview = queries(lambda: import_jobs.import_preview(pending=pending, by=lead))
    assert pending.status == PendingImport.Status.PREVIEWED
    confirm = queries(lambda: import_jobs.import_confirm(pending=pending, by=lead))
    assert pending.status == PendingImport.Status.IMPORTED, pending.message
    return preview, confirm


def test_each_batch_costs_the_same_queries_whatever_the_file_size(
    world: World, lead: User, cohort: Cohort, settings: Any
) -> None:
    settings.IMPORT_BATCH_ROWS = BATCH
    one = preview_and_confirm_queries(world, lead, cohort, 1)
    two = preview_and_confirm_queries(world, lead, cohort, 2)
    five = preview_and_confirm_queries(world, lead, cohort, 5)

    per_batch = [b - a for a, b in zip(one, two, strict=True)]
    assert [(b - a) / 3 for a, b in zip(two, five, strict=True)] == per_batch
    # Checking a batch takes three queries; writing it, nine at most.
    assert per_batch[0] == 3
    assert per_batch[1] <= 3 + 9
    assert Application.objects.filter(cohort=cohort, person__email__startswith="b5.").count() == 50


def test_a_batch_costs_the_same_queries_however_many_rows_it_holds(
    world: World, lead: User, cohort: Cohort, settings: Any
) -> None:
    settings.IMPORT_BATCH_ROWS = 1000
    small = preview_and_confirm_queries(world, lead, cohort, 1)
    large = preview_and_confirm_queries(world, lead, cohort, 6)
    assert small == large


def test_the_history_of_every_imported_record_names_the_lead(
    world: World, lead: User, cohort: Cohort
) -> None:
    pending = upload(lead, cohort, applicants(world, cohort, 1, tag="history"))
    import_jobs.import_preview(pending=pending, by=lead)
    import_jobs.import_confirm(pending=pending, by=lead)

    added = Person.objects.get(email="history.0.0@example.org")
    changed = Application.objects.get(cohort=cohort, person__email="history.0.8@example.org")
    assert [(h.history_type, h.history_user) for h in added.history.all()] == [("+", lead)]
    assert [h.history_type for h in changed.history.order_by("history_id")] == ["+", "~"]
    assert changed.history.latest("history_id").history_user == lead
    assert changed.history.latest("history_id").source == Application.Source.FACE_TO_FACE
    new = Application.objects.get(cohort=cohort, person=added)
    assert new.arrived == Application.Arrival.IMPORTED
    assert [(m.to_stage, m.by) for m in new.moves.all()] == [("received", lead)]


def test_agreeing_to_email_without_an_address_is_an_error(
    world: World, lead: User, cohort: Cohort
) -> None:
    pending = upload(lead, cohort, HEADER + "Ash,Green,,14/07/1992,yes,Flyer\n")
    report = import_jobs.import_preview(pending=pending, by=lead)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Agrees to e-mail")]
    assert "no e-mail address" in report.errors[0].message


def test_the_preview_is_kept_and_the_import_refused_when_records_changed(
    world: World, lead: User, cohort: Cohort
) -> None:
    client = Client()
    client.force_login(lead)
    text = HEADER + "Mina,Rahman,mina.rahman@example.org,02/05/1988,yes,Flyer\n"
    pending = upload(lead, cohort, text)
    import_jobs.import_preview(pending=pending, by=lead)
    url = reverse("recruitment:import-preview", args=[pending.pk])
    # Someone adds Mina by hand meanwhile: the kept preview still says new.
    mina = PersonFactory(programme=world.programme, email="mina.rahman@example.org")
    assert "1 new" in client.get(url).content.decode()
    assert "1 new" in client.get(url).content.decode()

    with pytest.raises(ImportRefused, match="the records changed since the preview"):
        import_jobs.import_confirm(pending=pending, by=lead)

    assert not Application.objects.filter(person=mina).exists()
    assert Person.objects.filter(email="mina.rahman@example.org").count() == 1
    # The file has been checked again: the new preview matches Mina.
    page = client.get(url).content.decode()
    assert "the records changed since the preview" in page
    import_jobs.import_confirm(pending=pending, by=lead)
    assert Application.objects.filter(cohort=cohort, person=mina).exists()


def test_upload_a_corrected_file_keeps_the_chosen_cohort(
    world: World, lead: User, cohort: Cohort
) -> None:
    client = Client()
    client.force_login(lead)
    response = client.post(
        reverse("recruitment:import-upload"),
        {"cohort": cohort.pk, "file": SimpleUploadedFile("a.csv", b"First name,Last name\n,X\n")},
    )
    preview = client.get(response["Location"]).content.decode()
    corrected = f"{reverse('recruitment:import-upload')}?cohort={cohort.pk}"
    assert f'href="{corrected}"' in preview
    form = client.get(corrected).content.decode()
    assert f'<option value="{cohort.pk}" selected>' in form


def test_pressing_import_twice_imports_once(world: World, lead: User, cohort: Cohort) -> None:
    pending = upload(lead, cohort, HEADER + "Tom,Barker,tom.barker@example.org,,no,Flyer\n")
    import_jobs.import_preview(pending=pending, by=lead)
    import_jobs.import_confirm_start(pending=pending, by=lead)
    with pytest.raises(ImportRefused, match="not waiting to be imported"):
        import_jobs.import_confirm_start(pending=pending, by=lead)
    assert Application.objects.filter(cohort=cohort, person__last_name="Barker").count() == 1
