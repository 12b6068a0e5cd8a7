"""Deployment's records: the establishment of posts and their conversion,
vacancies and the recruitment day, the reserve list, appointments with their
pre-employment checks and induction, absences and leaving."""

from __future__ import annotations

from deployment.models.activity import (
    ActivityKind,
    ActivityLine,
    ActivitySetting,
    ActivityTopic,
    ActivityWeek,
)
from deployment.models.appointments import (
    Absence,
    AbsenceHealth,
    Appointment,
    LeavingReason,
    PreEmploymentCheck,
)
from deployment.models.induction import InductionItem, InductionOwner, InductionTemplateItem
from deployment.models.interview_scores import (
    InterviewScore,
    PanelChair,
    PanelMemberLivedExperience,
)
from deployment.models.person_spec import PersonSpecification, SpecCriterion, SpecDocument
from deployment.models.posts import Post, PostConversion
from deployment.models.recruitment_day import (
    Candidate,
    Interview,
    Panel,
    PanelMember,
    RecruitmentDay,
    ReserveEntry,
    Vacancy,
)
from deployment.models.snapshots import RetentionFigures, RetentionSnapshot
from deployment.models.training_records import TrainingCourse, TrainingRecord

__all__ = [
    "Absence",
    "AbsenceHealth",
    "ActivityKind",
    "ActivityLine",
    "ActivitySetting",
    "ActivityTopic",
    "ActivityWeek",
    "Appointment",
    "Candidate",
    "InductionItem",
    "InductionOwner",
    "InductionTemplateItem",
    "Interview",
    "InterviewScore",
    "LeavingReason",
    "Panel",
    "PanelChair",
    "PanelMember",
    "PanelMemberLivedExperience",
    "PersonSpecification",
    "Post",
    "PostConversion",
    "PreEmploymentCheck",
    "RecruitmentDay",
    "ReserveEntry",
    "RetentionFigures",
    "RetentionSnapshot",
    "SpecCriterion",
    "SpecDocument",
    "TrainingCourse",
    "TrainingRecord",
    "Vacancy",
]
