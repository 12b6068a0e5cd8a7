"""The reports as CSV and XLSX: one row per cohort and a total row, with the
same numbers as the pages. Only counts, never names; reasons that reveal
health are counted as the study reported them, "health issues or personal
factors" together, whoever downloads them.

The filters travel in the query string, as on the pages, with the chosen
cohorts joined by commas (``cohort=3,4``) because the export framework keeps
one value per parameter; a cohort or service of another programme is left
out. Each report is an ``ExportSpec`` of the kernel's export framework,
which checks the role, records the export and writes the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from django.http import QueryDict

from peerprog.core import exports
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import User
from peerprog.dashboard import selectors
from peerprog.dashboard.selectors.study import EmploymentColumn, TrainingColumn
from training.models import NonCompletionReason

Category = NonCompletionReason.Category


TRAINING = "dashboard.training-programme"
EMPLOYMENT = "dashboard.employment-retention"
FUNNEL = "dashboard.funnel"


def _form(user: User, params: Mapping[str, str]) -> Any:
    from peerprog.dashboard.forms import ReportFilterForm

    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, [part for part in str(value).split(",") if part.strip()])
    return ReportFilterForm(query, user=user)


def scope_from(user: User, params: Mapping[str, str]) -> selectors.ReportScope:
    return _form(user, params).scope()


def describe(user: User, params: Mapping[str, str]) -> list[tuple[str, str]]:
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
    """A page's filters as an export link's query string: the chosen
    cohorts joined by commas, nothing empty."""
    params = QueryDict(mutable=True)
    cohorts = [value for value in query.getlist("cohort") if value]
    if cohorts:
        params["cohort"] = ",".join(cohorts)
    for name in ("service", "date_from", "date_to"):
        if query.get(name):
            params[name] = query[name]
    return params.urlencode()


# The training programme ------------------------------------------------------

LEFT_CATEGORIES = [
    ("Left: paid employment elsewhere", (Category.LEFT_PAID_EMPLOYMENT,)),
    ("Left: further study", (Category.LEFT_FURTHER_STUDY,)),
    ("Left: other volunteering", (Category.LEFT_OTHER_VOLUNTEERING,)),
    ("Left: health issues or personal factors", (Category.LEFT_HEALTH, Category.LEFT_PERSONAL)),
]

TRAINING_HEADERS = [
    "Cohort",
    "Applications",
    "Attended training",
    "Completed",
    "Completion rate (%)",
    "Still on the course",
    "Did not complete",
    "Portfolio incomplete",
    "Portfolio not submitted",
    "Left the programme",
    *[label for label, _ in LEFT_CATEGORIES],
    "Mentors",
    "Mentors with more than one trainee",
]


def _training_row(column: TrainingColumn) -> list[Any]:
    return [
        column.label,
        column.applications,
        column.attended,
        column.completed,
        column.completion_rate,
        column.active,
        column.not_completed,
        column.categories.get(Category.PORTFOLIO_INCOMPLETE, 0),
        column.categories.get(Category.PORTFOLIO_NOT_SUBMITTED, 0),
        column.left,
        *[sum(column.categories.get(c, 0) for c in cats) for _, cats in LEFT_CATEGORIES],
        column.mentors,
        column.mentors_with_several,
    ]


def training_rows(user: User, params: Mapping[str, str]) -> Iterable[list[Any]]:
    table = selectors.training_table(scope=scope_from(user, params))
    return [_training_row(column) for column in table.all_columns]


# Employment and retention ----------------------------------------------------

EMPLOYMENT_HEADERS = [
    "Cohort",
    "Eligible",
    "Employed",
    "Employed (% of eligible)",
    "Lead LXP",
    "LXP",
    "Part-time",
    "Full-time",
    "Services",
    "Still in post",
    "In post for 24 months or more",
    "In post at 24 months",
    "In post at 24 months (%)",
]


def _employment_row(column: EmploymentColumn) -> list[Any]:
    return [
        column.label,
        column.eligible,
        column.employed,
        column.employment_rate,
        column.lead_lxp,
        column.lxp,
        column.part_time,
        column.full_time,
        column.services,
        column.still_in_post,
        column.reached_24,
        column.retained_24,
        column.retention_rate_24,
    ]


def employment_rows(user: User, params: Mapping[str, str]) -> Iterable[list[Any]]:
    table = selectors.employment_table(scope=scope_from(user, params))
    return [_employment_row(column) for column in table.all_columns]


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


def funnel_rows(user: User, params: Mapping[str, str]) -> Iterable[list[Any]]:
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
    for key, title, headers, rows in (
        (TRAINING, "Training programme", TRAINING_HEADERS, training_rows),
        (EMPLOYMENT, "Employment and retention", EMPLOYMENT_HEADERS, employment_rows),
        (FUNNEL, "Programme funnel", FUNNEL_HEADERS, funnel_rows),
    ):
        exports.register(
            ExportSpec(
                key=key,
                title=title,
                roles=readers,
                columns=_columns(headers),
                rows=rows,
                describe=describe,
            )
        )
