"""Data-map declarations of the kernel's own models (and of the packages
that keep sign-in records about staff)."""

from __future__ import annotations

from peerprog.core.privacy.datamap import (
    Anon,
    Basis,
    declare,
    holds_none,
    personal,
    special,
)
from peerprog.core.privacy.roles import ADMINS, ALL_STAFF, OFFICER, PROGRAMME, SELF, SENSITIVE


def register() -> None:
    from peerprog.core.export_records import ExportRecord
    from peerprog.core.models import (
        CalendarFeed,
        Letter,
        LetterTemplate,
        Notification,
        Organisation,
        PendingImport,
        Person,
        Programme,
        ReasonableAdjustment,
        SecondFactorReset,
        SensitiveFacts,
        Service,
        StaffCalendarFeed,
        User,
    )
    from peerprog.core.models.once import FormToken
    from peerprog.core.outbox.models import OutboxEmail
    from peerprog.core.reminders.models import Reminder, ReminderEmailOptOut

    holds_none(
        Organisation,
        Programme,
        Service,
        LetterTemplate,
        FormToken,
        note="Organisations, services, wording of letters and one-use form tokens.",
    )
    declare(
        Person,
        readers=(*ALL_STAFF, SELF),
        retention="person record",
        basis=Basis.PUBLIC_TASK,
        person_path="pk",
        fields={
            "first_name": personal(Anon.PLACEHOLDER),
            "last_name": personal(Anon.PLACEHOLDER),
            "preferred_name": personal(Anon.BLANK),
            "email": personal(Anon.BLANK),
            "phone": personal(Anon.BLANK),
            "date_of_birth": personal(Anon.NULL, readers=(*PROGRAMME, SELF)),
            "address": personal(Anon.BLANK, readers=(*PROGRAMME, SELF)),
            "email_allowed": personal(Anon.KEEP),
            "hard_copy_letters": personal(Anon.KEEP),
            "user": personal(Anon.KEEP),
            "invited_at": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "programme", "created_at"),
    )
    declare(
        SensitiveFacts,
        readers=(*SENSITIVE, SELF),
        retention="person record",
        basis=Basis.EQUALITY,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "disability": special(Anon.BLANK, basis=Basis.HEALTH_CARE),
            "disability_details": special(Anon.BLANK, basis=Basis.HEALTH_CARE),
            "ethnic_group": special(Anon.BLANK),
            "sex": special(Anon.BLANK),
            "gender_identity": special(Anon.BLANK),
            "sexual_orientation": special(Anon.BLANK),
            "religion_or_belief": special(Anon.BLANK),
            "age_band": personal(Anon.BLANK),
        },
        not_personal_fields=("id", "updated_at"),
    )
    declare(
        ReasonableAdjustment,
        readers=(*SENSITIVE, SELF),
        retention="person record",
        basis=Basis.HEALTH_CARE,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "kind": special(Anon.KEEP),
            "request": special(Anon.BLANK),
            "practical_note": special(Anon.BLANK, readers=(*SENSITIVE, "Facilitator", SELF)),
            "is_active": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "created_at"),
    )
    declare(
        CalendarFeed,
        readers=(SELF,),
        retention="person record",
        basis=Basis.PUBLIC_TASK,
        person_path="person",
        fields={"person": personal(Anon.KEEP), "token": personal(Anon.PLACEHOLDER)},
        not_personal_fields=("id", "made_at"),
    )
    declare(
        StaffCalendarFeed,
        readers=(SELF,),
        retention="staff account",
        basis=Basis.CONTRACT,
        user_path="user",
        fields={"user": personal(Anon.KEEP), "token": personal(Anon.PLACEHOLDER)},
        not_personal_fields=("id", "made_at"),
    )
    declare(
        User,
        readers=(*ALL_STAFF, SELF),
        retention="staff account",
        basis=Basis.CONTRACT,
        user_path="pk",
        note="Staff accounts and the accounts people use for their own pages.",
        fields={
            "email": personal(Anon.PLACEHOLDER),
            "full_name": personal(Anon.PLACEHOLDER),
            "job_title": personal(Anon.BLANK),
            "password": personal(Anon.KEEP, readers=()),
            "last_login": personal(Anon.KEEP, readers=ADMINS + OFFICER),
            "date_joined": personal(Anon.KEEP, readers=ADMINS + OFFICER),
            "is_active": personal(Anon.KEEP, readers=ADMINS + OFFICER),
        },
        not_personal_fields=(
            "id",
            "is_superuser",
            "programme",
            "is_staff",
            "is_system",
            "second_factor_stamp",
        ),
    )
    declare(
        SecondFactorReset,
        readers=ADMINS + OFFICER,
        retention="sign-in record",
        basis=Basis.LEGITIMATE_INTERESTS,
        user_path="user",
        fields={"user": personal(Anon.KEEP), "by": personal(Anon.KEEP), "at": personal(Anon.KEEP)},
        not_personal_fields=("id", "programme"),
    )
    declare(
        Letter,
        readers=(*PROGRAMME, SELF),
        retention="correspondence",
        basis=Basis.PUBLIC_TASK,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "subject": personal(Anon.KEEP),
            "body": personal(Anon.PLACEHOLDER),
            "created_by": personal(Anon.KEEP),
            "email": personal(Anon.KEEP),
            "posted_at": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "programme", "kind", "key", "channel", "status", "created_at"),
    )
    declare(
        Notification,
        readers=(SELF,),
        retention="correspondence",
        basis=Basis.PUBLIC_TASK,
        user_path="recipient",
        fields={
            "recipient": personal(Anon.KEEP),
            "title": personal(Anon.PLACEHOLDER),
            "body": personal(Anon.BLANK),
            "link": personal(Anon.BLANK),
            "read_at": personal(Anon.KEEP),
            "email": personal(Anon.KEEP),
        },
        not_personal_fields=("id", "key", "created_at"),
    )
    declare(
        OutboxEmail,
        readers=ADMINS,
        retention="correspondence",
        basis=Basis.PUBLIC_TASK,
        person_path="recipient_person",
        user_path="recipient_user",
        fields={
            "recipient_user": personal(Anon.KEEP),
            "recipient_person": personal(Anon.KEEP),
            "to_address": personal(Anon.PLACEHOLDER),
            "subject": personal(Anon.PLACEHOLDER),
            "body_text": personal(Anon.BLANK),
            "body_html": personal(Anon.BLANK),
            "last_error": personal(Anon.BLANK),
        },
        not_personal_fields=(
            "id",
            "message_id",
            "key",
            "kind",
            "state",
            "created_at",
            "attempts",
            "next_attempt_at",
            "claimed_until",
            "accepted_at",
            "body_purged_at",
        ),
    )
    declare(
        Reminder,
        readers=(SELF,),
        retention="correspondence",
        basis=Basis.PUBLIC_TASK,
        person_path="recipient_person",
        user_path="recipient_user",
        fields={
            "recipient_user": personal(Anon.KEEP),
            "recipient_person": personal(Anon.KEEP),
            "email_line": personal(Anon.PLACEHOLDER),
            "link": personal(Anon.BLANK),
            "email": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "kind",
            "object_type",
            "object_id",
            "period",
            "by_email",
            "created_at",
        ),
    )
    declare(
        ReminderEmailOptOut,
        readers=(SELF,),
        retention="staff account",
        basis=Basis.LEGITIMATE_INTERESTS,
        user_path="user",
        fields={"user": personal(Anon.KEEP), "kind": personal(Anon.KEEP)},
        not_personal_fields=("id", "created_at"),
    )
    declare(
        ExportRecord,
        readers=ADMINS + OFFICER + (SELF,),
        retention="export log",
        basis=Basis.LEGITIMATE_INTERESTS,
        user_path="user",
        note="The export log; prepared files are deleted when they expire.",
        fields={
            "user": personal(Anon.KEEP),
            "filters": personal(Anon.BLANK),
            "params": personal(Anon.BLANK),
            "file_name": personal(Anon.DELETE_FILE),
        },
        not_personal_fields=(
            "id",
            "programme",
            "key",
            "title",
            "file_format",
            "sensitive_included",
            "rows_expected",
            "rows",
            "status",
            "created_at",
            "finished_at",
            "expires_at",
        ),
    )
    declare(
        PendingImport,
        readers=ADMINS,
        retention="import file",
        basis=Basis.PUBLIC_TASK,
        user_path="created_by",
        note="An uploaded file of people's records, kept until it is loaded or cancelled.",
        fields={
            "created_by": personal(Anon.KEEP),
            "filename": personal(Anon.KEEP),
            "content": personal(Anon.BLANK),
            "report": personal(Anon.NULL),
            "message": personal(Anon.BLANK),
        },
        not_personal_fields=(
            "id",
            "programme",
            "importer",
            "created_at",
            "file_format",
            "options",
            "status",
            "status_at",
            "rows",
            "finished_at",
        ),
    )
