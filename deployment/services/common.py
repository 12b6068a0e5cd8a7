"""What deployment's services share: its refusal, and the kernel's helpers
to set values and clean a record, refusing with ``DeploymentError``."""

from __future__ import annotations

from typing import Any

from peerprog.core import services as kernel
from peerprog.core.services import DomainError, apply

__all__ = ["DeploymentError", "apply", "clean_or_refuse"]


class DeploymentError(DomainError):
    """A refused deployment action, with a message for the person who tried it."""


def clean_or_refuse(*, instance: Any) -> None:
    """``full_clean`` that turns validation errors into one refusal message."""
    kernel.clean_or_refuse(instance=instance, error=DeploymentError)
