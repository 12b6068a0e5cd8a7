"""Every write supervision makes; each is one transaction."""

from __future__ import annotations

from supervision.services.common import Refused
from supervision.services.mentoring import (
    MentoringRefused,
    MentorWarnings,
    cohort_mentoring_ensure,
    cohort_mentoring_update,
    mentor_assign,
    mentor_assignment_end,
    mentor_meeting_log,
    mentor_meeting_update,
    mentor_profile_save,
)
from supervision.services.supervising import (
    SupervisionRefused,
    SupervisorWarnings,
    development_session_save,
    supervision_assign,
    supervision_end,
    supervision_session_record,
    supervision_session_update,
)
from supervision.services.wellbeing import (
    PlanChangedMeanwhile,
    wellbeing_plan_own_update,
    wellbeing_plan_read,
    wellbeing_plan_save,
)

__all__ = [
    "MentorWarnings",
    "MentoringRefused",
    "PlanChangedMeanwhile",
    "Refused",
    "SupervisionRefused",
    "SupervisorWarnings",
    "cohort_mentoring_ensure",
    "cohort_mentoring_update",
    "development_session_save",
    "mentor_assign",
    "mentor_assignment_end",
    "mentor_meeting_log",
    "mentor_meeting_update",
    "mentor_profile_save",
    "supervision_assign",
    "supervision_end",
    "supervision_session_record",
    "supervision_session_update",
    "wellbeing_plan_own_update",
    "wellbeing_plan_read",
    "wellbeing_plan_save",
]
