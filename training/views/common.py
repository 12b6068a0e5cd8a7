"""What every training page shares: roles and page size. (The types of
uploaded documents live with the private storage, training/storage.py.)"""

from __future__ import annotations

from peerprog.core.models import Role

LEAD = Role.PROGRAMME_LEAD
FACILITATOR = Role.FACILITATOR
COURSE_STAFF = (LEAD, FACILITATOR)
PAGE_SIZE = 50
