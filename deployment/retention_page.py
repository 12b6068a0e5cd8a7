"""The retention page's tables as rows of text, built in one pass here
rather than cell by cell in the template: a large programme has dozens of
cohorts and services, each a row."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from deployment.retention import RetentionRow

NOT_REACHED = mark_safe('<span class="small text-muted">Not reached yet</span>')


def _milestone(reached: int, retained: int, percent: int | None) -> SafeString:
    if not reached:
        return NOT_REACHED
    # Whole numbers only, so nothing to escape.
    return mark_safe(  # noqa: S308
        f'{int(percent or 0)}% <span class="small text-muted">({int(retained)} of '
        f"{int(reached)})</span>"
    )


def table_row(row: RetentionRow) -> tuple[str, SafeString]:
    """A row of a retention table: its label, then its cells as HTML in one
    piece: appointed, still in post and each milestone."""
    cells = [
        str(row.appointed),
        str(row.still_in_post),
        *[
            _milestone(reached, retained, percent)
            for _, reached, retained, percent in row.milestones
        ],
    ]
    return row.label, mark_safe("".join([f"<td>{cell}</td>" for cell in cells]))  # noqa: S308
