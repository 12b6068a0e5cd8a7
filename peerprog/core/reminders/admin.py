"""Reminders in the Django admin: to see what was sent, what failed, and to
try a failed e-mail again. Reminders are raised by rules, never by hand."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from peerprog.core.reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_type", "object_id", "period", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]
    actions = ["try_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Try the e-mail again")
    def try_again(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> None:
        count = queryset.filter(status=Reminder.Status.FAILED).update(
            status=Reminder.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        messages.success(request, f"{count} reminder(s) will be e-mailed at the next sweep.")
