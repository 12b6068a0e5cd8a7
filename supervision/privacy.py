"""Data-map declarations of supervision's models."""

from __future__ import annotations

from peerprog.core.privacy.datamap import Anon, Basis, declare, holds_none, personal, special
from peerprog.core.privacy.roles import MENTORING, PROGRAMME, SELF, SUPERVISING


def register() -> None:
    from supervision.models import (
        CohortMentoring,
        DevelopmentSession,
        MentorAssignment,
        MentorMeeting,
        MentorProfile,
        SupervisionAssignment,
        SupervisionAttendance,
        SupervisionSession,
        WellbeingPlan,
    )

    holds_none(CohortMentoring, note="How many mentor meetings a cohort expects.")
    declare(
        MentorProfile,
        readers=(*PROGRAMME, "Mentor"),
        retention="staff account",
        basis=Basis.CONTRACT,
        user_path="user",
        fields={
            "user": personal(Anon.KEEP),
            "background": personal(Anon.KEEP),
            "preparatory_training_on": personal(Anon.KEEP),
            "support_meeting_on": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "service", "capacity", "is_active"),
    )
    declare(
        MentorAssignment,
        readers=MENTORING,
        retention="training record",
        basis=Basis.PUBLIC_TASK,
        person_path="enrolment__person",
        fields={
            "enrolment": personal(Anon.KEEP),
            "mentor": personal(Anon.KEEP),
            "end_reason": personal(Anon.BLANK),
            "warnings_accepted": personal(Anon.BLANK),
            "assigned_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "started_on", "ended_on", "assigned_at"),
    )
    declare(
        MentorMeeting,
        readers=(*MENTORING, SELF),
        retention="training record",
        basis=Basis.PUBLIC_TASK,
        person_path="assignment__enrolment__person",
        fields={
            "assignment": personal(Anon.KEEP),
            "held_on": personal(Anon.KEEP),
            "notes": special(Anon.BLANK, readers=MENTORING, basis=Basis.HEALTH_CARE),
            "trainee_note": special(Anon.BLANK, basis=Basis.HEALTH_CARE),
            "trainee_confirmed_at": personal(Anon.KEEP),
            "recorded_by": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "minutes",
            "kind",
            "mode",
            "next_meeting_on",
            "form_token",
            "recorded_at",
        ),
    )
    declare(
        SupervisionAssignment,
        readers=SUPERVISING,
        retention="employment record",
        basis=Basis.CONTRACT,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "supervisor": personal(Anon.KEEP),
            "cover_supervisor": personal(Anon.KEEP),
            "end_reason": personal(Anon.BLANK),
            "warnings_accepted": personal(Anon.BLANK),
            "assigned_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "frequency_days", "started_on", "ended_on", "assigned_at"),
    )
    declare(
        SupervisionSession,
        readers=(*SUPERVISING, SELF),
        retention="employment record",
        basis=Basis.HEALTH_CARE,
        note="A session may be a group's: its notes are listed for review on an erasure.",
        fields={
            "notes": special(Anon.BLANK, readers=SUPERVISING),
            "shared_summary": special(Anon.BLANK),
            "led_by": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "programme",
            "kind",
            "held_on",
            "minutes",
            "keeping_well",
            "developing_role",
            "after_challenging_event",
            "form_token",
            "recorded_at",
        ),
    )
    declare(
        SupervisionAttendance,
        readers=(*SUPERVISING, SELF),
        retention="employment record",
        basis=Basis.CONTRACT,
        person_path="person",
        fields={"person": personal(Anon.KEEP)},
        not_personal_fields=("id", "session"),
    )
    declare(
        WellbeingPlan,
        readers=(*SUPERVISING, SELF),
        retention="employment record",
        basis=Basis.HEALTH_CARE,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "keeping_well": special(Anon.PLACEHOLDER),
            "early_signs": special(Anon.BLANK),
            "what_helps": special(Anon.BLANK),
            "contacts": special(Anon.BLANK),
            "agreed_on": personal(Anon.KEEP),
            "review_due": personal(Anon.KEEP),
            "last_reviewed_on": personal(Anon.KEEP),
            "updated_by": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "updated_at", "version"),
    )
    declare(
        DevelopmentSession,
        readers=(*SUPERVISING, SELF),
        retention="employment record",
        basis=Basis.CONTRACT,
        fields={"led_by": personal(Anon.KEEP), "recorded_by": personal(Anon.KEEP)},
        not_personal_fields=("id", "programme", "held_on", "topic", "minutes"),
    )
