"""The officer's retention and read-log pages, included in the kernel's
URLs (namespace ``core``)."""

from __future__ import annotations

from django.urls import path

from peerprog.core.privacy import datamap_pages, erasure_pages, read_log_views, retention_views

urlpatterns = [
    path("data-protection/data-map/", datamap_pages.data_map, name="data-map"),
    path("data-protection/data-map.csv", datamap_pages.data_map_csv, name="data-map-csv"),
    path("data-protection/erasures/", erasure_pages.erasure_list, name="erasures"),
    path("data-protection/erasures/start/", erasure_pages.erasure_start, name="erasure-start"),
    path("data-protection/erasures/<int:pk>/", erasure_pages.erasure_detail, name="erasure"),
    path(
        "data-protection/erasures/<int:pk>/approve/",
        erasure_pages.erasure_approve,
        name="erasure-approve",
    ),
    path(
        "data-protection/erasures/<int:pk>/refuse/",
        erasure_pages.erasure_refuse,
        name="erasure-refuse",
    ),
    path(
        "data-protection/erasures/<int:pk>/review/<int:mention>/",
        erasure_pages.erasure_mention,
        name="erasure-mention",
    ),
    path("data-protection/read-log/", read_log_views.read_log, name="read-log"),
    path(
        "data-protection/read-log/export/", read_log_views.read_log_export, name="read-log-export"
    ),
    path("data-protection/retention/", retention_views.retention_due, name="retention"),
    path(
        "data-protection/retention/approve/",
        retention_views.retention_approve,
        name="retention-approve",
    ),
    path(
        "data-protection/retention/<int:pk>/hold/",
        retention_views.retention_hold,
        name="retention-hold",
    ),
    path("data-protection/legal-holds/", retention_views.legal_holds, name="legal-holds"),
    path(
        "data-protection/legal-holds/<int:pk>/lift/",
        retention_views.legal_hold_lift,
        name="legal-hold-lift",
    ),
    path(
        "data-protection/retention-schedule/",
        retention_views.retention_rules,
        name="retention-rules",
    ),
    path(
        "data-protection/retention-schedule/<str:kind>/",
        retention_views.retention_rule_edit,
        name="retention-rule-edit",
    ),
]
