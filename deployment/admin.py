"""Retention snapshots in the Django admin, to read only: a month's figures
are written once by the monthly task (or the backfill command), and re-taken
only as revisions beside the originals when an event is dated into the
month, so nobody adds, changes or deletes them here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from deployment.models import RetentionSnapshot


@admin.register(RetentionSnapshot)
class RetentionSnapshotAdmin(admin.ModelAdmin):
    list_display = [
        "month",
        "programme",
        "cohort",
        "service",
        "appointed",
        "in_post",
        "starters",
        "leavers",
        "absence_days",
        "retained_12",
        "reached_12",
        "taken_at",
        "revision",
        "superseded_at",
    ]
    list_filter = ["programme", "month", "cohort", "service"]
    list_select_related = ["programme", "cohort", "service"]
    date_hierarchy = "month"
    readonly_fields = [f.name for f in RetentionSnapshot._meta.fields]
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
