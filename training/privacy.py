"""Data-map declarations of training's models."""

from __future__ import annotations

from peerprog.core.privacy.datamap import Anon, Basis, declare, holds_none, personal, special
from peerprog.core.privacy.roles import ASSESSORS, SELF, TRAINING

FILE_FIELDS = {
    "file": personal(Anon.DELETE_FILE),
    "file_name": personal(Anon.PLACEHOLDER),
    "file_kind": personal(Anon.KEEP),
    "file_size": personal(Anon.KEEP),
}


def register() -> None:
    from training.models import (
        Assessment,
        Attendance,
        CoFacilitator,
        CohortTraining,
        CourseSession,
        CourseTemplate,
        CourseTopic,
        CriterionMark,
        Enrolment,
        NonCompletionReason,
        PortfolioDraft,
        PortfolioSubmission,
        Rubric,
        RubricCriterion,
        Tutorial,
    )

    holds_none(
        CourseTemplate,
        CourseTopic,
        Rubric,
        RubricCriterion,
        NonCompletionReason,
        note="Course outlines, marking rubrics and reason lists.",
    )
    declare(
        CohortTraining,
        readers=TRAINING,
        retention="course record",
        basis=Basis.CONTRACT,
        fields={"facilitator": personal(Anon.KEEP), "second_assessor": personal(Anon.KEEP)},
        not_personal_fields=(
            "id",
            "cohort",
            "rubric",
            "draft_due",
            "final_due",
            "resubmission_days",
            "attendance_threshold",
        ),
        note="Which staff run and assess a cohort's course.",
    )
    declare(
        CourseSession,
        readers=(*TRAINING, SELF),
        retention="course record",
        basis=Basis.CONTRACT,
        fields={"facilitator": personal(Anon.KEEP)},
        not_personal_fields=(
            "id",
            "cohort",
            "topic",
            "title",
            "date",
            "starts_at",
            "minutes",
            "place",
            "is_online",
            "status",
            "cancel_reason",
        ),
    )
    declare(
        CoFacilitator,
        readers=(*TRAINING, SELF),
        retention="course record",
        basis=Basis.LEGITIMATE_INTERESTS,
        fields={"name": personal(Anon.PLACEHOLDER)},
        not_personal_fields=("id", "session", "kind"),
        note="Names of guest and peer co-facilitators, who hold no record of their own.",
    )
    declare(
        Enrolment,
        readers=(*TRAINING, "Mentor", SELF),
        retention="training record",
        basis=Basis.PUBLIC_TASK,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "status": personal(Anon.KEEP),
            "enrolled_at": personal(Anon.KEEP),
            "passed_on": personal(Anon.KEEP),
            "ended_on": personal(Anon.KEEP),
            "non_completion_reason": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "application", "cohort"),
    )
    declare(
        Attendance,
        readers=(*TRAINING, SELF),
        retention="training record",
        basis=Basis.PUBLIC_TASK,
        person_path="enrolment__person",
        fields={
            "enrolment": personal(Anon.KEEP),
            "status": personal(Anon.KEEP),
            "recorded_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "session", "recorded_at"),
    )
    declare(
        PortfolioDraft,
        readers=(*ASSESSORS, SELF),
        retention="portfolio file",
        basis=Basis.PUBLIC_TASK,
        person_path="enrolment__person",
        fields={
            **FILE_FIELDS,
            "enrolment": personal(Anon.KEEP),
            "recorded_by": personal(Anon.KEEP),
            "feedback": special(Anon.BLANK),
            "feedback_by": personal(Anon.KEEP),
            "feedback_released_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "received_on", "feedback_on", "feedback_released_at"),
    )
    declare(
        Tutorial,
        readers=ASSESSORS,
        retention="training record",
        basis=Basis.PUBLIC_TASK,
        person_path="enrolment__person",
        fields={
            "enrolment": personal(Anon.KEEP),
            "notes": special(Anon.BLANK),
            "held_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "held_on", "minutes"),
    )
    declare(
        PortfolioSubmission,
        readers=(*ASSESSORS, SELF),
        retention="portfolio file",
        basis=Basis.PUBLIC_TASK,
        person_path="enrolment__person",
        fields={
            **FILE_FIELDS,
            "enrolment": personal(Anon.KEEP),
            "recorded_by": personal(Anon.KEEP),
            "status": personal(Anon.KEEP),
            "outcome": personal(Anon.KEEP),
            "moderated_by": personal(Anon.KEEP),
            "moderation_reason": special(Anon.BLANK),
        },
        not_personal_fields=(
            "id",
            "attempt",
            "submitted_on",
            "recorded_at",
            "due_on",
            "is_late",
            "decided_on",
            "resubmission_due",
        ),
    )
    declare(
        Assessment,
        readers=ASSESSORS,
        retention="training record",
        basis=Basis.PUBLIC_TASK,
        person_path="submission__enrolment__person",
        fields={
            "assessor": personal(Anon.KEEP),
            "decision": personal(Anon.KEEP),
            "comments": special(Anon.BLANK),
        },
        not_personal_fields=("id", "submission", "slot", "marked_at"),
    )
    declare(
        CriterionMark,
        readers=ASSESSORS,
        retention="training record",
        basis=Basis.PUBLIC_TASK,
        person_path="assessment__submission__enrolment__person",
        fields={"level": personal(Anon.KEEP), "comment": special(Anon.BLANK)},
        not_personal_fields=("id", "assessment", "criterion"),
    )
