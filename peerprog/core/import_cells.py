"""Reading the cells and headers of an imported file, the same way for every
app's resource: text, e-mail addresses, dates as people write them, a choice
by its label, yes or no, and column names as people write them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from import_export import widgets

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


def canonical(header: str, *, columns: dict[str, str], aliases: dict[str, str]) -> str:
    """The resource's column name for a header as someone wrote it, or the
    header. ``columns`` maps attributes to column names; ``aliases`` maps
    other words people use (lower case) to attributes."""
    key = " ".join(str(header).replace("_", " ").split()).lower()
    for attribute, name in columns.items():
        if key in (name.lower(), attribute.replace("_", " ")):
            return name
    if key in aliases:
        return columns[aliases[key]]
    return str(header).strip()


class TextWidget(widgets.Widget):
    def __init__(self, max_length: int = 200) -> None:
        super().__init__()
        self.max_length = max_length

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        if len(text) > self.max_length:
            raise ValueError(f"This is longer than {self.max_length} characters.")
        return text

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class EmailWidget(TextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        text = super().clean(value, row, **kwargs)
        if text is None:
            return None
        try:
            validate_email(text)
        except ValidationError:
            raise ValueError(f"“{text}” is not an e-mail address.") from None
        return text.lower()


class FlexibleDateWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(f"“{text}” is not a date we can read. Write it like 21/03/1990.")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.strftime("%d/%m/%Y") if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice by its label or its stored value, ignoring case."""

    def __init__(self, choices: list[tuple[str, str]], what: str) -> None:
        super().__init__()
        self.choices = choices
        self.what = what

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        text = "" if value is None else " ".join(str(value).split())
        if not text:
            return None
        for stored, label in self.choices:
            if text.lower() in (stored.lower(), str(label).lower(), stored.replace("_", " ")):
                return stored
        usable = ", ".join(str(label) for _, label in self.choices)
        raise ValueError(f"“{text}” is not a {self.what} we know. Use one of: {usable}.")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return dict(self.choices).get(value, value or "")


class YesNoWidget(widgets.Widget):
    YES = {"yes", "y", "true", "1", "agreed"}
    NO = {"no", "n", "false", "0"}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool | None:
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(f"“{value}” should be yes or no.")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else ("Yes" if value else "No")
