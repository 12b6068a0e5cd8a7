"""Every write deployment makes. Each service is one transaction, checks its
rule and raises ``DeploymentError`` with a plain-words message when the
action is refused, so nothing is half-written."""

from __future__ import annotations

from deployment.services.absences import absence_record, absence_update
from deployment.services.appointments import (
    appointment_confirm_start,
    appointment_create,
    appointment_plan_start,
    appointment_transfer,
    appointment_update,
    appointment_withdraw,
    check_update,
    reserve_appoint,
)
from deployment.services.common import DeploymentError
from deployment.services.leaving import (
    appointment_leave,
    leaving_reason_create,
    leaving_reason_update,
    leaving_reasons_ensure_defaults,
)
from deployment.services.letters import (
    LETTER_KINDS,
    interview_letter_issue,
    letter_kind_for,
    letter_values,
)
from deployment.services.posts import (
    conversion_undo,
    post_convert,
    post_create,
    post_freeze,
    post_unfreeze,
    post_update,
    posts_convert,
)
from deployment.services.recruitment_day import (
    candidate_add,
    candidate_set_status,
    interview_record_outcome,
    interview_schedule,
    panel_create,
    panel_member_add,
    recruitment_day_create,
    reserve_entry_remove,
    vacancy_close,
    vacancy_create,
)
from deployment.services.retention import retention_figures_refresh

__all__ = [
    "LETTER_KINDS",
    "DeploymentError",
    "absence_record",
    "absence_update",
    "appointment_confirm_start",
    "appointment_create",
    "appointment_leave",
    "appointment_plan_start",
    "appointment_transfer",
    "appointment_update",
    "appointment_withdraw",
    "candidate_add",
    "candidate_set_status",
    "check_update",
    "conversion_undo",
    "interview_letter_issue",
    "interview_record_outcome",
    "interview_schedule",
    "leaving_reason_create",
    "leaving_reason_update",
    "leaving_reasons_ensure_defaults",
    "letter_kind_for",
    "letter_values",
    "panel_create",
    "panel_member_add",
    "post_convert",
    "post_create",
    "post_freeze",
    "post_unfreeze",
    "post_update",
    "posts_convert",
    "recruitment_day_create",
    "reserve_appoint",
    "reserve_entry_remove",
    "retention_figures_refresh",
    "vacancy_close",
    "vacancy_create",
]
