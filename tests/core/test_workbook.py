"""The programme workbook's kernel, through its first sheet (the services):
preview writes nothing, the import writes every row or none, the same
workbook again changes nothing, and the export imports back unchanged."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from peerprog.core import imports
from peerprog.core.imports import ImportRefused
from peerprog.core.models import PendingImport, Service
from peerprog.core.workbook import NEW, UNCHANGED, UPDATE, load_book
from peerprog.core.workbook_export import book_export, book_template
from tests.conftest import World

pytestmark = pytest.mark.django_db

SERVICES = ["Service", "Setting", "Site"]


def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=number, column=column, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, as a person types it
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load(world: World, content: bytes, *, write: bool, by: str = "lead", **kwargs: Any):
    return load_book(
        content=content,
        file_format=PendingImport.Format.XLSX,
        programme=world.programme,
        by=world.users[by],
        write=write,
        **kwargs,
    )


def services(world: World) -> list[tuple[str, str, str]]:
    rows = Service.objects.filter(programme=world.programme).order_by("name")
    return list(rows.values_list("name", "setting", "site"))


GOOD = workbook(
    {
        "Services": [
            SERVICES,
            ["Birch Ward", "Acute inpatient", "Riverside"],
            ["Oak Community Team", "community", ""],
        ]
    }
)


def test_the_preview_writes_nothing_and_says_what_each_row_would_do(world: World) -> None:
    before = services(world)
    report = load(world, GOOD, write=False)
    assert [(row.sheet, row.row, row.action) for row in report.rows] == [
        ("Services", 2, NEW),
        ("Services", 3, NEW),
    ]
    assert report.ok
    assert services(world) == before


def test_the_import_writes_every_row_and_the_same_workbook_again_changes_nothing(
    world: World,
) -> None:
    load(world, GOOD, write=True)
    after = services(world)
    assert ("Birch Ward", "acute_inpatient", "Riverside") in after
    assert ("Oak Community Team", "community", "") in after
    history = Service.history.count()

    again = load(world, GOOD, write=True)

    assert {row.action for row in again.rows} == {UNCHANGED}
    assert services(world) == after
    assert Service.history.count() == history


def test_a_changed_row_updates_the_record_it_names(world: World) -> None:
    load(world, GOOD, write=True)
    changed = workbook({"Services": [SERVICES, ["birch ward", "Community", "Riverside"]]})
    report = load(world, changed, write=True)
    assert [row.action for row in report.rows] == [UPDATE]
    assert ("Birch Ward", "community", "Riverside") in services(world)


def test_one_bad_row_refuses_the_whole_workbook_and_names_sheet_row_and_column(
    world: World,
) -> None:
    before = services(world)
    bad = workbook(
        {
            "Services": [
                SERVICES,
                ["Birch Ward", "Acute inpatient", ""],
                ["Elm Ward", "Seaside", ""],
            ]
        }
    )
    report = load(world, bad, write=False)
    assert [str(error) for error in report.errors] == [
        "In the Services sheet, row 3, column “Setting”: “Seaside” is not one of "
        "“Acute inpatient”, “Rehabilitation inpatient”, “Community”, “BME-specific”."
    ]
    with pytest.raises(ImportRefused, match="Nothing was imported"):
        load(world, bad, write=True)
    assert services(world) == before


def test_a_sheet_peerprog_does_not_read_or_a_missing_column_is_an_error_of_the_file(
    world: World,
) -> None:
    odd = workbook({"Staff rota": [["Name"], ["Ann"]], "Services": [["Site"], ["Riverside"]]})
    report = load(world, odd, write=False)
    messages = [error.message for error in report.file_errors]
    assert any("sheet called “Staff rota”" in message for message in messages)
    assert "The Services sheet has no “Service” column, which it needs." in messages
    assert "The Services sheet has no “Setting” column, which it needs." in messages


def test_one_kind_comes_from_a_csv_file_but_a_whole_programme_needs_a_workbook(
    world: World,
) -> None:
    csv = b"Service,Setting\nAsh Ward,Community\n"
    report = load_book(
        content=csv,
        file_format=PendingImport.Format.CSV,
        programme=world.programme,
        by=world.users["lead"],
        write=True,
        only="services",
    )
    assert [row.action for row in report.rows] == [NEW]
    with pytest.raises(ImportRefused, match="comes in an Excel workbook"):
        load_book(
            content=csv,
            file_format=PendingImport.Format.CSV,
            programme=world.programme,
            by=world.users["lead"],
            write=False,
        )


def test_the_export_imports_back_unchanged_and_into_another_programme_as_new(
    world: World,
) -> None:
    load(world, GOOD, write=True)
    content = book_export(programme=world.programme, by=world.users["lead"])
    again = load(world, content, write=True)
    assert again.rows and {row.action for row in again.rows} == {UNCHANGED}

    other = load_book(
        content=content,
        file_format=PendingImport.Format.XLSX,
        programme=world.other_programme,
        by=world.users["other_programme_lead"],
        write=False,
        only=None,
    )
    # Services are named per programme: the other programme would make them
    # anew (its lead organisation differs, so only the lead's own rows load).
    assert {row.action for row in other.rows if not row.errors} == {NEW}


def test_text_that_looks_like_a_formula_is_exported_as_text(world: World) -> None:
    load(
        world,
        workbook({"Services": [SERVICES, ['=HYPERLINK("x")', "Community", "+44 ward"]]}),
        write=True,
    )
    content = book_export(programme=world.programme, by=world.users["lead"])
    sheet = load_workbook(io.BytesIO(content))["Services"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert not [cell for cell in cells if cell.hyperlink]
    assert '=HYPERLINK("x")' in [cell.value for cell in cells]


def test_the_template_has_every_sheet_with_its_columns_and_an_example(world: World) -> None:
    content = book_template(by=world.users["lead"])
    sheet = load_workbook(io.BytesIO(content))["Services"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Service", "Setting", "Site")
    assert rows[1][0] == "Willow Ward"


def test_a_lead_imports_a_workbook_through_the_pages(client, world: World) -> None:
    lead = world.users["lead"]
    client.force_login(lead)
    page = client.get(reverse("dashboard:history"))
    assert page.status_code == 200
    assert b"Services" in page.content
    response = client.post(
        reverse("dashboard:history"),
        {"file": SimpleUploadedFile("programme.xlsx", GOOD)},
    )
    assert response.status_code == 302
    pending = PendingImport.objects.filter(created_by=lead, importer="programme_history").latest(
        "pk"
    )
    preview = client.get(response.url)
    assert "Services, row 2" in preview.content.decode()
    assert "Birch Ward" not in [name for name, _, _ in services(world)]
    confirmed = client.post(response.url, {"confirm": "1"})
    assert confirmed.status_code == 302
    pending.refresh_from_db()
    assert pending.status == PendingImport.Status.IMPORTED
    assert ("Birch Ward", "acute_inpatient", "Riverside") in services(world)


def test_the_upload_keeps_the_file_for_its_uploader_only(client, world: World) -> None:
    pending = imports.import_upload(
        importer_key="programme_history",
        upload=SimpleUploadedFile("programme.xlsx", GOOD),
        options={},
        by=world.users["lead"],
    )
    client.force_login(world.users["hr"])
    url = reverse("dashboard:history-preview", args=[pending.pk])
    assert client.get(url).status_code == 404


# Adjustments: what was asked for may describe health.

ADJUSTMENTS = ["E-mail", "Kind", "What was asked for and why", "What organisers need to do"]


def _adjustment_book(world: World) -> bytes:
    email = world.person.email
    return workbook(
        {
            "Adjustments": [
                ADJUSTMENTS,
                [email, "Times and breaks", "Morning medication makes me drowsy", "Start at 11"],
            ]
        }
    )


def test_a_lead_brings_in_an_adjustment_and_again_changes_nothing(world: World) -> None:
    from peerprog.core.models import ReasonableAdjustment

    before = ReasonableAdjustment.objects.filter(person=world.person).count()
    report = load(world, _adjustment_book(world), write=True)
    assert [row.action for row in report.rows] == [NEW]
    # The preview names the person, never what they asked for.
    assert "drowsy" not in str(report.as_json())
    added = ReasonableAdjustment.objects.filter(person=world.person).latest("pk")
    assert (added.kind, added.practical_note) == ("timing", "Start at 11")
    again = load(world, _adjustment_book(world), write=True)
    assert [row.action for row in again.rows] == [UNCHANGED]
    assert ReasonableAdjustment.objects.filter(person=world.person).count() == before + 1


def test_only_leads_and_hr_import_or_export_what_was_asked_for(world: World) -> None:
    report = load(world, _adjustment_book(world), write=False, by="admin")
    assert "Only a programme lead or HR may import this column" in str(report.errors[0])
    load(world, _adjustment_book(world), write=True, by="hr")
    lead_copy = load_workbook(
        io.BytesIO(book_export(programme=world.programme, by=world.users["lead"]))
    )
    admin_copy = load_workbook(
        io.BytesIO(book_export(programme=world.programme, by=world.users["admin"]))
    )
    lead_cells = [c.value for row in lead_copy["Adjustments"].iter_rows() for c in row]
    admin_cells = [c.value for row in admin_copy["Adjustments"].iter_rows() for c in row]
    assert "Morning medication makes me drowsy" in lead_cells
    assert "What was asked for and why" not in admin_cells
    assert "Morning medication makes me drowsy" not in admin_cells


def test_a_row_updating_what_an_earlier_row_made_imports_as_previewed(client, world: World) -> None:
    from peerprog.core import import_jobs

    twice = workbook(
        {
            "Services": [
                SERVICES,
                ["Birch Ward", "Acute inpatient", "Riverside"],
                ["Birch Ward", "Acute inpatient", "Hilltop"],
            ]
        }
    )
    lead = world.users["lead"]
    pending = imports.import_upload(
        importer_key="programme_history",
        upload=SimpleUploadedFile("programme.xlsx", twice),
        options={},
        by=lead,
    )
    preview = import_jobs.import_preview(pending=pending, by=lead)
    assert [row.action for row in preview.rows] == [NEW, UPDATE]
    pending.refresh_from_db()
    import_jobs.import_confirm(pending=pending, by=lead)
    pending.refresh_from_db()
    assert pending.status == PendingImport.Status.IMPORTED, pending.message
    assert ("Birch Ward", "acute_inpatient", "Hilltop") in services(world)
