"""Every write training makes. Each service is one transaction, checks its
rule, validates with ``full_clean`` and saves object by object so that the
audit trail (django-simple-history) records each change and its author.
Refusals raise ``TrainingError`` with a message for the person who tried."""

from __future__ import annotations

from training.defaults import (
    cohort_training_ensure,
    non_completion_reasons_ensure_defaults,
    rubric_ensure_default,
)
from training.services.common import TrainingError
from training.services.course import (
    attendance_record,
    cohort_training_update,
    course_template_create,
    course_template_ensure_default,
    course_template_update,
    course_topic_create,
    course_topic_update,
    rubric_create,
    rubric_criterion_create,
    rubric_criterion_update,
    rubric_update,
    session_cancel,
    session_create,
    session_update,
    timetable_generate,
)
from training.services.enrolment import enrolment_close, enrolment_enrol
from training.services.portfolio import (
    assessment_mark,
    draft_feedback,
    draft_feedback_release,
    draft_record,
    submission_assign_assessors,
    submission_moderate,
    submission_record,
    tutorial_record,
)
from training.services.reasons import (
    non_completion_reason_create,
    non_completion_reason_update,
)

__all__ = [
    "TrainingError",
    "assessment_mark",
    "attendance_record",
    "cohort_training_ensure",
    "cohort_training_update",
    "course_template_create",
    "course_template_ensure_default",
    "course_template_update",
    "course_topic_create",
    "course_topic_update",
    "draft_feedback",
    "draft_feedback_release",
    "draft_record",
    "enrolment_close",
    "enrolment_enrol",
    "non_completion_reason_create",
    "non_completion_reason_update",
    "non_completion_reasons_ensure_defaults",
    "rubric_create",
    "rubric_criterion_create",
    "rubric_criterion_update",
    "rubric_ensure_default",
    "rubric_update",
    "session_cancel",
    "session_create",
    "session_update",
    "submission_assign_assessors",
    "submission_moderate",
    "submission_record",
    "timetable_generate",
    "tutorial_record",
]
