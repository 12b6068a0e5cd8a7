from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerprog.core import navigation as nav
from peerprog.core.models import Notification


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's navigation entries and unread notification count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_entries": nav.entries_for(user),
        "unread_notifications": Notification.objects.filter(recipient=user, read_at=None).count(),
    }
