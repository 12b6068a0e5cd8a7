"""Supervision's models: mentors for trainees and the meetings they log;
supervisors for employed peer workers, their sessions, wellbeing plans and
continuing development."""

from __future__ import annotations

from supervision.models.mentoring import (
    DEFAULT_MINIMUM_MEETINGS,
    CohortMentoring,
    MentorAssignment,
    MentorMeeting,
    MentorProfile,
)
from supervision.models.supervising import (
    DevelopmentSession,
    Frequency,
    SupervisionAssignment,
    SupervisionAttendance,
    SupervisionSession,
    WellbeingPlan,
)

__all__ = [
    "DEFAULT_MINIMUM_MEETINGS",
    "CohortMentoring",
    "DevelopmentSession",
    "Frequency",
    "MentorAssignment",
    "MentorMeeting",
    "MentorProfile",
    "SupervisionAssignment",
    "SupervisionAttendance",
    "SupervisionSession",
    "WellbeingPlan",
]
