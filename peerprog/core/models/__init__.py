"""The kernel's models: programmes, organisations, services, staff users and
the person record that every app shares.

Special-category facts about a person (disability, equality monitoring,
reasonable adjustments) live in their own models so that a page can show a
person without ever loading them, and so that only HR and programme leads
reach them.

Each group of models lives in its own module of this package; reminders,
the outbox and export records live beside the code that uses them. All are imported here so
that Django finds them and ``from peerprog.core.models import X`` keeps
working.
"""

from __future__ import annotations

from peerprog.core.export_records import ExportRecord
from peerprog.core.models.calendar import CalendarFeed, StaffCalendarFeed
from peerprog.core.models.imports import (
    PendingImport,
)
from peerprog.core.models.letters import (
    Letter,
    LetterTemplate,
)
from peerprog.core.models.notifications import (
    Notification,
)
from peerprog.core.models.once import FormToken
from peerprog.core.models.organisation import (
    Organisation,
    Programme,
    Service,
)
from peerprog.core.models.people import (
    PERSON_CONTACT_FIELDS,
    Person,
    ReasonableAdjustment,
    SensitiveFacts,
)
from peerprog.core.models.reasons import (
    ReasonBase,
)
from peerprog.core.models.second_factor import SecondFactorReset
from peerprog.core.models.users import (
    Role,
    User,
    UserManager,
    role_group,
)
from peerprog.core.outbox.models import OutboxEmail
from peerprog.core.privacy.erasure_models import ErasureMention, ErasureRequest
from peerprog.core.privacy.read_log_models import ReadLog
from peerprog.core.privacy.retention_models import LegalHold, RetentionDue, RetentionRule
from peerprog.core.privacy.subject_access_models import SubjectAccessRequest
from peerprog.core.reminders.models import Reminder, ReminderEmailOptOut

__all__ = [
    "PERSON_CONTACT_FIELDS",
    "CalendarFeed",
    "ErasureMention",
    "ErasureRequest",
    "ExportRecord",
    "FormToken",
    "LegalHold",
    "Letter",
    "LetterTemplate",
    "Notification",
    "Organisation",
    "OutboxEmail",
    "PendingImport",
    "Person",
    "Programme",
    "ReadLog",
    "ReasonBase",
    "ReasonableAdjustment",
    "Reminder",
    "ReminderEmailOptOut",
    "RetentionDue",
    "RetentionRule",
    "Role",
    "SecondFactorReset",
    "SensitiveFacts",
    "Service",
    "StaffCalendarFeed",
    "SubjectAccessRequest",
    "User",
    "UserManager",
    "role_group",
]
