"""What every training page shares: roles, page size and rows' links. (The types of
uploaded documents live with the private storage, training/storage.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from peerprog.core.models import Role

LEAD = Role.PROGRAMME_LEAD
FACILITATOR = Role.FACILITATOR
COURSE_STAFF = (LEAD, FACILITATOR)
PAGE_SIZE = 50


def row_links(name: str) -> Callable[[Any], str]:
    """The address of the named page for any row's id, from one reversal:
    a long list reversing its address once per row spends more on that than
    on the rest of the row."""
    before, after = reverse(name, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER), 1)
    return lambda pk: f"{before}{pk}{after}"


_PLACEHOLDER = 987654321
