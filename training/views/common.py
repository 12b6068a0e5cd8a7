"""What every training page shares: roles, page size and the types of
uploaded documents."""

from __future__ import annotations

from peerprog.core.models import Role

LEAD = Role.PROGRAMME_LEAD
FACILITATOR = Role.FACILITATOR
COURSE_STAFF = (LEAD, FACILITATOR)
PAGE_SIZE = 50
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
