"""Who may read and write deployment's records."""

from __future__ import annotations

from peerprog.core.models import Role

READERS = (Role.HR, Role.PROGRAMME_LEAD, Role.ADMIN)
WRITERS = (Role.HR,)
OUTCOME_RECORDERS = (Role.HR, Role.PROGRAMME_LEAD)
