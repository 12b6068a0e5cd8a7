"""Reminders in the Django admin: what was raised, for whom, and its
e-mail. Whether the e-mail was delivered, and "try again" for one that
failed, are on the outbox's page. Reminders are raised by rules, never by
hand."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from peerprog.core.reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_type", "object_id", "period", "by_email", "email_state"]
    list_filter = ["by_email", "kind", "email__state"]
    list_select_related = ["email"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="E-mail")
    def email_state(self, obj: Reminder) -> str:
        if obj.email is None:
            return "None" if not obj.by_email else "No longer kept"
        return obj.email.get_state_display()
