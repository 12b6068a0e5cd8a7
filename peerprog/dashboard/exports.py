"""The reports as CSV and XLSX: one row per cohort and a total row, with the
same numbers as the pages. Only counts, never names; reasons that reveal
health are counted as the study reported them, "health issues or personal
factors" together, whoever downloads them.

The filters travel in the query string, as on the pages; a cohort or
service of another programme is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from peerprog.core.models import User
from peerprog.dashboard import selectors
from peerprog.dashboard.selectors.study import EmploymentColumn, TrainingColumn
from training.models import NonCompletionReason

Category = NonCompletionReason.Category


@dataclass(frozen=True)
class Report:
    """One downloadable report: its key, title, headers and row builder."""

    key: str
    title: str
    filename: str
    headers: Sequence[str]
    rows: Callable[[User, Mapping[str, str]], Iterable[Sequence[Any]]]


def scope_from(user: User, params: Mapping[str, Any]) -> selectors.ReportScope:
    from peerprog.dashboard.forms import ReportFilterForm

    query = params if isinstance(params, QueryDict) else QueryDict(mutable=True)
    if not isinstance(params, QueryDict):
        for name, value in params.items():
            values = value if isinstance(value, list | tuple) else str(value).split(",")
            query.setlist(name, [str(v) for v in values if str(v)])
    return ReportFilterForm(query, user=user).scope()


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


def training_rows(user: User, params: Mapping[str, Any]) -> Iterable[list[Any]]:
    table = selectors.training_table(scope_from(user, params))
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


def employment_rows(user: User, params: Mapping[str, Any]) -> Iterable[list[Any]]:
    table = selectors.employment_table(scope_from(user, params))
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


def funnel_rows(user: User, params: Mapping[str, Any]) -> Iterable[list[Any]]:
    dashboard = selectors.programme_dashboard(scope_from(user, params))
    return [
        [funnel.label, *[step.count for step in funnel.steps]]
        for funnel in [*dashboard.funnels, dashboard.total_funnel]
    ]


REPORTS: dict[str, Report] = {
    report.key: report
    for report in (
        Report(
            "dashboard.training-programme",
            "Training programme",
            "training-programme",
            TRAINING_HEADERS,
            training_rows,
        ),
        Report(
            "dashboard.employment-retention",
            "Employment and retention",
            "employment-and-retention",
            EMPLOYMENT_HEADERS,
            employment_rows,
        ),
        Report(
            "dashboard.funnel", "Programme funnel", "programme-funnel", FUNNEL_HEADERS, funnel_rows
        ),
    )
}


def register_all() -> None:
    """Nothing to register with the kernel yet: the views serve the files."""
