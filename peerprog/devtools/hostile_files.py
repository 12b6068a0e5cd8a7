"""Small hostile files that imports must refuse cleanly, built in memory.

Each is a few kilobytes to a few megabytes, but would cost a naive reader
seconds to minutes and hundreds of megabytes: the tests upload each through
an import page, and ``bench_imports`` times the refusals.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterable

HEADER = "First name,Last name,E-mail,Phone,Date of birth,Source,Received on,Statement\n"
ROW = "Mina,Rahman,mina.rahman@example.org,07700 900001,02/05/1988,Flyer,03/01/2027,{}\n"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = RELS + "/worksheet"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{SHEET_TYPE}" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _workbook_xml(sheets: bool = True) -> str:
    listed = '<sheet name="Applications" sheetId="1" r:id="rId1"/>' if sheets else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
        f"<sheets>{listed}</sheets></workbook>"
    )


def _sheet_start(dimension: str = "") -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{declared}<sheetData>'


SHEET_END = "</sheetData></worksheet>"


def _inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    names = HEADER.strip().split(",")
    cells = "".join(_inline(f"{chr(65 + i)}1", name) for i, name in enumerate(names))
    return f'<row r="1">{cells}</row>'


class _Part:
    """One zip member: deflated from chunks, with the size its headers
    declare (the real one unless told otherwise)."""

    def __init__(self, name: str, chunks: Iterable[bytes], declared: int | None = None) -> None:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        crc = 0
        size = 0
        out = []
        for chunk in chunks:
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            out.append(compressor.compress(chunk))
        out.append(compressor.flush())
        self.name = name.encode()
        self.data = b"".join(out)
        self.crc = crc
        self.size = size if declared is None else declared


def _zip(parts: list[_Part]) -> bytes:
    """A zip archive written by hand, so that a part's headers can lie."""
    body = bytearray()
    directory = bytearray()
    for part in parts:
        offset = len(body)
        body += struct.pack(
            "<4s5H3L2H",
            b"PK\x03\x04",
            20,
            0,
            8,
            0,
            0x21,
            part.crc,
            len(part.data),
            part.size,
            len(part.name),
            0,
        )
        body += part.name + part.data
        directory += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0,
            0x21,
            part.crc,
            len(part.data),
            part.size,
            len(part.name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += part.name
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), len(body), 0
    )
    return bytes(body + directory + end)


def workbook(sheet: Iterable[bytes], *, sheets: bool = True, declared: int | None = None) -> bytes:
    """A minimal workbook whose first sheet's XML is ``sheet``."""
    return _zip(
        [
            _Part("[Content_Types].xml", [CONTENT_TYPES.encode()]),
            _Part("_rels/.rels", [ROOT_RELS.encode()]),
            _Part("xl/workbook.xml", [_workbook_xml(sheets).encode()]),
            _Part("xl/_rels/workbook.xml.rels", [WORKBOOK_RELS.encode()]),
            _Part("xl/worksheets/sheet1.xml", sheet, declared=declared),
        ]
    )


# The hostile files ---------------------------------------------------------


def dimension_attack() -> bytes:
    """About 2 KB: a sheet that declares A1:XFD1048576 and holds its one
    row of data at row 1,048,576, under a header row."""
    xml = (
        _sheet_start("A1:XFD1048576")
        + _header_row()
        + f'<row r="1048576">{_inline("A1048576", "x")}</row>'
        + SHEET_END
    )
    return workbook([xml.encode()])


def dimension_with_rows(rows: int = 5000) -> bytes:
    """The same declared dimension over ``rows`` real rows of data: a file
    that is fine to read, once the dimension is ignored."""

    def chunks() -> Iterable[bytes]:
        yield (_sheet_start("A1:XFD1048576") + _header_row()).encode()
        for number in range(2, rows + 2):
            cells = (
                _inline(f"A{number}", "Mina")
                + _inline(f"B{number}", f"Rahman{number}")
                + _inline(f"C{number}", f"mina{number}@example.org")
            )
            yield f'<row r="{number}">{cells}</row>'.encode()
        yield SHEET_END.encode()

    return workbook(chunks())


