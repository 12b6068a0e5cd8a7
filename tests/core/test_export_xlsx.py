"""XLSX exports written by XlsxWriter: the same sheet as its own cell
writers make, dates and numbers a spreadsheet can sort, text kept as typed,
and no scratch file left behind."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import xlsxwriter
from openpyxl import load_workbook

from peerprog.core import export_specs
from peerprog.core.export_xlsx import DATE_FORMAT, OPTIONS, write_xlsx
from peerprog.core.exports import Column, ExportSpec

ROWS = [
    ["Ada & Bo <team>", 3, 2.5, Decimal("7.25"), date(2026, 3, 3)],
    [" leading space", -4, 0.1, Decimal("0"), date(1900, 3, 1)],
    ["trailing space ", 12345678, 1e20, Decimal("1.5"), date(2099, 12, 31)],
    ["_x0041_ as typed", 0, -0.5, Decimal("-3"), date(2000, 2, 29)],
    ["", 1, 1.0, Decimal("2"), date(2026, 1, 1)],
    ["line one\nline two", 2, 3.0, Decimal("4"), date(2026, 10, 25)],
]
HEADER = ["Name", "Count", "Share", "Amount", "On"]


def sheet_xml(content: bytes) -> tuple[bytes, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml"), archive.read("xl/styles.xml")


def xlsxwriters_own(rows: list[list[Any]]) -> bytes:
    """The same rows through XlsxWriter's cell-by-cell writers."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, OPTIONS)
    sheet = workbook.add_worksheet("Sheet")
    style = workbook.add_format({"num_format": DATE_FORMAT})
    for index, row in enumerate([HEADER, *rows]):
        for column, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    sheet.write_string(index, column, value)
            elif isinstance(value, date):
                sheet.write_datetime(index, column, value, style)
            else:
                sheet.write_number(index, column, value)
    workbook.close()
    return out.getvalue()


def test_rows_are_written_as_xlsxwriters_own_cell_writers_write_them() -> None:
    out = io.BytesIO()
    write_xlsx("Sheet", HEADER, ROWS, out)
    assert sheet_xml(out.getvalue()) == sheet_xml(xlsxwriters_own(ROWS))


def export_of(rows: list[Any], columns: list[Column]) -> list[list[Any]]:
    spec = ExportSpec(key="tests.cells", title="Cells", roles=(), columns=columns, rows=list)
    out = io.BytesIO()
    export_specs.write_rows(spec, columns, rows, "xlsx", out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert not any(cell.hyperlink for row in sheet.iter_rows() for cell in row)
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_a_spreadsheet_sorts_dates_and_numbers_and_keeps_text_as_typed(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/London"
    columns = [
        Column("On", lambda row: row["on"]),
        Column("Minutes", lambda row: row["minutes"]),
        Column("Phone", lambda row: row["phone"]),
        Column("Website", lambda row: row["website"]),
        Column("Recorded at", lambda row: row["at"]),
        Column("Confirmed", lambda row: row["confirmed"]),
    ]
    row = {
        "on": date(2026, 3, 3),
        "minutes": 45,
        "phone": "07700 900123",
        "website": "https://example.org/a?b=1",
        "at": datetime(2026, 7, 1, 9, 30, tzinfo=ZoneInfo("UTC")),
        "confirmed": True,
    }
    header, cells = export_of([row], columns)
    assert header == ["On", "Minutes", "Phone", "Website", "Recorded at", "Confirmed"]
    assert cells == [
        datetime(2026, 3, 3),
        45,
        "07700 900123",
        "https://example.org/a?b=1",
        "2026-07-01 10:30",
        "Yes",
    ]


def test_text_too_long_for_a_cell_is_cut_to_what_excel_holds() -> None:
    _header, cells = export_of(["x" * 40_000], [Column("Notes", lambda row: row)])
    assert cells == ["x" * 32_767]


def test_an_export_that_fails_part_way_leaves_no_rows_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows() -> Iterator[list[str]]:
        yield ["Ada Lovelace"]
        raise RuntimeError("The database went away.")

    with pytest.raises(RuntimeError):
        write_xlsx("Sheet", ["Name"], rows(), io.BytesIO())
    assert list(tmp_path.iterdir()) == []
