"""The retention page's tables as rows of text, built in one pass here
rather than cell by cell in the template: a large programme has dozens of
cohorts and services, each a row."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape, json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from deployment.retention import RetentionRow
from peerprog.core.charts import Chart

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


def rows_html(rows: list[RetentionRow]) -> SafeString:
    """A retention table's rows in one piece (``table_row`` each): a large
    programme has dozens of cohorts and services, and the template would
    loop over every one."""
    drawn = []
    for row in rows:
        label, cells = table_row(row)
        drawn.append(f'<tr><th scope="row">{escape(label)}</th>{cells}</tr>')
    # The labels are escaped here and the cells by ``table_row``.
    return mark_safe("\n".join(drawn))  # noqa: S308


_TREND_ROW = (
    '<tr><th scope="row">{month}{revised}</th><td>{appointed}</td><td>{in_post}</td>'
    "<td>{starters}</td><td>{leavers}</td><td>{absence_days}</td></tr>"
)


def trend_rows_html(months: list[Any]) -> SafeString:
    """The month-by-month table's rows (``deployment.selectors.TrendMonth``,
    oldest first) in one piece, as the template drew them: "March 2026",
    and the day of any revision."""
    drawn = []
    for month in months:
        revised = ""
        if month.revised_at:
            day = date_format(localtime(month.revised_at), "j F Y")
            revised = f' <span class="fw-normal small">(revised on {day})</span>'
        drawn.append(
            _TREND_ROW.format(
                month=date_format(month.month, "F Y"),
                revised=revised,
                appointed=int(month.appointed),
                in_post=int(month.in_post),
                starters=int(month.starters),
                leavers=int(month.leavers),
                absence_days=int(month.absence_days),
            )
        )
    # Dates written by ``date_format`` and whole numbers: nothing to escape.
    return mark_safe("\n".join(drawn))  # noqa: S308


_CHART = (
    '<figure class="report-chart">\n  <figcaption class="h5">{title}</figcaption>\n'
    '  <div class="report-chart-box">\n    <canvas role="img" aria-label="{description}" '
    'data-chart="{data_id}" data-kind="{kind}"><p>{description}</p></canvas>\n  </div>\n'
    "  {data}\n</figure>\n"
)


def charts_html(charts: list[Chart]) -> SafeString:
    """The cohorts' retention curves as ``partials/_chart.html`` draws
    each, from one pattern: a large programme has a chart per cohort, and
    the template would be drawn once for each."""
    drawn = [
        _CHART.format(
            title=escape(chart.title),
            description=escape(chart.description),
            data_id=escape(chart.data_id),
            kind=escape(chart.kind),
            data=json_script(chart.data, chart.data_id),
        )
        for chart in charts
    ]
    # The text is escaped above and the data written as ``json_script`` does.
    return mark_safe("".join(drawn))  # noqa: S308


# The retention page as it opens (no trend chosen), drawn for the figures
# last stored for each programme: the figures change only when counted
# again, under another key.
_drawn: dict[Hashable, tuple[Hashable, dict[str, Any]]] = {}
_drawing = threading.Lock()


def kept_drawn(key: tuple[Any, ...], draw: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What ``draw`` returns for the stored figures of ``key``
    (``StoredRetention.key``, the programme first), drawn again only for
    other figures, another language or another time zone. The result is
    shared between requests: callers must not change it."""
    programme = key[0]
    under = (key, translation.get_language(), timezone.get_current_timezone_name())
    found = _drawn.get(programme)
    if found is not None and found[0] == under:
        return found[1]
    drawn = draw()
    with _drawing:
        _drawn[programme] = (under, drawn)
    return drawn
