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
from supervision.views.supervising import (
    development_create,
    development_edit,
    development_list,
    my_supervisees,
    session_create,
    session_edit,
    supervisee_detail,
    supervision_assign,
    supervision_end,
    supervision_overview,
    wellbeing_plan,
    wellbeing_plan_edit,
    wellbeing_plan_print,
    wellbeing_plan_reads,
)

__all__ = [
    "assignment_end",
    "cohort_mentoring",
    "cohort_mentoring_settings",
    "development_create",
    "development_edit",
    "development_list",
    "meeting_create",
    "meeting_edit",
    "mentee_detail",
    "mentor_assign",
    "mentor_list",
    "mentor_profile_edit",
    "mentoring_overview",
    "my_mentees",
    "my_supervisees",
    "session_create",
    "session_edit",
    "supervisee_detail",
    "supervision_assign",
    "supervision_end",
    "supervision_overview",
    "wellbeing_plan",
    "wellbeing_plan_edit",
    "wellbeing_plan_print",
    "wellbeing_plan_reads",
]
