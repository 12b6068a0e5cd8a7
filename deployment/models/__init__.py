"""Deployment's records: the establishment of posts and their conversion,
vacancies and the recruitment day, the reserve list, appointments with their
pre-employment checks and induction, absences and leaving."""

from __future__ import annotations

from deployment.models.appointments import (
    Absence,
    AbsenceHealth,
    Appointment,
    LeavingReason,
    PreEmploymentCheck,
)
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
from deployment.models.snapshots import RetentionSnapshot

__all__ = [
    "Absence",
    "AbsenceHealth",
    "Appointment",
    "Candidate",
    "Interview",
    "LeavingReason",
    "Panel",
    "PanelMember",
    "Post",
    "PostConversion",
    "PreEmploymentCheck",
    "RecruitmentDay",
    "ReserveEntry",
    "RetentionSnapshot",
    "Vacancy",
]
