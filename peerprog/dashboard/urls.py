from __future__ import annotations

from django.urls import path

from peerprog.dashboard import activity_views, history_views, views

app_name = "dashboard"

urlpatterns = [
    path("reports/", views.programme_dashboard, name="programme"),
    path("reports/funnel/export/", views.funnel_export, name="funnel-export"),
    path("reports/training-programme/", views.training_programme, name="training-programme"),
    path(
        "reports/training-programme/export/",
        views.training_programme_export,
        name="training-programme-export",
    ),
    path(
        "reports/employment-and-retention/",
        views.employment_retention,
        name="employment-retention",
    ),
    path(
        "reports/employment-and-retention/export/",
        views.employment_retention_export,
        name="employment-retention-export",
    ),
    path("reports/equality/", views.equality, name="equality"),
    path("reports/activity/", activity_views.activity_report, name="activity"),
    path("reports/activity/export/", activity_views.activity_export, name="activity-export"),
    # Moving a programme in, and out.
    path("programme/history/", history_views.history, name="history"),
    path(
        "programme/history/template.xlsx",
        history_views.history_template,
        name="history-template",
    ),
    path(
        "programme/history/imports/<int:pk>/",
        history_views.history_preview,
        name="history-preview",
    ),
    path("programme/history/<slug:kind>/", history_views.history_kind, name="history-kind"),
    path(
        "programme/history/<slug:kind>/template.xlsx",
        history_views.history_kind_template,
        name="history-kind-template",
    ),
    path("programme/export.xlsx", history_views.programme_export, name="programme-export"),
]
