"""The kernel's models: programmes, organisations, services, staff users and
the person record that every app shares.

Special-category facts about a person (disability, equality monitoring,
reasonable adjustments) live in their own models so that a page can show a
person without ever loading them, and so that only HR and programme leads
reach them.
"""

from __future__ import annotations

from peerprog.core.models.organisation import (
    Organisation,
    Programme,
    Service,
)
from peerprog.core.models.users import (
    Role,
    UserManager,
    User,
    role_group,
)
from peerprog.core.models.people import (
    Person,
    SensitiveFacts,
    ReasonableAdjustment,
)
from peerprog.core.models.reasons import (
    ReasonBase,
)
from peerprog.core.models.notifications import (
    Notification,
)
from peerprog.core.models.letters import (
    LetterTemplate,
    Letter,
)
from peerprog.core.models.imports import (
    PendingImport,
)

# Reminders and export records live in their own modules; imported here so
# Django finds them.
from peerprog.core.export_records import ExportRecord  # noqa: E402, F401
from peerprog.core.reminders.models import Reminder, ReminderEmailOptOut  # noqa: E402, F401

__all__ = [
    "ExportRecord",
    "Letter",
    "LetterTemplate",
    "Notification",
    "Organisation",
    "PendingImport",
    "Person",
    "Programme",
    "ReasonBase",
    "ReasonableAdjustment",
    "Reminder",
    "ReminderEmailOptOut",
    "Role",
    "SensitiveFacts",
    "Service",
    "User",
    "UserManager",
    "role_group",
]
