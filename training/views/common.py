"""What every training page shares: roles, page size and rows' links. (The types of
uploaded documents live with the private storage, training/storage.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
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


class CountedPaginator(Paginator):
    """Pages of a list whose rows are costly to find (the at-risk rules):
    the database counts every row in the same query that reads the page,
    ``COUNT(*) OVER ()``, rather than finding the rows twice. Only a page
    past the end needs the count on its own, to fall back to the last."""

    def get_page(self, number: Any) -> Page:
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        queryset: QuerySet = self.object_list
        start = (number - 1) * self.per_page
        rows = list(
            queryset.annotate(counted_in_all=Window(Count("pk")))[start : start + self.per_page]
        )
        if not rows and number > 1:
            return super().get_page(number)
        self.count = rows[0].counted_in_all if rows else 0
        return self._get_page(rows, number, self)
