"""Who reads recruitment: leads, HR and admins; some reads are the lead's
alone."""

from __future__ import annotations

from peerprog.core.models import Role

READERS = (Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN)
LEAD = (Role.PROGRAMME_LEAD,)
