"""Data-map declarations of deployment's models."""

from __future__ import annotations

from peerprog.core.privacy.datamap import Anon, Basis, declare, holds_none, personal, special
from peerprog.core.privacy.roles import EMPLOYMENT, PROGRAMME, SELF, SUPERVISING


def register() -> None:
    from deployment import privacy_in_post

    privacy_in_post.register()
    from deployment.models import (
        Absence,
        AbsenceHealth,
        Appointment,
        Candidate,
        Interview,
        LeavingReason,
        Panel,
        PanelMember,
        Post,
        PostConversion,
        PreEmploymentCheck,
        RecruitmentDay,
        ReserveEntry,
        RetentionFigures,
        RetentionSnapshot,
        Vacancy,
    )

    holds_none(
        Post,
        Panel,
        LeavingReason,
        RetentionSnapshot,
        RetentionFigures,
        note="Posts, panels, reason lists and monthly counts of no one person.",
    )
    declare(
        PostConversion,
        readers=EMPLOYMENT,
        retention="employment record",
        basis=Basis.CONTRACT,
        fields={"converted_by": personal(Anon.KEEP), "undone_by": personal(Anon.KEEP)},
        not_personal_fields=(
            "id",
            "programme",
            "original",
            "new_post",
            "from_job_title",
            "from_role",
            "from_band",
            "from_wte",
            "to_job_title",
            "to_role",
            "to_band",
            "to_wte",
            "reason",
            "converted_at",
            "recorded_at",
            "undone_at",
            "undo_reason",
        ),
    )
    declare(
        Vacancy,
        readers=EMPLOYMENT,
        retention="employment record",
        basis=Basis.CONTRACT,
        fields={"created_by": personal(Anon.KEEP)},
        not_personal_fields=(
            "id",
            "programme",
            "post",
            "advert_reference",
            "closing_date",
            "opened_on",
            "status",
        ),
    )
    declare(
        Candidate,
        readers=(*EMPLOYMENT, SELF),
        retention="application",
        basis=Basis.CONTRACT,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "status": personal(Anon.KEEP),
            "applied_on": personal(Anon.KEEP),
            "added_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "vacancy"),
    )
    declare(
        RecruitmentDay,
        readers=EMPLOYMENT,
        retention="employment record",
        basis=Basis.CONTRACT,
        fields={"created_by": personal(Anon.KEEP)},
        not_personal_fields=("id", "programme", "date", "venue", "arrangements"),
    )
    declare(
        PanelMember,
        readers=EMPLOYMENT,
        retention="employment record",
        basis=Basis.LEGITIMATE_INTERESTS,
        fields={"name": personal(Anon.PLACEHOLDER), "job_title": personal(Anon.BLANK)},
        not_personal_fields=("id", "panel", "service"),
    )
    declare(
        Interview,
        readers=EMPLOYMENT,
        retention="application",
        basis=Basis.CONTRACT,
        person_path="candidate__person",
        fields={
            "candidate": personal(Anon.KEEP),
            "outcome": personal(Anon.KEEP),
            "notes": special(Anon.BLANK, basis=Basis.EMPLOYMENT),
            "decided_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "day", "panel", "starts_at", "decided_at"),
    )
    declare(
        ReserveEntry,
        readers=EMPLOYMENT,
        retention="application",
        basis=Basis.CONTRACT,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "placed_on": personal(Anon.KEEP),
            "stands_until": personal(Anon.KEEP),
            "status": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "programme", "interview"),
    )
    declare(
        Appointment,
        readers=(*PROGRAMME, SELF),
        retention="employment record",
        basis=Basis.CONTRACT,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "status": personal(Anon.KEEP),
            "start_date": personal(Anon.KEEP),
            "start_confirmed_by": personal(Anon.KEEP),
            "start_override_reason": personal(Anon.BLANK),
            "contract": personal(Anon.KEEP),
            "hours_per_week": personal(Anon.KEEP),
            "line_manager": personal(Anon.KEEP),
            "ended_on": personal(Anon.KEEP),
            "leaving_reason": personal(Anon.KEEP),
            "created_by": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "programme",
            "post",
            "interview",
            "reserve_entry",
            "transferred_from",
            "start_confirmed_at",
            "is_lead_lxp",
            "created_at",
        ),
    )
    declare(
        PreEmploymentCheck,
        readers=EMPLOYMENT,
        retention="employment record",
        basis=Basis.LEGAL_OBLIGATION,
        person_path="appointment__person",
        fields={
            "appointment": personal(Anon.KEEP),
            "kind": personal(Anon.KEEP),
            "status": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "requested_on", "completed_on"),
    )
    declare(
        Absence,
        readers=(*EMPLOYMENT, *SUPERVISING),
        retention="employment record",
        basis=Basis.CONTRACT,
        person_path="appointment__person",
        fields={
            "appointment": personal(Anon.KEEP),
            "kind": personal(Anon.KEEP),
            "starts_on": personal(Anon.KEEP),
            "ends_on": personal(Anon.KEEP),
            "cover_reserve": personal(Anon.KEEP),
            "recorded_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "cover"),
    )
    declare(
        AbsenceHealth,
        readers=("HR",),
        retention="employment record",
        basis=Basis.EMPLOYMENT,
        person_path="absence__appointment__person",
        fields={"category": special(Anon.BLANK)},
        not_personal_fields=("id", "absence"),
    )
