"""How reminders write dates and people's names, the same in every app's
rules, so that a reminder's title and e-mail line read alike whichever app
raised it."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django.utils.dateformat import format as date_format


@lru_cache(maxsize=4096)
def reminder_day(value: date) -> str:
    """ "3 March 2026"; cached, as a scan formats the same few dates many times."""
    return date_format(value, "j F Y")


def reminder_name(row: dict[str, Any], prefix: str = "person__") -> str:
    """The person's preferred (or else first) name and last name, from a
    ``values()`` row whose person fields start with ``prefix``."""
    first = row[f"{prefix}preferred_name"] or row[f"{prefix}first_name"]
    return f"{first} {row[f'{prefix}last_name']}".strip()
