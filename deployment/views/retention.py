"""The retention page: retention per cohort and service from the stored
figures, the survival curves and the month-by-month trend."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from deployment import charts, retention_page, selectors, services
from deployment.filters import RetentionTrendFilter, select_fields
from deployment.models import LeavingReason
from deployment.selectors import StoredRetention
from deployment.views.common import READERS
from peerprog.core.access import role_required


@role_required(*READERS)
def retention(request: HttpRequest) -> HttpResponse:
    trend_filter = RetentionTrendFilter(request.GET or None, programme_id=request.user.programme_id)
    chosen = trend_filter.chosen
    # The figures as last counted, or counted now where none stand.
    cohort_id = chosen["cohort"].pk if chosen["cohort"] else None
    stored = selectors.stored_retention(
        user=request.user, cohort_id=cohort_id
    ) or services.retention_figures_refresh(user=request.user)
    if trend_filter.is_bound or stored.key is None:
        shown = _figures_shown(request, stored=stored, trend_filter=trend_filter)
    else:
        # The page as it opens, drawn once for the figures as stored.
        shown = retention_page.kept_drawn(
            stored.key, lambda: _figures_shown(request, stored=stored, trend_filter=trend_filter)
        )
    return render(
        request,
        "deployment/retention.html",
        {
            "report": stored.report,
            "categories": LeavingReason.Category,
            "trend_filter": trend_filter,
            "as_of": stored.as_of,
            **shown,
        },
    )


def _figures_shown(
    request: HttpRequest, *, stored: StoredRetention, trend_filter: RetentionTrendFilter
) -> dict[str, Any]:
    """The page's tables, charts and trend list from the figures and the
    trend chosen."""
    chosen = trend_filter.chosen
    report = stored.report
    # The page opens on the curve of everyone; a cohort's own curve is
    # drawn when that cohort is chosen (each cohort's figures are in the
    # table), rather than a chart for every cohort of a large programme.
    curves = []
    if report.cohorts:
        curves.append(
            charts.survival_chart(
                report.overall_curve, key="retention-all", title=report.overall.label
            )
        )
    cohort_chosen = chosen["cohort"]
    if cohort_chosen is not None:
        for number, cohort in enumerate(report.cohorts, start=1):
            if cohort.cohort_id == cohort_chosen.pk:
                curves.append(
                    charts.survival_chart(
                        cohort.curve, key=f"retention-{number}", title=cohort.row.label
                    )
                )
    trend = stored.trend
    if any(chosen.values()):
        trend = selectors.retention_trend(user=request.user, **chosen)
    scope = " and ".join(str(value) for value in chosen.values() if value) or "the programme"
    return {
        "charts": curves,
        "charts_html": retention_page.charts_html(curves),
        # The page opens with the lists as stored with the figures.
        "trend_choices": select_fields(
            trend_filter.form, None if trend_filter.is_bound else stored.choices
        ),
        "cohort_rows": retention_page.rows_html([cohort.row for cohort in report.cohorts]),
        "service_rows": retention_page.rows_html(report.services),
        "overall_row": retention_page.rows_html([report.overall]),
        "trend_rows": retention_page.trend_rows_html(trend),
        "trend": trend,
        "trend_scope": scope,
        "trend_chart": charts.trend_chart(trend, title=f"Peer workers month by month: {scope}"),
        "cohort_chosen": cohort_chosen,
    }
