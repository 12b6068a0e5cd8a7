"""Deployment's pages, one module per screen family."""

from __future__ import annotations

from deployment.views import (
    appointments,
    leaving_reasons,
    letters,
    posts,
    recruitment_day,
)

__all__ = [
    "appointments",
    "leaving_reasons",
    "letters",
    "posts",
    "recruitment_day",
]
