"""The programme's reports: the dashboard, the study's two tables and the
equality-monitoring summary, for programme leads and admins."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from peerprog.core import exports as core_exports
from peerprog.core.access import role_required
from peerprog.dashboard import (
    activity,
    charts,
    exports,
    programme_rows,
    selectors,
    stored_page,
    study_tables,
)
from peerprog.dashboard.forms import EqualityFilterForm, ReportFilterForm
from peerprog.dashboard.selectors import READERS
from peerprog.dashboard.selectors.stored import stored_rows
from peerprog.dashboard.services import dashboard_figures_refresh


def _filters(request: HttpRequest) -> ReportFilterForm:
    return ReportFilterForm(request.GET, user=request.user)  # type: ignore[arg-type]


def _page_query(request: HttpRequest) -> str:
    """The filters as a query string, for links to the other reports."""
    params = request.GET.copy()
    params.pop("format", None)
    return params.urlencode()


@role_required(*READERS)
def programme_dashboard(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    scope = form.scope()
    page = stored_page.stored_page(scope=scope)
    if page is not None:
        return _drawn_dashboard(request, form=form, scope=scope, page=page)
    rows = stored_rows(scope=scope)
    if rows is None and request.user.programme is not None:  # type: ignore[union-attr]
        # First view of a programme (or a cohort) with no figures stored yet.
        dashboard_figures_refresh(
            programme=request.user.programme,  # type: ignore[union-attr]
            draw_page=False,
        )
        rows = stored_rows(scope=scope)
    dashboard = None if rows is None else selectors.stored_dashboard(scope=scope, rows=rows)
    if dashboard is None:
        dashboard = selectors.programme_dashboard(scope=scope)
    totals = activity.dashboard_totals(
        user=request.user,  # type: ignore[arg-type]
        today=dashboard.scope.today,
    )
    mentoring = programme_rows.mentoring_rows(dashboard)
    retention = programme_rows.retention_rows(dashboard)
    context: dict[str, Any] = {
        "title": "Programme dashboard",
        "form": form,
        "dashboard": dashboard,
        "scope": dashboard.scope,
        "charts": charts.dashboard_charts(dashboard),
        "rows": {
            "funnel": programme_rows.funnel_rows(dashboard),
            "reasons_html": study_tables.rows_html(programme_rows.reason_rows(dashboard)),
            "mentoring": mentoring,
            "mentoring_html": programme_rows.divided_rows_html(mentoring),
            "retention": retention,
            "retention_html": programme_rows.divided_rows_html(retention),
            "funnel_heads": programme_rows.heads_html(f.label for f in dashboard.funnels),
            "reason_heads": programme_rows.heads_html(c.label for c in dashboard.training.columns),
            "snapshots_html": programme_rows.snapshot_rows_html(dashboard),
        },
        "activity_totals": totals,
        "activity_rows": programme_rows.activity_rows_html(totals),
        "query": _page_query(request),
        "export_query": exports.export_params(request.GET),
    }
    response = render(request, "dashboard/programme.html", context)
    if rows is not None:
        # The whole programme's page, not drawn since its figures were
        # stored: drawn now from the same figures for the views that follow.
        stored_page.keep_drawn(dashboard=dashboard, rows=rows)
    return response


def _drawn_dashboard(
    request: HttpRequest,
    *,
    form: ReportFilterForm,
    scope: selectors.ReportScope,
    page: stored_page.StoredPage,
) -> HttpResponse:
    """The whole programme's dashboard as drawn at the last refresh."""
    totals = activity.dashboard_totals(
        user=request.user,  # type: ignore[arg-type]
        today=scope.today,
    )
    context: dict[str, Any] = {
        "title": "Programme dashboard",
        "form": form,
        "dashboard": page,
        "scope": scope,
        "charts": page.charts,
        "rows": page.rows,
        "drawn": page.drawn,
        "activity_totals": totals,
        "activity_rows": programme_rows.activity_rows_html(totals),
        "query": _page_query(request),
        "export_query": exports.export_params(request.GET),
    }
    return render(request, "dashboard/programme.html", context)


@role_required(*READERS)
def training_programme(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    scope = form.scope()
    table = selectors.training_table(scope=scope)
    rows = study_tables.training_rows(table)
    return render(
        request,
        "dashboard/study_training.html",
        {
            "title": "Training programme",
            "form": form,
            "scope": scope,
            "table": table,
            "rows": rows,
            "rows_html": study_tables.rows_html(rows),
            "heads": programme_rows.heads_html(column.label for column in table.columns),
            "query": _page_query(request),
            "export_query": exports.export_params(request.GET),
        },
    )


@role_required(*READERS)
def employment_retention(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    scope = form.scope()
    table = selectors.employment_counts(scope=scope)
    rows = study_tables.employment_rows(table)
    return render(
        request,
        "dashboard/study_employment.html",
        {
            "title": "Employment and retention",
            "form": form,
            "scope": scope,
            "table": table,
            "rows": rows,
            "rows_html": study_tables.rows_html(rows),
            "heads": programme_rows.heads_html(column.label for column in table.columns),
            "service_rows_html": study_tables.rows_html(
                (study_tables.PageRow(service, "", counts) for service, counts in table.by_service),
                after="\n  ",
            ),
            "query": _page_query(request),
            "export_query": exports.export_params(request.GET),
        },
    )


@role_required(*READERS)
def equality(request: HttpRequest) -> HttpResponse:
    form = EqualityFilterForm(request.GET, user=request.user)  # type: ignore[arg-type]
    scope = form.scope()
    return render(
        request,
        "dashboard/equality.html",
        {
            "title": "Equality monitoring",
            "form": form,
            "scope": scope,
            "summary": selectors.equality_summary(
                scope=scope, characteristic=form.characteristic_value
            ),
        },
    )


@role_required(*READERS)
def training_programme_export(request: HttpRequest) -> HttpResponseBase:
    return core_exports.serve(request, exports.TRAINING)


@role_required(*READERS)
def employment_retention_export(request: HttpRequest) -> HttpResponseBase:
    return core_exports.serve(request, exports.EMPLOYMENT)


@role_required(*READERS)
def funnel_export(request: HttpRequest) -> HttpResponseBase:
    return core_exports.serve(request, exports.FUNNEL)
