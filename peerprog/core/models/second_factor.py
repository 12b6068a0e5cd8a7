"""The record of an administrator resetting someone's second factor.

The devices themselves (authenticator apps, recovery codes) are django-otp's
models. A reset is kept as a row of its own with its history, so that the
audit trail shows who reset whose second factor, and when.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from peerprog.core.history import History
from peerprog.core.models.organisation import Programme
from peerprog.core.models.users import User


class SecondFactorReset(models.Model):
    """One reset: ``user`` lost their authenticator app and recovery codes,
    ``by`` (an administrator of their programme, or a system administrator)
    removed them so that the user sets up a new one at their next sign-in."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_resets")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Second factor of {self.user} reset by {self.by}"
