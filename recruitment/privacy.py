"""Data-map declarations of recruitment's models."""

from __future__ import annotations

from peerprog.core.privacy.datamap import Anon, Basis, declare, holds_none, personal, special
from peerprog.core.privacy.roles import PROGRAMME, SELF, SENSITIVE


def register() -> None:
    from recruitment.models import (
        Application,
        ApplicationMove,
        Cohort,
        DeferralReason,
        InformationEvent,
        UnsuccessfulReason,
        WithdrawalReason,
    )

    holds_none(
        Cohort,
        UnsuccessfulReason,
        WithdrawalReason,
        DeferralReason,
        InformationEvent,
        note="Intakes, reason lists and events (who attended is kept on the application).",
    )
    declare(
        Application,
        readers=(*PROGRAMME, SELF),
        retention="application",
        basis=Basis.PUBLIC_TASK,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "received_on": personal(Anon.KEEP),
            "details_given": personal(Anon.BLANK),
            "statement": special(Anon.BLANK, readers=(*SENSITIVE, SELF), basis=Basis.HEALTH_CARE),
            "stage": personal(Anon.KEEP),
            "unsuccessful_reason": personal(Anon.KEEP),
            "withdrawal_reason": personal(Anon.KEEP),
            "deferral_reason": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "cohort",
            "source",
            "arrived",
            "pathway",
            "stage_changed_at",
            "deferred_to",
        ),
    )
    declare(
        ApplicationMove,
        readers=PROGRAMME,
        retention="application",
        basis=Basis.PUBLIC_TASK,
        person_path="application__person",
        fields={
            "application": personal(Anon.KEEP),
            "from_stage": personal(Anon.KEEP),
            "to_stage": personal(Anon.KEEP),
            "by": personal(Anon.KEEP),
            "note": personal(Anon.BLANK),
        },
        not_personal_fields=("id", "at", "recorded_at", "overrode_capacity"),
    )
