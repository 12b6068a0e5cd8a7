"""Every write supervision makes; each is one transaction."""

from __future__ import annotations

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

__all__ = [
    "MentorWarnings",
    "MentoringRefused",
    "cohort_mentoring_ensure",
    "cohort_mentoring_update",
    "mentor_assign",
    "mentor_assignment_end",
    "mentor_meeting_log",
    "mentor_meeting_update",
    "mentor_profile_save",
]
