"""Data-map declarations of deployment's records of people in post:
activity, induction, training records, person specifications and scored
interviews."""

from __future__ import annotations

from peerprog.core.privacy.datamap import Anon, Basis, declare, holds_none, personal, special
from peerprog.core.privacy.roles import EMPLOYMENT, PROGRAMME, SELF, SUPERVISING


def register() -> None:
    from deployment.models import (
        ActivityLine,
        ActivityTopic,
        ActivityWeek,
        InductionItem,
        InductionTemplateItem,
        InterviewScore,
        PanelChair,
        PanelMemberLivedExperience,
        PersonSpecification,
        SpecCriterion,
        SpecDocument,
        TrainingCourse,
        TrainingRecord,
    )

    holds_none(
        ActivityTopic,
        InductionTemplateItem,
        SpecCriterion,
        TrainingCourse,
        note="Lists a programme keeps: activity topics, induction items, criteria and courses.",
    )
    declare(
        ActivityWeek,
        readers=(*PROGRAMME, *SUPERVISING, SELF),
        retention="employment record",
        basis=Basis.CONTRACT,
        person_path="appointment__person",
        fields={
            "appointment": personal(Anon.KEEP),
            "note": personal(Anon.BLANK),
            "recorded_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "programme", "week_starting", "recorded_at"),
    )
    declare(
        ActivityLine,
        readers=(*PROGRAMME, *SUPERVISING, SELF),
        retention="employment record",
        basis=Basis.CONTRACT,
        person_path="week__appointment__person",
        fields={"week": personal(Anon.KEEP)},
        not_personal_fields=("id", "kind", "setting", "contacts", "minutes"),
    )
    declare(
        InductionItem,
        readers=(*EMPLOYMENT, *SUPERVISING, SELF),
        retention="employment record",
        basis=Basis.CONTRACT,
        person_path="appointment__person",
        fields={
            "appointment": personal(Anon.KEEP),
            "done_on": personal(Anon.KEEP),
            "done_recorded_by": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "template_item",
            "title",
            "owner",
            "due_days",
            "order",
            "created_on",
        ),
    )
    declare(
        TrainingRecord,
        readers=(*PROGRAMME, *SUPERVISING, SELF),
        retention="employment record",
        basis=Basis.CONTRACT,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "completed_on": personal(Anon.KEEP),
            "expires_on": personal(Anon.KEEP),
            "recorded_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "programme", "course", "recorded_at"),
    )
    declare(
        PersonSpecification,
        readers=EMPLOYMENT,
        retention="employment record",
        basis=Basis.CONTRACT,
        fields={"updated_by": personal(Anon.KEEP)},
        not_personal_fields=("id", "programme", "post", "vacancy", "updated_at"),
    )
    declare(
        SpecDocument,
        readers=EMPLOYMENT,
        retention="employment record",
        basis=Basis.CONTRACT,
        fields={"uploaded_by": personal(Anon.KEEP)},
        not_personal_fields=(
            "id",
            "specification",
            "kind",
            "file",
            "file_name",
            "file_kind",
            "file_size",
            "uploaded_at",
        ),
    )
    declare(
        PanelChair,
        readers=EMPLOYMENT,
        retention="employment record",
        basis=Basis.CONTRACT,
        fields={"user": personal(Anon.KEEP), "set_by": personal(Anon.KEEP)},
        not_personal_fields=("id", "panel", "set_at"),
    )
    declare(
        PanelMemberLivedExperience,
        readers=EMPLOYMENT,
        retention="employment record",
        basis=Basis.EMPLOYMENT,
        fields={
            # That a panel member has lived experience of mental distress.
            "member": special(Anon.KEEP),
            "recorded_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "recorded_at"),
    )
    declare(
        InterviewScore,
        readers=EMPLOYMENT,
        retention="application",
        basis=Basis.CONTRACT,
        person_path="interview__candidate__person",
        fields={
            "interview": personal(Anon.KEEP),
            "score": personal(Anon.KEEP),
            "entered_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "member", "criterion", "entered_at"),
    )