def far_cell() -> bytes:
    """A header row and one cell at column XFD: every row read would be
    padded to 16,384 cells."""
    xml = _sheet_start() + _header_row() + f'<row r="2">{_inline("XFD2", "x")}</row>' + SHEET_END
    return workbook([xml.encode()])


def zip_bomb(expanded: int = 256 * 1024 * 1024) -> bytes:
    """A sheet of ``expanded`` bytes (a quarter of a gigabyte of spaces,
    about 250 KB deflated) whose headers say it is 1 KB."""
    start = (_sheet_start() + _header_row()).encode()
    block = b" " * (1024 * 1024)

    def chunks() -> Iterable[bytes]:
        yield start
        for _ in range(expanded // len(block)):
            yield block
        yield SHEET_END.encode()

    return workbook(chunks(), declared=1024)


def no_sheet() -> bytes:
    """A workbook that lists no sheet at all."""
    return workbook([(_sheet_start() + SHEET_END).encode()], sheets=False)


def malformed_sheet() -> bytes:
    """A sheet whose XML stops in the middle of a cell."""
    return workbook([(_sheet_start() + _header_row() + '<row r="2"><c r="A2" t="inl').encode()])


def styled_empty_rows(rows: int = 1_000_000) -> bytes:
    """A header row, then a million formatted empty rows (about 30 MB of
    XML, some tens of kilobytes deflated)."""
    row = b'<row s="1" customFormat="1"/>'

    def chunks() -> Iterable[bytes]:
        yield (_sheet_start() + _header_row()).encode()
        for _ in range(rows // 10_000):
            yield row * 10_000
        yield SHEET_END.encode()

    return workbook(chunks())


def shared_strings_flood(strings: int = 500_000) -> bytes:
    """Half a million tiny shared strings (about 8 MB of XML, some kilobytes
    deflated), all read before the sheet's first row."""
    types = CONTENT_TYPES.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    relationships = WORKBOOK_RELS.replace(
        "</Relationships>",
        f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
    )

    def chunks() -> Iterable[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
        for _ in range(strings // 10_000):
            yield b"<si><t>a</t></si>" * 10_000
        yield b"</sst>"

    return _zip(
        [
            _Part("[Content_Types].xml", [types.encode()]),
            _Part("_rels/.rels", [ROOT_RELS.encode()]),
            _Part("xl/workbook.xml", [_workbook_xml().encode()]),
            _Part("xl/_rels/workbook.xml.rels", [relationships.encode()]),
            _Part("xl/sharedStrings.xml", chunks()),
            _Part("xl/worksheets/sheet1.xml", [(_sheet_start() + SHEET_END).encode()]),
        ]
    )


def utf16_csv() -> bytes:
    """A good CSV file saved as UTF-16 with its byte-order mark, as Excel's
    "Unicode text" does."""
    return (HEADER + ROW.format("I volunteer")).encode("utf-16")


def utf16_csv_without_mark() -> bytes:
    return (HEADER + ROW.format("I volunteer")).encode("utf-16-le")


def long_field_csv(length: int = 131_073) -> bytes:
    """A CSV file with a statement longer than the csv module reads."""
    return (HEADER + ROW.format("x" * length)).encode()


HOSTILE: dict[str, tuple[str, Callable[[], bytes]]] = {
    "dimension attack (2 KB)": ("attack.xlsx", dimension_attack),
    "a cell at column XFD": ("wide.xlsx", far_cell),
    "zip bomb with understated size": ("bomb.xlsx", zip_bomb),
    "half a million shared strings": ("strings.xlsx", shared_strings_flood),
    "workbook with no sheet": ("empty.xlsx", no_sheet),
    "malformed sheet XML": ("broken.xlsx", malformed_sheet),
    "a million styled empty rows": ("styled.xlsx", styled_empty_rows),
    "UTF-16 CSV without its mark": ("utf16.csv", utf16_csv_without_mark),
}
