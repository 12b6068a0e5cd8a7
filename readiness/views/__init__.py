"""Team readiness's pages: preparation workshops, the survey for the staff
who run it, and the respondent's own pages."""

from __future__ import annotations

from readiness.views import moved, survey, survey_answer, workshops

__all__ = ["moved", "survey", "survey_answer", "workshops"]
