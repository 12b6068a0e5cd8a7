"""Deployment's pages, one module per screen family."""

from __future__ import annotations

from deployment.views import (
    appointments,
    letters,
    posts,
    readiness,
    recruitment_day,
    survey,
    survey_answer,
)

__all__ = [
    "appointments",
    "letters",
    "posts",
    "readiness",
    "recruitment_day",
    "survey",
    "survey_answer",
]
