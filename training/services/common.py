"""What training's services share."""

from __future__ import annotations

from peerprog.core.services import DomainError


class TrainingError(DomainError):
    """A training action that was refused."""
