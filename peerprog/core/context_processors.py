from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerprog.core import navigation as nav
from peerprog.core.models import Notification

# The Django admin, for system administrators only: it has no role to check.
SYSTEM_ADMINISTRATION = nav.NavEntry(
    "System administration", "admin:index", roles=(), order=99, group="admin"
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's menu (their entries in the journey's groups) and
    unread notification count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    extra = [SYSTEM_ADMINISTRATION] if getattr(user, "is_system_admin", False) else []
    return {
        "nav_sections": nav.sections_for(user, request.path, extra),
        "unread_notifications": Notification.objects.filter(recipient=user, read_at=None).count(),
    }
