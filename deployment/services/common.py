"""What deployment's services share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from peerprog.core.services import DomainError


class DeploymentError(DomainError):
    """A refused deployment action, with a message for the person who tried it."""


def apply(instance: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(instance, name, value)


def clean_or_refuse(instance: Any) -> None:
    """``full_clean`` that turns validation errors into one refusal message."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise DeploymentError(" ".join(_messages(error))) from error


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)
