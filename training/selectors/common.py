"""What training's selectors share."""

from __future__ import annotations

from peerprog.core.access import can_read_sensitive
from peerprog.core.models import User


def can_read_health_reasons(*, user: User) -> bool:
    """Reasons that reveal health are for leads and HR only."""
    return can_read_sensitive(user)
