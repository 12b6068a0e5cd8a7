"""The backends that hold a signed-in session: each reads the user with their
programme in one query, since every signed-in page shows the programme's name
and checks the user's programme."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class _UserWithProgramme:
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("programme").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class PasswordBackend(_UserWithProgramme, ModelBackend):
    """Django's password backend."""


class SingleSignOnBackend(_UserWithProgramme, AuthenticationBackend):
    """allauth's backend, which signs in the staff account that single sign-on matched."""
