"""The programme dashboard's tables as rows, each row's cells drawn as HTML
in one piece (``study_tables.cells_html``) rather than cell by cell in the
template: with 50 cohorts the dashboard has over a thousand cells."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe

from peerprog.dashboard.activity import ServiceTotal
from peerprog.dashboard.selectors.programme import Dashboard
from peerprog.dashboard.study_tables import PageRow, cells_html, escape_text

# The indent of a reason under its group, as the dashboard shows it.
REASON_CSS = "ps-4 fw-normal"
NO_RATE = "\N{EN DASH}"
NOT_REACHED = mark_safe('<span class="text-muted">Not reached yet</span>')


def funnel_rows(dashboard: Dashboard) -> list[PageRow]:
    """Each step of the funnel: its cell per cohort and the total."""
    return [
        PageRow(label, "", [step.cell for step in steps]) for label, steps in dashboard.funnel_rows
    ]


def reason_rows(dashboard: Dashboard) -> list[PageRow]:
    """Why trainees did not complete: each group's total, then its reasons."""
    training = dashboard.training
    columns = training.all_columns
    return [
        PageRow(
            "Portfolio incomplete or not submitted",
            "",
            [column.portfolio_not_completed for column in columns],
        ),
        *[PageRow(label, REASON_CSS, counts) for label, counts in training.portfolio_reason_rows],
        PageRow("Left the programme", "", [column.left for column in columns]),
        *[PageRow(label, REASON_CSS, counts) for label, counts in training.leaving_reason_rows],
    ]


def mentoring_rows(dashboard: Dashboard) -> list[PageRow]:
    """Each cohort's (and the total's) mentors and mentor meetings."""
    rows = []
    for row in dashboard.mentoring:
        rate = row.compliance_rate
        cells = [
            row.mentors,
            row.mentors_with_several,
            row.mentors_with_several_overall,
            row.met,
            row.on_track,
            row.behind,
            NO_RATE if rate is None else f"{rate}%",
        ]
        rows.append(PageRow(row.label, "", cells))
    return rows


def _milestone(reached: int, retained: int, rate: Any) -> SafeString | str:
    if not reached:
        return NOT_REACHED
    return f"{retained} of {reached} ({rate}%)"


def retention_rows(dashboard: Dashboard) -> list[PageRow]:
    """Each cohort's (and the total's) employed, still in post and
    milestones."""
    rows = []
    for column in dashboard.employment.all_columns:
        assert column.retention is not None
        cells = [
            column.employed,
            column.still_in_post,
            *[
                _milestone(reached, retained, rate)
                for _, reached, retained, rate in column.retention.milestones
            ],
        ]
        rows.append(PageRow(column.label, "", cells))
    return rows


# The rest of the dashboard's tables drawn in one piece as well: with 50
# cohorts, 60 months and 40 services, drawing each cell in the template
# cost more than the figures.


def heads_html(labels: Iterable[str]) -> SafeString:
    """A column heading per cohort."""
    heads = [f'<th scope="col">{escape_text(label)}</th>' for label in labels]
    # Each label is escaped above.
    return mark_safe("".join(heads))  # noqa: S308


DIVIDED = ' class="table-group-divider"'


def divided_rows_html(rows: list[PageRow]) -> SafeString:
    """Rows with a heading each, the last (the total) set apart."""
    last = len(rows) - 1
    drawn = [
        f'<tr{DIVIDED if index == last else ""}><th scope="row">{escape_text(row.label)}</th>'
        f"{row.cells_html}</tr>"
        for index, row in enumerate(rows)
    ]
    # Each label is escaped above and each row's cells by ``cells_html``.
    return mark_safe("".join(drawn))  # noqa: S308


def snapshot_rows_html(dashboard: Dashboard) -> SafeString:
    """The monthly snapshots' table: a row per month."""
    # "F Y" as ``date_format`` draws it, each month's name looked up once
    # rather than a date formatted per row.
    names = {number: str(name) for number, name in MONTHS.items()}
    drawn = [
        f'<tr><th scope="row">{names[month.month.month]} {month.month.year:04d}</th>'
        + cells_html([month.appointed, month.in_post, month.starters, month.leavers])
        + "</tr>"
        for month in dashboard.snapshots
    ]
    # Month names and the cells (escaped by ``cells_html``) only.
    return mark_safe("".join(drawn))  # noqa: S308


def activity_rows_html(totals: list[ServiceTotal]) -> SafeString:
    """Each service's contacts and hours last month and this month."""
    drawn = [
        f'<tr><th scope="row">{escape_text(row.service)}</th>'
        + cells_html(
            [
                row.last_month.contacts,
                row.last_month.hours,
                row.this_month.contacts,
                row.this_month.hours,
            ]
        )
        + "</tr>"
        for row in totals
    ]
    # Each service's name is escaped above and the cells by ``cells_html``.
    return mark_safe("".join(drawn))  # noqa: S308
