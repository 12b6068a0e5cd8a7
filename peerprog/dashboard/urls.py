from __future__ import annotations

from django.urls import path

from peerprog.dashboard import views

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
]
