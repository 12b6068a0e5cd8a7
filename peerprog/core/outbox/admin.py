"""The outbox in the Django admin: what waits, what was accepted, what
failed, and "try again" for failed e-mails. Bodies are not shown: an admin
needs to know that a message went, not what it said."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from peerprog.core.outbox import services
from peerprog.core.outbox.models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_address", "state", "attempts", "accepted_at"]
    list_filter = ["state", "kind"]
    search_fields = ["to_address", "message_id"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "key",
        "message_id",
        "to_address",
        "recipient_user",
        "recipient_person",
        "subject",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_until",
        "accepted_at",
        "body_purged_at",
    ]
    readonly_fields = fields
    actions = ["try_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Try the e-mail again")
    def try_again(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        count = services.outbox_retry(ids=queryset.values_list("pk", flat=True))
        messages.success(request, f"{count} failed e-mail(s) will be sent again now.")
