"""Retention curves drawn on the server as SVG: no scripts, no CDN, nothing
inline that the Content-Security-Policy would block (presentation attributes
only). Each chart has a title and a text description for screen readers;
the page also gives the same figures as a table."""

from __future__ import annotations

import math
from itertools import count
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from deployment.retention import MILESTONES, SurvivalCurve

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 48
LINE = "#005eb8"
INK = "#0b0c0c"
GRID = "#b1b4b6"

_ids = count(1)


def _x(months: float, span: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * months / span


def _y(survival: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - survival)


def describe(curve: SurvivalCurve) -> str:
    """The chart in words."""
    if not curve.people:
        return "Nobody from this cohort has started in post yet."
    parts = [
        f"{curve.people} peer worker{'s' if curve.people != 1 else ''} started in post; "
        f"{curve.leavers} left."
    ]
    for months in MILESTONES:
        parts.append(f"At {months} months: {round(100 * curve.survival_at(months))}% in post.")
    return " ".join(parts)


def survival_svg(curve: SurvivalCurve, *, title: str) -> SafeString:
    """A step chart of the share still in post by months since their start."""
    number = next(_ids)
    longest = max([step.months for step in curve.steps] + list(curve.censored_months) + [0.0])
    span = float(max(36, math.ceil(longest / 6) * 6))
    pieces = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="retention-chart" role="img" '
        f'aria-labelledby="chart-{number}-title chart-{number}-desc">',
        f'<title id="chart-{number}-title">Retention curve: {escape(title)}</title>',
        f'<desc id="chart-{number}-desc">{escape(describe(curve))}</desc>',
    ]
    for percent in (0, 25, 50, 75, 100):
        y = _y(percent / 100)
        pieces.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{percent}%</text>'
        )
    months = 0
    while months <= span:
        x = _x(months, span)
        pieces.append(
            f'<line x1="{x:.1f}" y1="{HEIGHT - BOTTOM}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM + 5}" '
            f'stroke="{INK}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" '
            f'fill="{INK}">{months}</text>'
        )
        months += 6
    pieces.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" '
        f'font-size="12" fill="{INK}">Months since first day in post</text>'
    )
    if curve.people:
        path = [f"M{_x(0, span):.1f},{_y(1):.1f}"]
        for step in curve.steps[1:]:
            path.append(f"H{_x(step.months, span):.1f}V{_y(step.survival):.1f}")
        path.append(f"H{_x(longest, span):.1f}")
        pieces.append(f'<path d="{"".join(path)}" fill="none" stroke="{LINE}" stroke-width="3"/>')
        for months_censored in curve.censored_months:
            x = _x(months_censored, span)
            y = _y(curve.survival_at(months_censored))
            pieces.append(
                f'<line x1="{x:.1f}" y1="{y - 6:.1f}" x2="{x:.1f}" y2="{y + 6:.1f}" '
                f'stroke="{INK}" stroke-width="2"/>'
            )
    pieces.append(
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="{INK}"/>'
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{INK}"/>'
    )
    pieces.append("</svg>")
    return mark_safe("".join(pieces))  # noqa: S308 - every text part is escaped above


# The month-by-month trend from the retention snapshots ----------------------

# Each line differs by its dash pattern and its marker as well as its colour,
# so the chart reads without colour too.
TREND_SERIES = (
    # (figure, label, colour, dash pattern, stroke width)
    ("in_post", "In post", LINE, "", 3),
    ("appointed", "Appointed so far", INK, "8 5", 2),
    ("leavers", "Left in the month", "#d4351c", "2 4", 2),
)


def _nice_top(value: int) -> tuple[int, int]:
    """The top of the scale and the step between its lines: at most five
    steps of 1, 2 or 5 times a power of ten."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if value <= step * factor * 5:
                return max(step * factor, step * factor * math.ceil(value / (step * factor))), (
                    step * factor
                )
        step *= 10


def describe_trend(months: list[Any]) -> str:
    """The trend in words."""
    if not months:
        return "No monthly snapshots have been taken yet."
    first, last = months[0], months[-1]
    leavers = sum(m.leavers for m in months)
    return (
        f"Month by month from {first.month:%B %Y} to {last.month:%B %Y}. "
        f"At the end of {first.month:%B %Y}: {first.in_post} in post of {first.appointed} "
        f"appointed. At the end of {last.month:%B %Y}: {last.in_post} in post of "
        f"{last.appointed} appointed. {leavers} left over these months."
    )


def trend_svg(months: list[Any], *, title: str) -> SafeString:
    """A line chart of the people in post, appointed so far and leaving in
    each month (``months``: ``deployment.selectors.TrendMonth``, oldest
    first)."""
    number = next(_ids)
    top, step = _nice_top(max([1] + [getattr(m, f) for m in months for f, *_ in TREND_SERIES]))
    span = max(len(months) - 1, 1)

    def x(index: int) -> float:
        if len(months) == 1:
            return (LEFT + WIDTH - RIGHT) / 2
        return LEFT + (WIDTH - LEFT - RIGHT) * index / span

    def y(value: int) -> float:
        return TOP + 24 + (HEIGHT - TOP - 24 - BOTTOM) * (1 - value / top)

    pieces = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="retention-chart" role="img" '
        f'aria-labelledby="chart-{number}-title chart-{number}-desc">',
        f'<title id="chart-{number}-title">{escape(title)}</title>',
        f'<desc id="chart-{number}-desc">{escape(describe_trend(months))}</desc>',
    ]
    for value in range(0, top + 1, step):
        level = y(value)
        pieces.append(
            f'<line x1="{LEFT}" y1="{level:.1f}" x2="{WIDTH - RIGHT}" y2="{level:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{level + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{value}</text>'
        )
    every = max(1, math.ceil(len(months) / 8))
    for index, month in enumerate(months):
        if index % every and index != len(months) - 1:
            continue
        if index != len(months) - 1 and len(months) - 1 - index < every:
            continue
        pieces.append(
            f'<line x1="{x(index):.1f}" y1="{HEIGHT - BOTTOM}" x2="{x(index):.1f}" '
            f'y2="{HEIGHT - BOTTOM + 5}" stroke="{INK}" stroke-width="1"/>'
            f'<text x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="12" fill="{INK}">{month.month:%b %Y}</text>'
        )
    pieces.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" '
        f'font-size="12" fill="{INK}">Month (figures at its last day)</text>'
    )
    legend_x = LEFT + 8
    for figure, label, colour, dashes, width in TREND_SERIES:
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        pieces.append(
            f'<line x1="{legend_x}" y1="{TOP + 6}" x2="{legend_x + 28}" y2="{TOP + 6}" '
            f'stroke="{colour}" stroke-width="{width}"{dash}/>'
            f'<text x="{legend_x + 34}" y="{TOP + 10}" font-size="12" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        legend_x += 34 + 8 * len(label) + 24
        if not months:
            continue
        points = " ".join(f"{x(i):.1f},{y(getattr(m, figure)):.1f}" for i, m in enumerate(months))
        pieces.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="{width}"{dash}/>'
        )
        if len(months) <= 36:
            for i, m in enumerate(months):
                pieces.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(getattr(m, figure)):.1f}" r="3" '
                    f'fill="{colour}"/>'
                )
    pieces.append(
        f'<line x1="{LEFT}" y1="{TOP + 24}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="{INK}"/>'
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{INK}"/>'
    )
    pieces.append("</svg>")
    return mark_safe("".join(pieces))  # noqa: S308 - every text part is escaped above
