"""A row of a history workbook's sheet while it is loaded
(``peerprog.core.workbook``), with readers for its cells, and the values the
export writes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from peerprog.core.import_bulk import Row
from peerprog.core.import_cells import FlexibleDateWidget

if TYPE_CHECKING:
    from peerprog.core.workbook import Sheet


class SheetRow(Row):
    """One row of a sheet while it is loaded, with readers for its cells
    that note a bad value as the row's error and give ``None``."""

    sheet: Sheet

    def header(self, key: str) -> str:
        try:
            return self.sheet.field(key).header
        except KeyError:
            return key

    def raw(self, key: str) -> Any:
        return self.data.get(key, "")

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.data.get(key, "")
        text = " ".join(str(value).split()) if value not in (None, "") else ""
        if not text and required:
            self.error(self.header(key), "This is required.")
        if max_length is not None and len(text) > max_length:
            self.error(self.header(key), f"Write at most {max_length} characters.")
            return text[:max_length]
        return text

    def long_text(self, key: str) -> str:
        value = self.data.get(key, "")
        return "" if value in (None, "") else str(value).strip()

    def email(self, key: str, *, required: bool = False) -> str:
        text = self.text(key, required=required).lower()
        if text and ("@" not in text or " " in text):
            self.error(self.header(key), f"“{text}” is not an e-mail address.")
            return ""
        return text

    def date(self, key: str, *, required: bool = False) -> date | None:
        value = self.data.get(key, "")
        if value in (None, ""):
            if required:
                self.error(self.header(key), "This date is required.")
            return None
        try:
            day = FlexibleDateWidget().clean(value)
        except ValueError as error:
            self.error(self.header(key), str(error))
            return None
        return day

    def decimal(self, key: str, *, required: bool = False) -> Decimal | None:
        value = self.data.get(key, "")
        if value in (None, ""):
            if required:
                self.error(self.header(key), "This number is required.")
            return None
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            self.error(self.header(key), f"“{value}” is not a number.")
            return None

    def whole(self, key: str, *, required: bool = False) -> int | None:
        value = self.data.get(key, "")
        if value in (None, ""):
            if required:
                self.error(self.header(key), "This number is required.")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value() or number < 0:
            self.error(self.header(key), f"“{value}” is not a whole number.")
            return None
        return int(number)

    def yes_no(self, key: str, *, default: bool | None = None) -> bool | None:
        text = self.text(key).lower()
        if not text:
            return default
        if text in ("yes", "y", "true", "1"):
            return True
        if text in ("no", "n", "false", "0"):
            return False
        self.error(self.header(key), f"Write Yes or No, not “{text}”.")
        return None

    def choice(
        self, key: str, choices: Iterable[tuple[Any, str]], *, required: bool = False
    ) -> Any:
        """A choice by its label or its stored value, ignoring case."""
        text = self.text(key, required=required)
        if not text:
            return None
        wanted = text.lower()
        options = list(choices)
        for value, label in options:
            if wanted in (str(value).lower(), str(label).lower()):
                return value
        words = ", ".join(f"“{label}”" for _, label in options)
        self.error(self.header(key), f"“{text}” is not one of {words}.")
        return None


def cell(value: Any) -> Any:
    """A value as the export writes it: dates as dates, choices by label."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value
