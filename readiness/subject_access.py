"""Team readiness's part of a subject access request. Readiness holds no
records about people on the programme: workshops count staff by role, and
survey answers are anonymous in every result. A staff user invited to a
survey round gets their link's record and their answers."""

from __future__ import annotations

from typing import Any

from peerprog.core.privacy.subject_access import Archive, mark_not_exported
from peerprog.core.privacy.subject_access import register as register_contribution

MODELS = ("readiness.SurveyRespondent", "readiness.SurveyAnswer")


def user_records(archive: Archive, user: Any) -> None:
    from readiness.models import SurveyAnswer, SurveyRespondent

    respondents = archive.add(
        "survey_responses", SurveyRespondent.objects.filter(user_id=user.pk), omit=("token_hash",)
    )
    archive.add("survey_answers", SurveyAnswer.objects.filter(respondent_id__in=respondents))


def register() -> None:
    register_contribution("readiness", models=MODELS, user=user_records)
    why = "Names only the member of staff who recorded or wrote it, not a person it is about."
    for label in (
        "readiness.PreparationWorkshop",
        "readiness.WorkshopAttendance",
        "readiness.SurveyItemVersion",
        "readiness.SurveyRound",
        "readiness.RoundQuestion",
    ):
        mark_not_exported(label, why)
