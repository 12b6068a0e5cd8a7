"""Reader groups used by the declarations: who may read a field."""

from __future__ import annotations

from peerprog.core.models import Role

ALL_STAFF = tuple(str(r) for r in Role)
# Programme staff who work with people's records day to day.
PROGRAMME = (str(Role.PROGRAMME_LEAD), str(Role.HR), str(Role.ADMIN))
# Disability, equality monitoring, adjustment requests, statements.
SENSITIVE = (str(Role.PROGRAMME_LEAD), str(Role.HR))
TRAINING = (str(Role.PROGRAMME_LEAD), str(Role.HR), str(Role.FACILITATOR), str(Role.ASSESSOR))
ASSESSORS = (str(Role.PROGRAMME_LEAD), str(Role.FACILITATOR), str(Role.ASSESSOR))
MENTORING = (str(Role.PROGRAMME_LEAD), str(Role.MENTOR))
SUPERVISING = (str(Role.PROGRAMME_LEAD), str(Role.SUPERVISOR))
EMPLOYMENT = (str(Role.PROGRAMME_LEAD), str(Role.HR))
ADMINS = (str(Role.ADMIN),)
OFFICER = (str(Role.DATA_PROTECTION),)
# The person themselves reads their own records through their own pages.
SELF = "The person themselves"
