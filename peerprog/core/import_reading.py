"""Reading an uploaded CSV file or Excel workbook into rows, defensively.

Every import reads its file here, and nowhere else, so that a hostile or
broken file is refused in one place, quickly and in bounded memory, with a
message in plain words (never a server error):

* CSV text is decoded by its byte-order mark (UTF-8, UTF-16, UTF-32), then,
  without one, as UTF-8 and failing that as Windows-1252 (what Excel saves
  as "CSV"). Text with NUL characters (UTF-16 saved without its mark, or a
  binary file) is refused: it cannot be stored.
* A value longer than a spreadsheet cell can hold (or holding a NUL) is
  read as ``Oversized``: an error of its row and column in the preview, like
  any other bad value, in CSV (whose reader's own limit is raised to the
  upload's size) and in XLSX alike. Only in the header row does it refuse
  the file.
* A workbook is a zip archive. Before openpyxl opens it, every part is
  checked against a size limit, first by what its header declares and then
  by reading it through a bounded stream, so a part whose header understates
  its size (a zip bomb) is found after reading no more than the limit.
* The workbook is read in read-only mode with its declared dimension
  ignored (a sheet may claim a million rows by 16,384 columns), reading only
  the first ``MAX_COLUMNS`` columns, and every row read counts towards the
  cap, empty or not, so a sheet of a million empty rows stops at the cap.
* The shared strings (read whole before the first row) are counted and
  capped in proportion to the row cap.
* A workbook with no sheet, or with XML that does not parse, is refused.

Limits come from settings: ``IMPORT_MAX_ROWS`` (rows of data in a file),
``MAX_UPLOAD_SIZE`` (the upload in bytes, from ``MAX_UPLOAD_BYTES`` in the
environment) and ``IMPORT_MAX_EXPANDED_BYTES`` (a workbook once unzipped).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any
from xml.parsers import expat

import tablib
from django.conf import settings
from openpyxl import load_workbook

from peerprog.core.models import PendingImport
from peerprog.core.services import DomainError

DEFAULT_MAX_ROWS = 50_000
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_EXPANDED_BYTES = 64 * 1024 * 1024
# No import reads more columns than this. A workbook with a cell beyond it
# is refused before it is opened: openpyxl pads every row it reads up to
# its last cell, so a single cell at column XFD would make each row 16,384
# cells wide.
MAX_COLUMNS = 100
LAST_COLUMN = "CV"
# A spreadsheet cell holds at most this many characters.
MAX_CELL_CHARACTERS = 32_767
# Spreadsheets often keep some formatted empty rows under the data; so many
# are read past the cap before the file is refused as too long.
BLANK_ROWS_ALLOWED = 1_000
# A workbook's shared strings (each distinct text in it) are all read before
# its first row, and slowly: no more than so many for each row allowed.
STRINGS_PER_ROW = 8
MIN_SHARED_STRINGS = 10_000
# A workbook of more parts than this is not a workbook anyone fills in.
MAX_PARTS = 10_000
READ_CHUNK = 1024 * 1024

UNREADABLE_WORKBOOK = (
    "This file is not a readable Excel workbook. Save it again as .xlsx, or as CSV."
)
BROKEN_WORKBOOK = (
    "This workbook could not be read: the file is damaged. Open it in your spreadsheet "
    "and save it again as .xlsx, or as CSV."
)
UNREADABLE_TEXT = "The file's text could not be read. Save it from your spreadsheet as “CSV UTF-8”."


class ImportRefused(DomainError):
    """A file that cannot be imported, in plain words."""


# Limits ------------------------------------------------------------------


def row_cap() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_SIZE", DEFAULT_MAX_UPLOAD_BYTES))


def max_expanded_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_EXPANDED_BYTES", DEFAULT_MAX_EXPANDED_BYTES))


def size_in_words(size: int) -> str:
    """A byte count as people say it: "10 MB", "512 KB"."""
    if size >= 1024 * 1024:
        megabytes = size / (1024 * 1024)
        return f"{megabytes:.0f} MB" if megabytes == int(megabytes) else f"{megabytes:.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def limits_in_words(rows: int | None = None) -> str:
    """The limits an upload page states: "up to 10 MB and 50,000 rows"."""
    rows = row_cap() if rows is None else rows
    return f"up to {size_in_words(max_upload_bytes())} and {rows:,} rows"


def too_large_message() -> str:
    return (
        f"This file is larger than {size_in_words(max_upload_bytes())}. "
        "Split it into smaller files."
    )


# The file's format ---------------------------------------------------------


def format_of(filename: str) -> str:
    name = filename.lower()
    if name.endswith(".csv"):
        return PendingImport.Format.CSV
    if name.endswith(".xlsx"):
        return PendingImport.Format.XLSX
    raise ImportRefused("Upload a CSV file (.csv) or an Excel workbook (.xlsx).")


_format_of = format_of


# Text --------------------------------------------------------------------

# Longest first: a UTF-32 little-endian mark begins like a UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(content: bytes) -> str:
    """The file's text: by its byte-order mark if it has one, otherwise
    UTF-8, otherwise Windows-1252. Refused when none of them reads it, or
    when it holds NUL characters."""
    text: str | None = None
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            try:
                text = content.decode(encoding)
            except UnicodeDecodeError:
                raise ImportRefused(UNREADABLE_TEXT) from None
            break
    else:
        for encoding in ("utf-8", "cp1252"):
            try:
                text = content.decode(encoding)
            except UnicodeDecodeError:
                continue
            break
    if text is None:
        raise ImportRefused(UNREADABLE_TEXT)
    if "\x00" in text:
        raise ImportRefused(
            "The file holds characters that are not text (it may be UTF-16 without its "
            "byte-order mark, or not a CSV file at all). Save it from your spreadsheet as "
            "“CSV UTF-8”."
        )
    return text.lstrip("\ufeff")


def _allow_long_fields() -> None:
    """The csv module stops at a value past its own limit (131,072
    characters by default). No value can be longer than the upload itself,
    so the limit is raised to that: a value longer than a cell holds is
    then an error of its row and column (``Oversized``)."""
    wanted = max_upload_bytes() + 1
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    text = decode_text(content)
    _allow_long_fields()
    reader = csv.reader(io.StringIO(text))
    number = 0
    while True:
        number += 1
        try:
            line = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ImportRefused(
                f"Row {number} is not valid CSV. Check its quotation marks, or save the "
                "file again from your spreadsheet as “CSV UTF-8”."
            ) from None
        yield line


# Workbooks ---------------------------------------------------------------


def _too_large_once_opened() -> ImportRefused:
    return ImportRefused(
        "This workbook is too large once opened. Keep only the sheet with the rows to "
        "load, or save it as CSV."
    )


def _beyond_last_column(letters: str) -> bool:
    """Whether a cell reference's column letters ("A", "CV", "XFD") lie
    past ``LAST_COLUMN``; letters are compared as spreadsheets order them,
    by length and then alphabetically."""
    return len(letters) > len(LAST_COLUMN) or (
        len(letters) == len(LAST_COLUMN) and letters.upper() > LAST_COLUMN
    )


class _SheetScan:
    """Reads one XML part as it streams past, without building it: refuses
    a document type declaration (entities can expand without end), counts
    the rows of a sheet and the cells of each row, and so stops a sheet of
    a million rows, or a row of a million cells, long before openpyxl would
    build them."""

    def __init__(self, most_rows: int) -> None:
        self.most_rows = most_rows
        self.rows = 0
        self.cells = 0
        self.strings = 0
        self.most_strings = max(MIN_SHARED_STRINGS, STRINGS_PER_ROW * most_rows)
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.StartDoctypeDeclHandler = self._doctype

    def _doctype(self, *args: Any) -> None:
        raise ImportRefused(UNREADABLE_WORKBOOK)

    def _start(self, name: str, attributes: Any) -> None:
        local = name.rpartition(" ")[2]
        if local == "c":
            self.cells += 1
            letters = str(attributes.get("r", "")).rstrip("0123456789")
            if self.cells > MAX_COLUMNS or _beyond_last_column(letters):
                raise ImportRefused(
                    f"This workbook has cells beyond column {LAST_COLUMN} (the "
                    f"{MAX_COLUMNS}th). Keep only the columns described on the upload page."
                )
        elif local == "si":
            # openpyxl reads every shared string before the first row.
            self.strings += 1
            if self.strings > self.most_strings:
                raise _too_large_once_opened()
        elif local == "row":
            self.rows += 1
            self.cells = 0
            if self.rows > self.most_rows:
                raise ImportRefused(
                    f"This file has more than {self.most_rows - 1 - BLANK_ROWS_ALLOWED:,} rows. "
                    "Split it into smaller files."
                )

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError:
            raise ImportRefused(BROKEN_WORKBOOK) from None


def check_xlsx(content: bytes, cap: int | None = None) -> int:
    """Refuse a workbook whose parts, once unzipped, would pass the limit,
    or whose XML is broken or holds more rows than the cap allows.

    Each part's declared size is checked first; then every part is read
    through a bounded stream, so that a part whose header understates its
    size is caught after reading at most the limit (zipfile stops a part at
    its declared size and then finds its checksum wrong). XML parts are
    scanned as they are read (``_SheetScan``). Gives the most rows a sheet
    holds (header and blank rows included): what a progress page counts to.
    """
    limit = max_expanded_bytes()
    most_rows = (row_cap() if cap is None else cap) + 1 + BLANK_ROWS_ALLOWED
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ImportRefused(UNREADABLE_WORKBOOK) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _too_large_once_opened()
        declared = 0
        for part in parts:
            declared += part.file_size
            if part.file_size > limit or declared > limit:
                raise _too_large_once_opened()
        read = 0
        most_rows_seen = 0
        for part in parts:
            scan = _SheetScan(most_rows) if part.filename.endswith((".xml", ".rels")) else None
            try:
                with archive.open(part) as stream:
                    while chunk := stream.read(READ_CHUNK):
                        read += len(chunk)
                        if read > limit:
                            raise _too_large_once_opened()
                        if scan is not None:
                            scan.feed(chunk)
                if scan is not None:
                    scan.feed(b"", final=True)
                    if part.filename.startswith("xl/worksheets/"):
                        most_rows_seen = max(most_rows_seen, scan.rows)
            except ImportRefused:
                raise
            except Exception:
                # A wrong checksum (a part longer than its header says),
                # an unknown compression, encryption: not a workbook to read.
                raise ImportRefused(UNREADABLE_WORKBOOK) from None
    return most_rows_seen


_check_xlsx = check_xlsx


def _xlsx_rows(content: bytes, cap: int, *, checked: bool = False) -> Iterator[Iterable[Any]]:
    if not checked:
        check_xlsx(content, cap)
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception:
        raise ImportRefused(UNREADABLE_WORKBOOK) from None
    try:
        if not workbook.worksheets:
            raise ImportRefused(
                "This workbook has no sheet. Put the rows to load on its first sheet."
            )
        sheet = workbook.worksheets[0]
        if not hasattr(sheet, "reset_dimensions"):
            # A chart sheet: no cells to read.
            raise ImportRefused("The first sheet of this workbook holds no rows. Put them there.")
        # The dimension the file declares is not trusted: rows are read as
        # they come, as wide as their last cell (checked in ``check_xlsx``).
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except ImportRefused:
                raise
            except Exception:
                raise ImportRefused(BROKEN_WORKBOOK) from None
            yield row
    finally:
        workbook.close()


# Rows --------------------------------------------------------------------


class Oversized:
    """A value that cannot be imported (longer than a spreadsheet cell
    holds, or holding a NUL character): read as an empty cell, and reported
    as an error of its row and column (``problem``)."""

    __slots__ = ("problem",)

    def __init__(self, problem: str) -> None:
        self.problem = problem

    def __str__(self) -> str:
        return ""


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARACTERS:
            return Oversized(f"The value is longer than {MAX_CELL_CHARACTERS:,} characters.")
        if "\x00" in value:
            return Oversized("The value holds a character that cannot be stored.")
        return value.strip()
    return "" if value is None else value


def _refuse_bad_header(cells: list[Any]) -> None:
    for index, value in enumerate(cells):
        if isinstance(value, Oversized):
            raise ImportRefused(
                f"In row 1, column {index + 1}: {value.problem} "
                "The first row must hold the column names."
            )


class Rows:
    """The rows of a file under its header row, read as they are needed.

    ``headers`` is read at once; iterating gives ``(row number, cells)`` for
    each row of data, its cells padded or cut to the headers' width. Empty
    rows are left out, but every row read counts towards the cap (refused
    with ``ImportRefused`` when passed), so a file cannot make the reader
    walk far beyond it. ``estimate`` is how many rows of data the file may
    hold, for a progress page (0 when unknown)."""

    def __init__(self, content: bytes, file_format: str, max_rows: int | None = None) -> None:
        self.cap = row_cap() if max_rows is None else max_rows
        self.estimate = 0
        if file_format == PendingImport.Format.XLSX:
            self.estimate = max(check_xlsx(content, self.cap) - 1, 0)
            self._source: Iterator[Iterable[Any]] = _xlsx_rows(content, self.cap, checked=True)
        else:
            self._source = _csv_rows(content)
        # The header, the rows of data and the blank rows a spreadsheet keeps.
        self._most_read = self.cap + 1 + BLANK_ROWS_ALLOWED
        self._read = 0
        first = self._next()
        if first is None:
            raise ImportRefused("This file is empty.")
        _refuse_bad_header(first[1])
        self.headers = [str(header) for header in first[1]]

    def _too_many(self) -> ImportRefused:
        return ImportRefused(
            f"This file has more than {self.cap:,} rows. Split it into smaller files."
        )

    def _next(self) -> tuple[int, list[Any]] | None:
        for line in self._source:
            self._read += 1
            if self._read > self._most_read:
                raise self._too_many()
            if not line:
                continue
            cells = [_cell(value) for value in line]
            while cells and cells[-1] == "":
                cells.pop()
            if not cells:
                continue
            if len(cells) > MAX_COLUMNS:
                raise ImportRefused(
                    f"Row {self._read} has more than {MAX_COLUMNS} columns. Keep only the "
                    "columns described on the upload page."
                )
            return self._read, cells
        return None

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        width = len(self.headers)
        data_rows = 0
        while (found := self._next()) is not None:
            data_rows += 1
            if data_rows > self.cap:
                raise self._too_many()
            number, cells = found
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            yield number, cells[:width]


def count_rows(content: bytes, file_format: str, max_rows: int | None = None) -> int:
    """How many rows of data a CSV file holds (read to its end, keeping
    nothing), or how many a workbook's sheet may hold: what a progress page
    counts to. Refuses an unreadable file as ``Rows`` does."""
    rows = Rows(content, file_format, max_rows)
    if file_format == PendingImport.Format.XLSX:
        return rows.estimate
    return sum(1 for _ in rows)


def read_dataset(content: bytes, file_format: str, max_rows: int | None = None) -> tablib.Dataset:
    """The whole file as a dataset under its header row (for small files
    and tests: imports read ``Rows`` as they go). Refuses a file over the
    row cap (``IMPORT_MAX_ROWS`` unless given) before reading it all."""
    rows = Rows(content, file_format, max_rows)
    dataset = tablib.Dataset(headers=rows.headers)
    for _number, cells in rows:
        dataset.append([str(cell) if isinstance(cell, Oversized) else cell for cell in cells])
    return dataset
