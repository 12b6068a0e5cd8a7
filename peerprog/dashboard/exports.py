"""The reports as CSV and XLSX: one row per cohort and a total row, with the
same numbers as the pages. Only counts, never names; reasons that reveal
health are counted as the study reported them, "health issues or personal
factors" together, whoever downloads them.

The filters travel in the query string as on the pages, one ``cohort`` for
each cohort chosen; a cohort or service of another programme is left out.
Each report is an ``ExportSpec`` of the kernel's export framework, which
checks the role, records the export and writes the file. The study's two
tables take their columns from ``study_tables``, as their pages do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from django.http import QueryDict

from peerprog.core import exports
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import User
from peerprog.dashboard import selectors, study_tables
from peerprog.dashboard.forms import ReportFilterForm
from peerprog.dashboard.selectors.study import EmploymentColumn, TrainingColumn

TRAINING = "dashboard.training-programme"
EMPLOYMENT = "dashboard.employment-retention"
FUNNEL = "dashboard.funnel"


def scope_from(user: User, params: QueryDict) -> selectors.ReportScope:
    return ReportFilterForm(params, user=user).scope()


def describe(user: User, params: QueryDict) -> list[tuple[str, str]]:
    """The filters in plain words for the export log."""
    scope = scope_from(user, params)
    words = [("Cohorts", ", ".join(cohort.name for cohort in scope.cohorts) or "None")]
    if scope.service is not None:
        words.append(("Service", scope.service.name))
    if scope.date_from:
        words.append(("Training started on or after", f"{scope.date_from:%-d %B %Y}"))
    if scope.date_to:
        words.append(("Training started on or before", f"{scope.date_to:%-d %B %Y}"))
    return words


def export_params(query: QueryDict) -> str:
    """A page's filters as an export link's query string: every cohort
    chosen, nothing empty."""
    params = QueryDict(mutable=True)
    for name in ("cohort", "service", "date_from", "date_to"):
        values = [value for value in query.getlist(name) if value]
        if values:
            params.setlist(name, values)
    return params.urlencode()


# The study's tables ---------------------------------------------------------


def training_rows(user: User, params: QueryDict) -> Iterable[TrainingColumn]:
    return selectors.training_table(scope=scope_from(user, params)).all_columns


def employment_rows(user: User, params: QueryDict) -> Iterable[EmploymentColumn]:
    return selectors.employment_counts(scope=scope_from(user, params)).all_columns


# The funnel ------------------------------------------------------------------

FUNNEL_HEADERS = [
    "Cohort",
    "Applications",
    "Trainees",
    "Completed",
    "Eligible for posts",
    "Employed",
    "In post at 6 months",
    "In post at 12 months",
    "In post at 24 months",
]


def funnel_rows(user: User, params: QueryDict) -> Iterable[list[Any]]:
    dashboard = selectors.programme_dashboard(scope=scope_from(user, params))
    return [
        [funnel.label, *[step.count for step in funnel.steps]]
        for funnel in [*dashboard.funnels, dashboard.total_funnel]
    ]


def _columns(headers: Sequence[str]) -> list[Column]:
    return [Column(header, itemgetter(index)) for index, header in enumerate(headers)]


def register_all() -> None:
    """Register the reports with the kernel's export framework."""
    readers = selectors.READERS
    reports: list[tuple[str, str, list[Column], Any]] = [
        (
            TRAINING,
            "Training programme",
            study_tables.export_columns(study_tables.TRAINING_LINES),
            training_rows,
        ),
        (
            EMPLOYMENT,
            "Employment and retention",
            study_tables.export_columns(study_tables.EMPLOYMENT_LINES),
            employment_rows,
        ),
        (FUNNEL, "Programme funnel", _columns(FUNNEL_HEADERS), funnel_rows),
    ]
    for key, title, columns, rows in reports:
        exports.register(
            ExportSpec(
                key=key,
                title=title,
                roles=readers,
                columns=columns,
                rows=rows,
                describe=describe,
            )
        )
