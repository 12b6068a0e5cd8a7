"""Supervision's pages. Each view checks access, binds a form, calls one
service, and renders or redirects; refusals are shown on the form."""

from __future__ import annotations

from supervision.views.mentoring import (
    assignment_end,
    cohort_mentoring,
    cohort_mentoring_settings,
    meeting_create,
    meeting_edit,
    mentee_detail,
    mentor_assign,
    mentor_list,
    mentor_profile_edit,
    mentoring_overview,
    my_mentees,
)

__all__ = [
    "assignment_end",
    "cohort_mentoring",
    "cohort_mentoring_settings",
    "meeting_create",
    "meeting_edit",
    "mentee_detail",
    "mentor_assign",
    "mentor_list",
    "mentor_profile_edit",
    "mentoring_overview",
    "my_mentees",
]
