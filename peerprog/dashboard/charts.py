"""The numbers behind the dashboard's charts, as plain data for a
``json_script`` block that ``static/js/charts.js`` draws with Chart.js.

Every chart is also on the page as a table with the same numbers, which is
the accessible form: the canvas only carries a short description.
"""

from __future__ import annotations

from peerprog.core.charts import Chart
from peerprog.dashboard.selectors.programme import Dashboard

__all__ = ["Chart", "dashboard_charts", "trend_chart"]


def _funnel_chart(dashboard: Dashboard) -> Chart:
    funnel = dashboard.total_funnel
    labels = [step.label for step in funnel.steps]
    datasets = [
        {"label": f.label, "data": [step.count for step in f.steps]} for f in dashboard.funnels
    ]
    if len(dashboard.funnels) != 1:
        datasets.append({"label": "Total", "data": [step.count for step in funnel.steps]})
    words = ", ".join(f"{step.label.lower()} {step.count}" for step in funnel.steps)
    return Chart(
        key="funnel",
        kind="bar",
        title="From application to employment",
        description=f"Bar chart of the funnel. In total: {words}.",
        data={"labels": labels, "datasets": datasets, "yTitle": "People"},
    )


def _curves_chart(dashboard: Dashboard) -> Chart:
    datasets = []
    for label, curve in dashboard.curves:
        points = [{"x": 0, "y": 100}]
        for step in curve.steps[1:]:
            points.append({"x": round(step.months, 1), "y": round(100 * step.survival, 1)})
        longest = max([step.months for step in curve.steps] + list(curve.censored_months) + [0])
        points.append({"x": round(longest, 1), "y": round(100 * curve.survival_at(longest), 1)})
        datasets.append({"label": label, "data": points})
    return Chart(
        key="retention",
        kind="curve",
        title="Retention curves per cohort",
        description="Step chart of the share of each cohort's peer workers still in post by "
        "months since their first day; the same figures are in the retention table.",
        data={"datasets": datasets, "xTitle": "Months since first day in post", "yTitle": "%"},
    )


def trend_chart(dashboard: Dashboard) -> Chart:
    """The monthly snapshots' chart (reads only ``dashboard.snapshots``)."""
    months = dashboard.snapshots
    return Chart(
        key="trend",
        kind="line",
        title="Peer workers in post each month",
        description="Line chart of the monthly snapshots: peer workers in post, starters and "
        "leavers each month; the same figures are in the table below it.",
        data={
            "labels": [f"{m.month:%b %Y}" for m in months],
            "datasets": [
                {"label": "In post", "data": [m.in_post for m in months]},
                {"label": "Starters", "data": [m.starters for m in months]},
                {"label": "Leavers", "data": [m.leavers for m in months]},
            ],
            "yTitle": "People",
        },
    )


def dashboard_charts(dashboard: Dashboard) -> dict[str, Chart]:
    return {
        "funnel": _funnel_chart(dashboard),
        "retention": _curves_chart(dashboard),
        "trend": trend_chart(dashboard),
    }
