"""The LXP study's two tables, each declared once as the list of its lines.

A line is one measure: a row of the page's table (a cell per cohort and the
total) and a column of the table's CSV and XLSX export (a row per cohort
and the total). Most lines are both; a few are only on the page (a figure
shown with its rate, say) or only in the export (the rate in a column of
its own, so that a spreadsheet can use it). The figures come from the
selectors' ``TrainingColumn`` and ``EmploymentColumn``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.utils.safestring import SafeData, SafeString, mark_safe

from peerprog.core.exports import Column
from peerprog.dashboard.selectors.study import (
    LEFT,
    PORTFOLIO,
    EmploymentColumn,
    EmploymentTable,
    TrainingColumn,
    TrainingTable,
)
from training.models import NonCompletionReason

Category = NonCompletionReason.Category

# How far a line's heading is indented on the page: a part of the line
# above it, and a reason within that part.
LEVEL_CLASSES = {0: "", 1: "ps-4", 2: "ps-5 fw-normal"}


@dataclass(frozen=True)
class Line:
    """One measure of a study table.

    ``page`` is the heading of its row on the page and ``export`` the
    heading of its column in the export; an empty one leaves the line out
    of that place. ``value`` gives the figure of one cohort (or the total);
    ``shown``, when the page shows more than the bare figure, gives the
    cell as the page shows it.
    """

    page: str
    export: str
    value: Callable[[Any], Any]
    shown: Callable[[Any], Any] | None = None
    level: int = 0


@dataclass(frozen=True)
class Reasons:
    """The page's rows of reasons for not completing, one per reason the
    table counted, in the words the reader may read (the export has the
    study's fixed categories instead)."""

    level: int = 2
    # One reporting group's reasons only ("portfolio" or "left"), or all.
    group: str | None = None


@dataclass(frozen=True)
class PageRow:
    """A row of the page's table: its heading, the heading's indent (CSS
    classes) and a cell per cohort and the total."""

    label: str
    css: str
    cells: list[Any]

    @property
    def cells_html(self) -> SafeString:
        return cells_html(self.cells)


def escape_text(value: Any) -> str:
    """``django.utils.html.escape`` without its check for lazy text on
    every call (the value is made text first): the same characters
    escaped, for tables of a thousand cells."""
    return html.escape(str(value))


def _cell(value: Any) -> str:
    if type(value) is int:
        # As the template shows a number: the site groups no thousands.
        return str(value)
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def cells_html(cells: Iterable[Any]) -> SafeString:
    """A row's cells as HTML in one piece: a table with 50 cohorts has
    hundreds of cells, and the template would look up, format and escape
    each in turn. Numbers are shown as the template shows them, text is
    escaped, HTML already made safe is kept."""
    return mark_safe("".join([f"<td>{_cell(value)}</td>" for value in cells]))  # noqa: S308


def rows_html(rows: Iterable[PageRow], *, before: str = "\n    ", after: str = "\n") -> SafeString:
    """A table's rows in one piece, each with its heading (indented by its
    CSS classes) and cells, as the template's loop drew them (``before`` and
    ``after`` are the white space around each row)."""
    drawn = []
    for row in rows:
        css = f' class="{escape_text(row.css)}"' if row.css else ""
        drawn.append(
            f'{before}<tr><th scope="row"{css}>{escape_text(row.label)}</th>'
            f"{row.cells_html}</tr>{after}"
        )
    # Each heading and its classes are escaped above, the cells by ``cells_html``.
    return mark_safe("".join(drawn))  # noqa: S308


def page_rows(lines: Sequence[Line | Reasons], table: Any) -> list[PageRow]:
    """The page's rows of ``table``: a heading and a cell per cohort and the
    total."""
    columns = table.all_columns
    rows = []
    for line in lines:
        if isinstance(line, Reasons):
            rows.extend(
                PageRow(label, LEVEL_CLASSES[line.level], counts)
                for label, counts in table.reason_rows(line.group)
            )
        elif line.page:
            show = line.shown or line.value
            rows.append(PageRow(line.page, LEVEL_CLASSES[line.level], [show(c) for c in columns]))
    return rows


def export_columns(lines: Iterable[Line | Reasons]) -> list[Column]:
    """The export's columns: the cohort, then each line kept for the export."""
    return [
        Column("Cohort", attrgetter("label")),
        *[
            Column(line.export, line.value)
            for line in lines
            if isinstance(line, Line) and line.export
        ],
    ]


# The training programme ------------------------------------------------------


# The page shows a rate that cannot be worked out (no trainees) as a dash.
NO_RATE = "\N{EN DASH}"


def _percent(column: TrainingColumn) -> str:
    rate = column.completion_rate
    return NO_RATE if rate is None else f"{rate}%"


def _in_categories(*categories: str) -> Callable[[TrainingColumn], int]:
    def count(column: TrainingColumn) -> int:
        return sum(column.categories.get(category, 0) for category in categories)

    return count


MENTORS_AT_ONCE = "Mentors with more than one trainee at once (in one cohort)"
MENTORS_OVERALL = "Mentors with more than one trainee over all cohorts"

TRAINING_LINES: list[Line | Reasons] = [
    Line("Applications to training", "Applications", attrgetter("applications")),
    Line("Attended training (trainees)", "Attended training", attrgetter("attended")),
    Line("Completed (portfolio passed)", "Completed", attrgetter("completed")),
    Line("Completion rate", "Completion rate (%)", attrgetter("completion_rate"), _percent),
    Line("Still on the course", "Still on the course", attrgetter("active")),
    Line("Did not complete", "Did not complete", attrgetter("not_completed")),
    Line(
        "Portfolio incomplete or not submitted",
        "Portfolio incomplete or not submitted",
        attrgetter("portfolio_not_completed"),
        level=1,
    ),
    Line("", "Portfolio incomplete", _in_categories(Category.PORTFOLIO_INCOMPLETE)),
    Line("", "Portfolio not submitted", _in_categories(Category.PORTFOLIO_NOT_SUBMITTED)),
    Reasons(group=PORTFOLIO),
    Line("Left the programme", "Left the programme", attrgetter("left"), level=1),
    Line("", "Left: paid employment elsewhere", _in_categories(Category.LEFT_PAID_EMPLOYMENT)),
    Line("", "Left: further study", _in_categories(Category.LEFT_FURTHER_STUDY)),
    Line("", "Left: other volunteering", _in_categories(Category.LEFT_OTHER_VOLUNTEERING)),
    # Counted together whoever downloads the file, as the study reported them.
    Line(
        "",
        "Left: health issues or personal factors",
        _in_categories(Category.LEFT_HEALTH, Category.LEFT_PERSONAL),
    ),
    Reasons(group=LEFT),
    Line("Mentors", "Mentors", attrgetter("mentors")),
    Line(
        MENTORS_AT_ONCE,
        MENTORS_AT_ONCE,
        attrgetter("mentors_with_several"),
        level=1,
    ),
    Line(
        MENTORS_OVERALL,
        MENTORS_OVERALL,
        attrgetter("mentors_with_several_overall"),
        level=1,
    ),
]


def training_rows(table: TrainingTable) -> list[PageRow]:
    return page_rows(TRAINING_LINES, table)


# Employment and retention ----------------------------------------------------


# The figures below are whole numbers (``int`` keeps them so), drawn without
# ``format_html``'s escaping of each: the page has two such cells a cohort.
NOT_REACHED = mark_safe('<span class="text-muted">Not reached yet</span>')


def _employed(column: EmploymentColumn) -> SafeString:
    employed = int(column.employed)
    rate = column.employment_rate
    if rate is None:
        return mark_safe(str(employed))  # noqa: S308
    return mark_safe(  # noqa: S308
        f'{employed} <span class="text-muted">({int(rate)}% of eligible)</span>'
    )


def _retained(column: EmploymentColumn) -> SafeString:
    if not column.reached_24:
        return NOT_REACHED
    rate = column.retention_rate_24
    assert rate is not None
    return mark_safe(  # noqa: S308
        f"{int(column.retained_24)} of {int(column.reached_24)} "
        f'<span class="text-muted">({int(rate)}%)</span>'
    )


EMPLOYMENT_LINES: list[Line | Reasons] = [
    Line("Eligible for paid posts", "Eligible", attrgetter("eligible")),
    Line("Employed", "Employed", attrgetter("employed"), _employed),
    Line("", "Employed (% of eligible)", attrgetter("employment_rate")),
    Line("Lead LXP", "Lead LXP", attrgetter("lead_lxp"), level=1),
    Line("LXP", "LXP", attrgetter("lxp"), level=1),
    Line("Part-time", "Part-time", attrgetter("part_time"), level=1),
    Line("Full-time", "Full-time", attrgetter("full_time"), level=1),
    Line("Services", "Services", attrgetter("services"), level=1),
    Line("Still in post today", "Still in post", attrgetter("still_in_post")),
    Line("", "In post for 24 months or more", attrgetter("reached_24")),
    Line("In post at 24 months", "In post at 24 months", attrgetter("retained_24"), _retained),
    Line("", "In post at 24 months (%)", attrgetter("retention_rate_24")),
]


def employment_rows(table: EmploymentTable) -> list[PageRow]:
    return page_rows(EMPLOYMENT_LINES, table)
