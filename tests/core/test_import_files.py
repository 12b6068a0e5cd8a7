"""Hostile and awkward files uploaded through a real import page: each is
refused with a 400 and a message in plain words, or read, never a 500, and
in bounded memory. Nothing refused is kept.

The files are built in the test (``peerprog.devtools.hostile_files``), each
a few kilobytes; their refusal times are printed by
``python -m peerprog.devtools.bench_imports``, not asserted here.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from peerprog.core.import_reading import ImportRefused, limits_in_words, read_dataset
from peerprog.core.models import PendingImport
from peerprog.devtools import hostile_files
from recruitment.models import Cohort
from tests.conftest import World

pytestmark = pytest.mark.django_db

# Far below the 512 MB every refusal must stay under: what reading one of
# these files may cost on top of the page itself.
MEMORY_BOUND = 64 * 1024 * 1024


@pytest.fixture
def lead_client(module_world: World) -> Client:
    client = Client()
    client.force_login(module_world.users["lead"])
    return client


def post_file(client: Client, cohort: Cohort, name: str, content: bytes) -> tuple[int, str, int]:
    """Upload through the applications import page: the status, the page's
    text and the peak memory Python allocated while answering."""
    tracemalloc.start()
    try:
        response = client.post(
            reverse("recruitment:import-upload"),
            {"cohort": cohort.pk, "file": SimpleUploadedFile(name, content)},
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return response.status_code, response.content.decode(), peak


def assert_refused(
    module_world: World, lead_client: Client, name: str, build: Callable[[], bytes], message: str
) -> None:
    cohort = module_world.objects["cohort"]
    before = PendingImport.objects.count()
    status, page, peak = post_file(lead_client, cohort, name, build())
    assert status == 400
    assert message in page
    assert peak < MEMORY_BOUND
    assert PendingImport.objects.count() == before


def test_a_sheet_that_claims_a_million_rows_by_16384_columns_is_refused_at_the_row_cap(
    module_world: World, lead_client: Client
) -> None:
    content = hostile_files.dimension_attack()
    assert len(content) < 2048
    assert_refused(
        module_world,
        lead_client,
        "attack.xlsx",
        lambda: content,
        "This file has more than 50,000 rows.",
    )


def test_a_cell_at_the_last_column_is_refused_before_any_row_is_padded(
    module_world: World, lead_client: Client
) -> None:
    assert_refused(
        module_world, lead_client, "wide.xlsx", hostile_files.far_cell, "cells beyond column CV"
    )


def test_a_claimed_dimension_over_real_rows_reads_only_the_rows(
    module_world: World, lead_client: Client
) -> None:
    tracemalloc.start()
    try:
        dataset = read_dataset(hostile_files.dimension_with_rows(500), PendingImport.Format.XLSX)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(dataset) == 500
    assert dataset.headers[:3] == ["First name", "Last name", "E-mail"]
    assert len(dataset[0]) == len(dataset.headers)
    assert peak < MEMORY_BOUND


def test_a_zip_bomb_whose_header_understates_its_size_is_refused(
    module_world: World, lead_client: Client
) -> None:
    content = hostile_files.zip_bomb()
    assert len(content) < 512 * 1024
    assert_refused(
        module_world,
        lead_client,
        "bomb.xlsx",
        lambda: content,
        "This file is not a readable Excel workbook.",
    )


def test_a_workbook_larger_once_opened_than_the_limit_is_refused(
    module_world: World, lead_client: Client, settings: Any
) -> None:
    settings.IMPORT_MAX_EXPANDED_BYTES = 1024 * 1024
    assert_refused(
        module_world,
        lead_client,
        "large.xlsx",
        lambda: hostile_files.workbook([b" " * (2 * 1024 * 1024)]),
        "This workbook is too large once opened.",
    )


def test_a_flood_of_shared_strings_is_refused_before_openpyxl_reads_them(
    module_world: World, lead_client: Client
) -> None:
    assert_refused(
        module_world,
        lead_client,
        "strings.xlsx",
        hostile_files.shared_strings_flood,
        "This workbook is too large once opened.",
    )


def test_a_workbook_with_no_sheet_is_refused(module_world: World, lead_client: Client) -> None:
    assert_refused(
        module_world,
        lead_client,
        "empty.xlsx",
        hostile_files.no_sheet,
        "This workbook has no sheet.",
    )


def test_a_workbook_with_malformed_sheet_xml_is_refused(
    module_world: World, lead_client: Client
) -> None:
    assert_refused(
        module_world,
        lead_client,
        "broken.xlsx",
        hostile_files.malformed_sheet,
        "This workbook could not be read: the file is damaged.",
    )


def test_a_million_styled_empty_rows_are_refused_at_the_row_cap(
    module_world: World, lead_client: Client
) -> None:
    content = hostile_files.styled_empty_rows()
    assert len(content) < 256 * 1024
    assert_refused(
        module_world,
        lead_client,
        "styled.xlsx",
        lambda: content,
        "This file has more than 50,000 rows.",
    )


def test_a_utf16_csv_file_with_its_mark_is_read(module_world: World, lead_client: Client) -> None:
    status, _page, _ = post_file(
        lead_client, module_world.objects["cohort"], "utf16.csv", hostile_files.utf16_csv()
    )
    assert status == 302
    pending = PendingImport.objects.get(filename="utf16.csv")
    dataset = read_dataset(bytes(pending.content), pending.file_format)
    assert dataset.dict[0]["E-mail"] == "mina.rahman@example.org"
    assert dataset.dict[0]["Statement"] == "I volunteer"


def test_a_utf16_csv_file_without_its_mark_is_refused_in_plain_words(
    module_world: World, lead_client: Client
) -> None:
    assert_refused(
        module_world,
        lead_client,
        "utf16.csv",
        hostile_files.utf16_csv_without_mark,
        "Save it from your spreadsheet as “CSV UTF-8”.",
    )


def preview_of(
    module_world: World, lead_client: Client, settings: Any, name: str, content: bytes
) -> str:
    """Upload a file that is read, and give its preview page."""
    settings.IMPORT_INLINE_BYTES = len(content)  # checked in the request
    status, _page, peak = post_file(lead_client, module_world.objects["cohort"], name, content)
    assert status == 302
    assert peak < MEMORY_BOUND
    pending = PendingImport.objects.filter(filename=name).latest("pk")
    response = lead_client.get(
        reverse("recruitment:import-preview", kwargs={"pk": pending.pk}), follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("length", [131_073, 40_000])
def test_a_csv_value_longer_than_a_cell_holds_is_an_error_of_its_row_and_column(
    module_world: World, lead_client: Client, settings: Any, length: int
) -> None:
    """Past the csv module's own limit (131,072) or only past a cell's."""
    content = (
        hostile_files.long_field_csv(length)
        + hostile_files.ROW.format("Fine").replace("mina.rahman", "mina.other").encode()
    )
    page = preview_of(module_world, lead_client, settings, "long.csv", content)
    assert "In row 2, column “Statement”: The value is longer than 32,767 characters." in page
    assert "1 problem" in page
    assert "In row 3" not in page
    assert 'name="confirm"' not in page


def test_a_long_column_name_refuses_the_file(module_world: World, lead_client: Client) -> None:
    assert_refused(
        module_world,
        lead_client,
        "long.csv",
        lambda: ("x" * 40_000 + "," + hostile_files.HEADER + hostile_files.ROW).encode(),
        "In row 1, column 1: The value is longer than 32,767 characters.",
    )


def test_text_in_no_known_encoding_is_refused_in_plain_words(
    module_world: World, lead_client: Client
) -> None:
    # 0x81 is undefined in Windows-1252 and cannot start a UTF-8 character.
    assert_refused(
        module_world,
        lead_client,
        "odd.csv",
        lambda: hostile_files.HEADER.encode() + b"\x81\x81,x\n",
        "The file&#x27;s text could not be read.",
    )


def test_the_upload_page_states_the_limits_from_settings(
    module_world: World, lead_client: Client, settings: Any
) -> None:
    settings.MAX_UPLOAD_SIZE = 3 * 1024 * 1024
    settings.IMPORT_MAX_ROWS = 20_000
    page = lead_client.get(reverse("recruitment:import-upload")).content.decode()
    assert "up to 3 MB and 20,000 rows" in page
    assert limits_in_words() == "up to 3 MB and 20,000 rows"


def test_a_file_larger_than_the_setting_is_refused_with_the_setting(
    module_world: World, lead_client: Client, settings: Any
) -> None:
    settings.MAX_UPLOAD_SIZE = 1024 * 1024
    assert_refused(
        module_world,
        lead_client,
        "big.csv",
        lambda: hostile_files.long_field_csv(20_000) * 60,
        "This file is larger than 1 MB.",
    )


def test_the_row_cap_is_a_setting(module_world: World, settings: Any) -> None:
    settings.IMPORT_MAX_ROWS = 2
    text = hostile_files.HEADER + hostile_files.ROW.format("a") * 3
    with pytest.raises(ImportRefused, match="more than 2 rows"):
        read_dataset(text.encode(), PendingImport.Format.CSV)
