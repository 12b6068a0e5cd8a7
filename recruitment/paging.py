"""Paging the application list a cohort at a time.

The list is in cohort order (newest first), then by name. Sorting every
application of the programme to show fifty of them costs more than the
page; instead one grouped query counts the (filtered) applications of each
cohort, which gives the total and tells which cohorts a page falls in, and
the page reads only those cohorts' applications. Two queries, as Django's
``Paginator`` takes, whatever the number of applications.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet

from peerprog.core.kept_queries import count_of, kept_statement
from recruitment.models import Cohort


class CohortPaginator(Paginator):
    """A ``Paginator`` over a queryset of applications ordered by cohort
    (newest training start first, then name) and by name within a cohort.
    With ``fields``, a page's applications are read as plain values of
    those fields; the counts are taken from the queryset as given, without
    the joins the fields need."""

    def __init__(
        self,
        *args: Any,
        fields: tuple[str, ...] = (),
        cohorts: list[int] | None = None,
        by_cohort: bool = False,
        key: Hashable | None = None,
        counts: dict[int, int] | None = None,
        **kwargs: Any,
    ) -> None:
        """``cohorts``: the ids of the cohorts in list order, when the page
        has read them already (the counts are then grouped by cohort id
        alone, and put in that order). ``by_cohort``: count each of those
        cohorts' applications from the index on the cohort, which suits
        filters the index serves (none, a stage, a cohort) but not a
        search of names, which joins every person. ``key``: every value the
        queryset depends on (the programme, the filters applied); with it,
        on PostgreSQL, the SQL of the counts and of a page's rows (with
        ``fields``) is built once for the key and run live each time.
        ``counts``: each of those cohorts' applications, when the page has
        counted them already (none left out but cohorts with none)."""
        super().__init__(*args, **kwargs)
        self.counts = counts
        self.fields = fields
        self.cohorts = cohorts
        self.by_cohort = by_cohort
        self.key = key

    def _rows(
        self, name: str, extra: Hashable, build: Callable[[], QuerySet]
    ) -> list[tuple[Any, ...]]:
        """The rows of the ``values_list`` query ``build`` returns, its SQL
        kept under the paginator's key and ``extra`` when there is a key
        (PostgreSQL only: its driver returns the values as the ORM would);
        the query is then built only the first time."""
        if self.key is None or connection.vendor != "postgresql":
            return [tuple(row) for row in build()]
        try:
            sql, params = kept_statement(
                name, (self.key, extra), lambda: build().query.sql_with_params()
            )
        except EmptyResultSet:
            return []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _counts_grouped(self) -> dict[int, int]:
        """The applications counted in one grouped scan of them all."""
        return dict(
            self._rows(
                "application_counts",
                tuple(self.cohorts or ()),
                lambda: (
                    self.object_list.order_by().values_list("cohort_id").annotate(n=Count("pk"))
                ),
            )
        )

    def _counts_by_cohort(self) -> dict[int, int]:
        """Each listed cohort's applications counted apart: one query, whose
        counts PostgreSQL takes from the index on the cohort alone
        (``count_of``). A cohort added since the list was read has a
        higher id, and is counted too. Cohorts with none are left out, as
        from the grouped count."""
        cohorts = tuple(self.cohorts or ())

        def build() -> QuerySet:
            counted = count_of(self.object_list.filter(cohort_id=OuterRef("pk")))
            return (
                Cohort.objects.filter(Q(pk__in=cohorts) | Q(pk__gt=max(cohorts, default=0)))
                .order_by()
                .values_list("pk", counted)
            )

        rows = self._rows("application_counts_by_cohort", cohorts, build)
        return {pk: n for pk, n in rows if n}

    @cached_property
    def cohort_counts(self) -> list[tuple[int, int]]:
        """Each cohort with its number of applications, in list order."""
        if self.cohorts is not None:
            if self.counts is not None:
                counts = dict(self.counts)
            elif self.by_cohort:
                counts = self._counts_by_cohort()
            else:
                counts = self._counts_grouped()
            in_order = [(pk, counts.pop(pk)) for pk in self.cohorts if pk in counts]
            # A cohort added since the list was read comes last.
            return in_order + sorted(counts.items())
        rows = (
            self.object_list.order_by()
            .values_list("cohort_id", "cohort__training_start", "cohort__name")
            .annotate(n=Count("pk"))
            .order_by("-cohort__training_start", "cohort__name")
        )
        return [(cohort_id, n) for cohort_id, _, _, n in rows]

    @cached_property
    def count(self) -> int:
        return sum(n for _, n in self.cohort_counts)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        chosen: list[int] = []
        skip = start = 0
        for cohort_id, n in self.cohort_counts:
            if start + n > bottom and start < top:
                if not chosen:
                    skip = bottom - start
                chosen.append(cohort_id)
            start += n
        if self.fields:
            found = self._rows(
                "application_page",
                (tuple(chosen), skip, top - bottom),
                lambda: self.object_list.filter(cohort_id__in=chosen).values_list(*self.fields)[
                    skip : skip + top - bottom
                ],
            )
            return self._get_page(
                [dict(zip(self.fields, row, strict=True)) for row in found], number, self
            )
        rows = self.object_list.filter(cohort_id__in=chosen)[skip : skip + top - bottom]
        return self._get_page(rows, number, self)
