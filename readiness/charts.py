"""The survey's "is this happening here?" answers as a stacked bar chart,
drawn on the server as SVG like the retention curves: presentation
attributes only, a title and description for screen readers, and the page
gives the same figures as a table. Colours differ in lightness as well as
hue, and each answer's share is also written in words in the table."""

from __future__ import annotations

from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from readiness.models import Happening
from readiness.results import ItemResult

WIDTH = 640
LEFT, RIGHT, TOP = 48, 16, 40
BAR, GAP = 18, 6
INK = "#0b0c0c"
COLOURS = {
    Happening.YES: "#00703c",
    Happening.PARTLY: "#85c6a3",
    Happening.NO: "#d4351c",
    Happening.DONT_KNOW: "#b1b4b6",
    Happening.NOT_RELEVANT: "#f3f2f1",
}

_ids = count(1)


def describe(items: list[ItemResult]) -> str:
    shown = [item for item in items if not item.tally.suppressed]
    if not shown:
        return "Fewer than 5 people answered: no figures are shown."
    best = max(shown, key=lambda item: item.tally.percent(Happening.YES) or 0)
    worst = min(shown, key=lambda item: item.tally.percent(Happening.YES) or 0)
    return (
        f"{len(shown)} questions. Most often happening: question {best.question.number} "
        f"({round(best.tally.percent(Happening.YES) or 0)}% yes). Least often: question "
        f"{worst.question.number} ({round(worst.tally.percent(Happening.YES) or 0)}% yes). "
        "The table below gives every figure."
    )


def happening_chart(items: list[ItemResult], *, title: str) -> SafeString:
    """One bar per question, split by the share giving each answer."""
    number = next(_ids)
    plot = WIDTH - LEFT - RIGHT
    height = TOP + len(items) * (BAR + GAP) + 8
    pieces = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="survey-chart" role="img" '
        f'aria-labelledby="survey-chart-{number}-title survey-chart-{number}-desc">',
        f'<title id="survey-chart-{number}-title">Is this happening here? {escape(title)}</title>',
        f'<desc id="survey-chart-{number}-desc">{escape(describe(items))}</desc>',
    ]
    x = LEFT
    for value, label in Happening.choices:
        pieces.append(
            f'<rect x="{x}" y="8" width="12" height="12" fill="{COLOURS[value]}" '
            f'stroke="{INK}" stroke-width="0.5"/>'
            f'<text x="{x + 16}" y="18" font-size="12" fill="{INK}">{escape(label)}</text>'
        )
        x += 24 + 7 * len(label)
    for row, item in enumerate(items):
        y = TOP + row * (BAR + GAP)
        pieces.append(
            f'<text x="{LEFT - 8}" y="{y + BAR - 5}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{item.question.number}</text>'
        )
        if item.tally.suppressed:
            pieces.append(
                f'<text x="{LEFT + 4}" y="{y + BAR - 5}" font-size="12" fill="{INK}">'
                "fewer than 5</text>"
            )
            continue
        start = float(LEFT)
        for value, _label in Happening.choices:
            share = (item.tally.percent(value) or 0) / 100
            if share <= 0:
                continue
            width = plot * share
            pieces.append(
                f'<rect x="{start:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" '
                f'fill="{COLOURS[value]}" stroke="{INK}" stroke-width="0.5"/>'
            )
            start += width
    pieces.append("</svg>")
    return mark_safe("".join(pieces))  # noqa: S308 - every text part is escaped above
