"""The programme's reports: the dashboard, the study's two tables and the
equality-monitoring summary, for programme leads and admins."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from peerprog.core.access import role_required
from peerprog.core.exports import export_response
from peerprog.dashboard import charts, exports, selectors
from peerprog.dashboard.forms import EqualityFilterForm, ReportFilterForm
from peerprog.dashboard.selectors import READERS


def _filters(request: HttpRequest) -> ReportFilterForm:
    return ReportFilterForm(request.GET, user=request.user)  # type: ignore[arg-type]


def _export_query(request: HttpRequest) -> str:
    """The filters as a query string, for the export links."""
    params = request.GET.copy()
    params.pop("format", None)
    return params.urlencode()


@role_required(*READERS)
def programme_dashboard(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    dashboard = selectors.programme_dashboard(form.scope())
    context: dict[str, Any] = {
        "title": "Programme dashboard",
        "form": form,
        "dashboard": dashboard,
        "scope": dashboard.scope,
        "charts": charts.dashboard_charts(dashboard),
        "query": _export_query(request),
    }
    return render(request, "dashboard/programme.html", context)


@role_required(*READERS)
def training_programme(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    scope = form.scope()
    return render(
        request,
        "dashboard/study_training.html",
        {
            "title": "Training programme",
            "form": form,
            "scope": scope,
            "table": selectors.training_table(scope),
            "query": _export_query(request),
        },
    )


@role_required(*READERS)
def employment_retention(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    scope = form.scope()
    return render(
        request,
        "dashboard/study_employment.html",
        {
            "title": "Employment and retention",
            "form": form,
            "scope": scope,
            "table": selectors.employment_table(scope),
            "query": _export_query(request),
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
            "summary": selectors.equality_summary(scope, form.characteristic_value),
        },
    )


def _export(request: HttpRequest, key: str) -> HttpResponse | StreamingHttpResponse:
    report = exports.REPORTS[key]
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    rows = report.rows(request.user, request.GET)  # type: ignore[arg-type]
    return export_response(file_format, report.filename, report.headers, rows)


@role_required(*READERS)
def training_programme_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return _export(request, "dashboard.training-programme")


@role_required(*READERS)
def employment_retention_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return _export(request, "dashboard.employment-retention")


@role_required(*READERS)
def funnel_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return _export(request, "dashboard.funnel")
