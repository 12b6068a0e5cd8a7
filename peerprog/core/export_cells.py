"""Export cells that cannot run as formulas, for CSV and XLSX alike.

Every text cell that a spreadsheet would read as a formula (starting with
``=``, ``+``, ``-``, ``@``, or with whitespace or a control character that
could hide one) is neutralised with a leading apostrophe, after the
characters an XLSX file may not hold are removed: tablib escapes only
``=`` and only in XLSX, so django-import-export's own export is not used
for writing. These functions run once per cell of every export, so they
are written for speed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A text cell is suspect when it starts with a formula character, or with
# whitespace, a control character or an invisible formatting character that
# a spreadsheet may skip before it finds one.
SUSPECT_START = re.compile(
    r"[=+\-@\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]"
)
# Characters XML (and so an XLSX file) cannot hold: the control characters
# other than tab, line feed and carriage return, and the two non-characters.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe_text(text: str) -> str:
    """Text with the characters an XLSX file cannot hold removed and, when
    it could start a formula, an apostrophe in front."""
    # Control characters first: they carry no meaning, make an XLSX file
    # unreadable, and would otherwise hide a formula from the check below
    # ("\x01=HYPERLINK(...)" becomes "=HYPERLINK(...)" once they are gone).
    # (Printable text holds none of them, and is quicker to tell.)
    if not text.isprintable():
        text = ILLEGAL.sub("", text)
    return "'" + text if SUSPECT_START.match(text) else text


def local_stamp(value: datetime, zone: tzinfo | None = None) -> str:
    """A moment as local date and time text, to the minute."""
    if value.tzinfo:
        value = value.astimezone(zone or timezone.get_current_timezone())
    return value.strftime("%Y-%m-%d %H:%M")


def safe_cell(value: Any, zone: tzinfo | None = None) -> Any:
    """The value as a cell that cannot run as a formula, in CSV and XLSX
    alike: control characters removed, then text starting with ``=``,
    ``+``, ``-``, ``@`` or with any whitespace or invisible character
    neutralised with a leading apostrophe. Numbers and dates stay numbers
    and dates; a moment becomes local date and time text; yes or no for a
    boolean; nothing for ``None``."""
    kind = type(value)
    if kind is str:
        # Most cells are text: checked first.
        return safe_text(value) if value else value
    if value is None:
        return ""
    if kind is bool:
        return "Yes" if value else "No"
    if kind is int or kind is date or kind is float or kind is Decimal:
        return value
    if isinstance(value, datetime):
        return local_stamp(value, zone)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date | int | float | Decimal):
        return value
    return safe_text(str(value))


def text_cell(value: Any, zone: tzinfo | None = None) -> str:
    """The value as safe CSV text: dates as 2026-03-03."""
    if type(value) is str:
        return safe_text(value) if value else value
    cell = safe_cell(value, zone)
    if type(cell) is str:
        return cell
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)
