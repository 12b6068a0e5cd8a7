"""Data-map declarations of readiness's models."""

from __future__ import annotations

from peerprog.core.privacy.datamap import Anon, Basis, declare, holds_none, personal
from peerprog.core.privacy.roles import PROGRAMME


def register() -> None:
    from readiness.models import (
        PreparationWorkshop,
        RoundQuestion,
        SurveyAnswer,
        SurveyDomain,
        SurveyInstrument,
        SurveyItem,
        SurveyItemVersion,
        SurveyRespondent,
        SurveyRound,
        WorkshopAttendance,
    )

    holds_none(
        WorkshopAttendance,
        SurveyInstrument,
        SurveyDomain,
        SurveyItem,
        RoundQuestion,
        SurveyAnswer,
        note="Counts by role, survey wording and anonymous answers.",
    )
    declare(
        PreparationWorkshop,
        readers=PROGRAMME,
        retention="workshop record",
        basis=Basis.LEGITIMATE_INTERESTS,
        note="Names of the staff who ran and came to a team's preparation workshop.",
        fields={
            "delivered_by": personal(Anon.KEEP),
            "staff_names": personal(Anon.KEEP),
            "recorded_by": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "programme",
            "service",
            "held_on",
            "co_delivered_by_peer",
            "topic_role",
            "topic_lived_experience",
            "topic_boundaries",
            "topic_referrals_notes",
            "topic_supervision",
            "other_topics",
            "created_at",
        ),
    )
    declare(
        SurveyItemVersion,
        readers=PROGRAMME,
        retention="survey",
        basis=Basis.LEGITIMATE_INTERESTS,
        fields={"created_by": personal(Anon.KEEP)},
        not_personal_fields=("id", "item", "number", "wording", "created_at"),
    )
    declare(
        SurveyRound,
        readers=PROGRAMME,
        retention="survey",
        basis=Basis.LEGITIMATE_INTERESTS,
        fields={"created_by": personal(Anon.KEEP)},
        not_personal_fields=(
            "id",
            "programme",
            "instrument",
            "title",
            "opens_on",
            "closes_on",
            "closed_at",
            "created_at",
        ),
    )
    declare(
        SurveyRespondent,
        readers=PROGRAMME,
        retention="survey",
        basis=Basis.LEGITIMATE_INTERESTS,
        user_path="user",
        note="Whether a staff member was asked and answered; never which answers are theirs.",
        fields={
            "user": personal(Anon.KEEP),
            "status": personal(Anon.KEEP),
            "token_hash": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "round",
            "stakeholder_group",
            "setting",
            "organisation",
            "created_at",
            "submitted_at",
        ),
    )
