"""The second factor: whether this session has passed it, and how.

A session that has passed the second factor carries ``SESSION_KEY`` with the
way it was passed: "totp" (a code from an authenticator app), "recovery" (a
one-time recovery code) or "provider" (the single sign-on provider enforces
its own second factor).
"""

from __future__ import annotations

from django.http import HttpRequest

SESSION_KEY = "peerprog_second_factor"


def mark_passed(request: HttpRequest, *, how: str) -> None:
    """Record that this session has passed the second factor, and how."""
    request.session[SESSION_KEY] = how
