"""Training's models: the course, its sessions and register, enrolments,
and the portfolio from first draft to the assessed outcome."""

from __future__ import annotations

from training.models.course import (
    CoFacilitator,
    CohortTraining,
    CourseSession,
    CourseTemplate,
    CourseTopic,
    Rubric,
    RubricCriterion,
)
from training.models.enrolment import Attendance, Enrolment, NonCompletionReason
from training.models.portfolio import (
    Assessment,
    CriterionMark,
    Decision,
    PortfolioDraft,
    PortfolioSubmission,
    Tutorial,
)

__all__ = [
    "Assessment",
    "Attendance",
    "CoFacilitator",
    "CohortTraining",
    "CourseSession",
    "CourseTemplate",
    "CourseTopic",
    "CriterionMark",
    "Decision",
    "Enrolment",
    "NonCompletionReason",
    "PortfolioDraft",
    "PortfolioSubmission",
    "Rubric",
    "RubricCriterion",
    "Tutorial",
]
