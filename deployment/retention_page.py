"""The retention page's tables as rows of text, built in one pass here
rather than cell by cell in the template: a large programme has dozens of
cohorts and services, each a row."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from deployment.retention import RetentionRow

NOT_REACHED = mark_safe('<span class="small text-muted">Not reached yet</span>')


def _milestone(reached: int, retained: int, percent: int | None) -> SafeString:
    if not reached:
        return NOT_REACHED
    return format_html(
        '{}% <span class="small text-muted">({} of {})</span>', percent, retained, reached
    )


def table_row(row: RetentionRow) -> tuple[str, list[str]]:
    """A row of a retention table: its label, then appointed, still in post
    and each milestone, as text."""
    return (
        row.label,
        [
            str(row.appointed),
            str(row.still_in_post),
            *[
                _milestone(reached, retained, percent)
                for _, reached, retained, percent in row.milestones
            ],
        ],
    )
