"""Training's exports: the trainees of the programme or of one cohort, with
their progress, and the training outcomes.

No portfolio contents, feedback, marks or tutorial notes. Reasons for not
completing that reveal health are written only for readers allowed to see
them; everyone else reads that the person left the programme.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

from peerprog.core import exports
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.models import Role, User
from recruitment.exports import cohort_param, describe_cohort
from training.models import Enrolment
from training.selectors import outcome_list
from training.selectors.progress import with_progress

TRAINEES = "training.trainees"
OUTCOMES = "training.outcomes"
HIDDEN_REASON = "Left the programme (reason seen by leads and HR only)"


def trainee_rows(user: User, params: QueryDict) -> QuerySet[Enrolment]:
    return with_progress(enrolments=outcome_list(user=user, cohort_id=cohort_param(params)))


def outcome_rows(user: User, params: QueryDict) -> QuerySet[Enrolment]:
    return outcome_list(user=user, cohort_id=cohort_param(params))


def reason(enrolment: Enrolment) -> str:
    reason = enrolment.non_completion_reason
    return reason.label if reason else ""


def reason_redacted(enrolment: Enrolment) -> str:
    reason = enrolment.non_completion_reason
    if reason is None:
        return ""
    return HIDDEN_REASON if reason.reveals_health else reason.label


def reason_group(enrolment: Enrolment) -> str:
    reason = enrolment.non_completion_reason
    return reason.reporting_group if reason else ""


def attendance(enrolment: Any) -> str:
    if not enrolment.counted:
        return ""
    return f"{round(100 * enrolment.attended / enrolment.counted)}%"


REASON = Column("Non-completion reason", reason, sensitive=True, redacted=reason_redacted)


def register() -> None:
    exports.register(
        ExportSpec(
            key=TRAINEES,
            title="Trainees",
            roles=(Role.PROGRAMME_LEAD, Role.ADMIN),
            columns=[
                Column("Cohort", lambda e: e.cohort.name),
                Column("First name", lambda e: e.person.preferred_name or e.person.first_name),
                Column("Last name", lambda e: e.person.last_name),
                Column("E-mail", lambda e: e.person.email),
                Column("Status", lambda e: e.get_status_display()),
                Column("Sessions attended", lambda e: e.attended),
                Column("Sessions with a register mark", lambda e: e.counted),
                Column("Attendance", attendance),
                Column("Portfolio drafts", lambda e: e.draft_count),
                Column("Tutorials", lambda e: e.tutorial_count),
                Column("Final portfolio handed in", lambda e: e.final_on),
                Column("Eligible for paid posts", lambda e: e.is_eligible),
                Column("Eligible from", lambda e: e.passed_on),
                Column("Ended on", lambda e: e.ended_on),
                Column("Non-completion group", reason_group),
                REASON,
            ],
            rows=trainee_rows,
            url_name="training:trainees-export",
            describe=describe_cohort,
        )
    )
    exports.register(
        ExportSpec(
            key=OUTCOMES,
            title="Training outcomes",
            roles=(Role.PROGRAMME_LEAD, Role.HR, Role.ADMIN),
            columns=[
                Column("Cohort", lambda e: e.cohort.name),
                Column("Trainee", lambda e: e.person.display_name),
                Column("Status", lambda e: e.get_status_display()),
                Column("Eligible for paid posts", lambda e: e.is_eligible),
                Column("Eligible from", lambda e: e.passed_on),
                Column("Ended on", lambda e: e.ended_on),
                Column("Non-completion group", reason_group),
                REASON,
            ],
            rows=outcome_rows,
            url_name="training:outcomes-export",
            describe=describe_cohort,
        )
    )
