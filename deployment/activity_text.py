"""The check that keeps patient identifiers out of an activity note.

A note is refused when it holds a valid NHS number (ten digits, with or
without spaces or hyphens between them, whose last digit is the
modulus-11 check digit of the first nine) or a full UK postcode (outward
and inward code). A full date (day, month and year) is not refused, since
it is often about the peer worker's own work, but it could be a patient's
date of birth or appointment, so the person recording is asked to confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Ten digits, each optionally followed by one space or hyphen, not part of
# a longer run of digits (a phone number, say).
_TEN_DIGITS = re.compile(r"(?<!\d)(?<!\d[ -])\d(?:[ -]?\d){9}(?![ -]?\d)")

# A full UK postcode: outward code (area, district) and inward code (sector,
# unit), with or without the space, in any case.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?:GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|"
    r"[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRV-Y])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month_name>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>\d{4}|\d{2})"
_DATE_PATTERNS = (
    # 3/4/2026, 03-04-26, 3.4.2026
    re.compile(r"(?<!\d)(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-]" + _YEAR + r"(?!\d)"),
    # 2026-04-03
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    # 3 April 2026, 3rd of April 2026
    re.compile(
        r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
        + _MONTH
        + r",?\s+"
        + _YEAR
        + r"(?!\d)",
        re.IGNORECASE,
    ),
    # April 3 2026, April 3rd, 2026
    re.compile(
        r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR + r"(?!\d)",
        re.IGNORECASE,
    ),
)


def nhs_number_is_valid(digits: str) -> bool:
    """Whether ten digits form a valid NHS number: the last digit is the
    modulus-11 check digit of the first nine (weights 10 down to 2); a
    check of 11 is 0, and a check of 10 means no valid number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_numbers_in(text: str) -> list[str]:
    found = []
    for match in _TEN_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if nhs_number_is_valid(digits):
            found.append(match.group())
    return found


def postcodes_in(text: str) -> list[str]:
    return [match.group() for match in _POSTCODE.finditer(text)]


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def full_dates_in(text: str) -> list[str]:
    """Day, month and year together that make a real date."""
    found = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = (
                _MONTHS[parts["month_name"].lower()]
                if parts.get("month_name")
                else int(parts["month"])
            )
            try:
                date(_year(parts["year"]), month, int(parts["day"]))
            except ValueError:
                continue
            found.append(match.group())
    return found


@dataclass(frozen=True)
class NoteCheck:
    """What a note holds that may identify a patient."""

    refusal: str
    dates: tuple[str, ...]


def check_note(text: str) -> NoteCheck:
    """The refusal in plain words (empty when there is none) and any full
    dates the note holds."""
    problems = []
    if nhs_numbers_in(text):
        problems.append("an NHS number")
    if postcodes_in(text):
        problems.append("a postcode")
    refusal = ""
    if problems:
        refusal = (
            f"The note holds what looks like {' and '.join(problems)}. Never record anything "
            "that could identify a patient: take it out and save again."
        )
    return NoteCheck(refusal=refusal, dates=tuple(full_dates_in(text)))


def date_question(dates: tuple[str, ...]) -> str:
    return (
        f"The note holds a full date ({', '.join(dates)}). A date of birth or of an "
        "appointment can identify a patient. If the date is not about a patient, tick the box "
        "to confirm and save again; otherwise take it out."
    )
