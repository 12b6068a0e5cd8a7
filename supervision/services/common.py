"""What supervision's services share: the refusal they raise and model
validation turned into one plain message."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from peerprog.core.services import DomainError


class Refused(DomainError):
    """An action supervision cannot take, in plain words."""


def validated(*, instance: Any, **kwargs: Any) -> None:
    """``full_clean`` with its messages as one plain refusal."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as invalid:
        raise Refused(" ".join(invalid.messages)) from invalid
