"""The retention page's charts as data for Chart.js (``peerprog.core.charts``),
drawn in the same style as the dashboard's. Each chart has a text
description for screen readers; the page also gives the same figures as a
table beside it."""

from __future__ import annotations

from typing import Any

from deployment.retention import MILESTONES, SurvivalCurve
from peerprog.core.charts import Chart

TREND_SERIES = (
    ("in_post", "In post"),
    ("appointed", "Appointed so far"),
    ("leavers", "Left in the month"),
)


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


def survival_chart(curve: SurvivalCurve, *, key: str, title: str) -> Chart:
    """A step chart of the share still in post by months since their start."""
    points = [{"x": 0, "y": 100}]
    for step in curve.steps[1:]:
        points.append({"x": round(step.months, 1), "y": round(100 * step.survival, 1)})
    longest = max([step.months for step in curve.steps] + list(curve.censored_months) + [0.0])
    points.append({"x": round(longest, 1), "y": round(100 * curve.survival_at(longest), 1)})
    return Chart(
        key=key,
        kind="curve",
        title=title,
        description=f"Step chart of the share still in post. {describe(curve)}",
        data={
            "datasets": [{"label": "Still in post", "data": points}],
            "xTitle": "Months since first day in post",
            "yTitle": "%",
        },
    )


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


def trend_chart(months: list[Any], *, title: str) -> Chart:
    """A line chart of the monthly snapshots (``months``:
    ``deployment.selectors.TrendMonth``, oldest first)."""
    return Chart(
        key="retention-trend",
        kind="line",
        title=title,
        description=f"Line chart. {describe_trend(months)}",
        data={
            "labels": [f"{m.month:%b %Y}" for m in months],
            "datasets": [
                {"label": label, "data": [getattr(m, figure) for m in months]}
                for figure, label in TREND_SERIES
            ],
            "yTitle": "People",
        },
    )
