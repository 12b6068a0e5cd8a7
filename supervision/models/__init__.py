"""Supervision's models: mentors for trainees and the meetings they log;
supervisors for employed peer workers (added once deployment has landed)."""

from __future__ import annotations

from supervision.models.mentoring import (
    DEFAULT_MINIMUM_MEETINGS,
    CohortMentoring,
    MentorAssignment,
    MentorMeeting,
    MentorProfile,
)

__all__ = [
    "DEFAULT_MINIMUM_MEETINGS",
    "CohortMentoring",
    "MentorAssignment",
    "MentorMeeting",
    "MentorProfile",
]
