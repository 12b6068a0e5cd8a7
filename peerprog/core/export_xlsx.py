"""XLSX files of exports, written with XlsxWriter in constant-memory mode.

The workbook (its parts, styles and the zip around them) is XlsxWriter's,
made with every conversion of text turned off: text is never made into a
formula, a link or a number. Rows are appended by ``ExportSheet``, which
writes each row's cells straight into the worksheet's row data, in the XML
XlsxWriter's own cell writers produce in constant-memory mode (text as
inline strings, numbers as numbers, dates as numbers in a date style). Its
cell-by-cell ``write_string``/``write_number`` calls cost about five
times the whole CSV export at 100,000 rows; a row at a time they cost less
than reading the rows. ``tests/core/test_export_xlsx.py`` checks that both
give the same sheet, so an upgrade of the pinned XlsxWriter that changes
what it writes is caught there.

Cells reach the sheet already safe (``export_cells.safe_cell``): text with
no character XML cannot hold and no formula start, dates, numbers.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, BinaryIO

from xlsxwriter import Workbook
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
DATE_FORMAT = "yyyy-mm-dd"
# Excel's longest text in a cell, in UTF-16 units.
LONGEST_TEXT = 32_767
# Excel counts days from 31 December 1899, and believes 1900 had a
# 29 February: from 1 March 1900 a date is its ordinal less this.
EXCEL_DAY_OFFSET = date(1899, 12, 30).toordinal()
FIRST_EXCEL_DATE = date(1900, 3, 1)
# Text that reads like Excel's own escape of a character (_x0041_ for "A")
# has its underscore escaped, so that it is shown as typed.
EXCEL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")


def _xml_text(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "_x" in text:
        text = EXCEL_ESCAPE.sub(r"_x005F\1", text)
    return text


def _fits(text: str) -> str:
    # Only text over half the limit in characters can be over it in UTF-16 units.
    if len(text) > LONGEST_TEXT // 2 and len(text.encode("utf-16-le")) // 2 > LONGEST_TEXT:
        text = text.encode("utf-16-le")[: LONGEST_TEXT * 2].decode("utf-16-le", "ignore")
    return text


class ExportSheet(Worksheet):
    """A worksheet that appends whole rows of safe cells, in order."""

    date_style = 0
    letters: list[str]

    def start_rows(self, *, date_style: int, columns: int) -> None:
        self.date_style = date_style
        self.letters = [xl_col_to_name(index) for index in range(columns)]
        self.next_row = 0

    def append_row(self, values: Sequence[Any]) -> None:
        """Write one row of cells: text, numbers (int, float, Decimal) and
        dates; an empty text is an empty cell."""
        index = self.next_row
        number = index + 1
        parts = [f'<row r="{number}">']
        add = parts.append
        letters = self.letters
        for column, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                text = _xml_text(_fits(value))
                space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
                add(
                    f'<c r="{letters[column]}{number}" t="inlineStr">'
                    f"<is><t{space}>{text}</t></is></c>"
                )
            elif kind is date and value >= FIRST_EXCEL_DATE:
                serial = value.toordinal() - EXCEL_DAY_OFFSET
                add(f'<c r="{letters[column]}{number}" s="{self.date_style}"><v>{serial}</v></c>')
            elif isinstance(value, int | float | Decimal) and math.isfinite(value):
                add(f'<c r="{letters[column]}{number}"><v>{value:.16G}</v></c>')
            else:
                # A date Excel cannot show, or a number it cannot hold: as text.
                text = _xml_text(value.isoformat() if isinstance(value, date) else str(value))
                add(f'<c r="{letters[column]}{number}" t="inlineStr"><is><t>{text}</t></is></c>')
        add("</row>")
        self.fh.write("".join(parts))
        # What XlsxWriter keeps of the rows written: the sheet's extent,
        # and the last row (anything written after must come below it).
        if self.dim_rowmin is None:
            self.dim_rowmin = index
            self.dim_colmin = 0
            self.dim_colmax = max(0, len(values) - 1)
        self.dim_rowmax = index
        self.previous_row = index
        self.next_row = index + 1


def write_xlsx(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    out: BinaryIO,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 2000,
) -> int:
    """Write a sheet named ``title`` of ``header`` and the rows (lists of
    safe cells) to ``out``; the number of rows written. XlsxWriter's
    scratch files go to a directory of their own that is removed whatever
    happens, so no row is left on disk."""
    written = 0
    with tempfile.TemporaryDirectory(prefix="export-") as scratch:
        workbook = Workbook(out, {**OPTIONS, "tmpdir": scratch})
        sheet = workbook.add_worksheet(title, worksheet_class=ExportSheet)
        style = workbook.add_format({"num_format": DATE_FORMAT})
        sheet.start_rows(date_style=style._get_xf_index(), columns=len(header))
        try:
            sheet.append_row(header)
            for row in rows:
                sheet.append_row(row)
                written += 1
                if progress is not None and written % progress_every == 0:
                    progress(written)
        except BaseException:
            # Close the scratch file the rows went to, so that it can go.
            sheet.row_data_fh.close()
            raise
        workbook.close()
    return written
