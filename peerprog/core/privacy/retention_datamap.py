"""Data-map declarations of the read log and the retention schedule's
tables."""

from __future__ import annotations

from peerprog.core.privacy.datamap import Anon, Basis, declare, holds_none, personal
from peerprog.core.privacy.roles import OFFICER, SELF


def register() -> None:
    from peerprog.core.privacy.erasure_models import ErasureMention, ErasureRequest
    from peerprog.core.privacy.read_log_models import ReadLog
    from peerprog.core.privacy.retention_models import LegalHold, RetentionDue, RetentionRule
    from peerprog.core.privacy.subject_access_models import SubjectAccessRequest

    holds_none(RetentionRule, note="How long each kind of record is kept.")
    declare(
        ReadLog,
        readers=(*OFFICER, SELF),
        retention="read log",
        basis=Basis.LEGAL_OBLIGATION,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "reader": personal(Anon.KEEP),
            "detail": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "programme",
            "read_at",
            "kind",
            "purpose",
            "content_type",
            "object_id",
            "page",
        ),
    )
    declare(
        RetentionDue,
        readers=OFFICER,
        retention="retention review",
        basis=Basis.LEGAL_OBLIGATION,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "label": personal(Anon.PLACEHOLDER),
            "done_by": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "kind",
            "content_type",
            "object_id",
            "programme",
            "due_on",
            "listed_at",
            "status",
            "done_at",
        ),
    )
    declare(
        LegalHold,
        readers=OFFICER,
        retention="legal hold",
        basis=Basis.LEGAL_OBLIGATION,
        person_path="person",
        fields={
            "person": personal(Anon.KEEP),
            "label": personal(Anon.PLACEHOLDER),
            "reason": personal(Anon.KEEP),
            "placed_by": personal(Anon.KEEP),
            "lifted_by": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "content_type",
            "object_id",
            "programme",
            "placed_at",
            "lifted_at",
        ),
    )
    declare(
        SubjectAccessRequest,
        readers=(*OFFICER, SELF),
        retention="export log",
        basis=Basis.LEGAL_OBLIGATION,
        person_path="person",
        user_path="user",
        note="Subject access requests; the prepared archive is deleted when it expires.",
        fields={
            "person": personal(Anon.KEEP),
            "user": personal(Anon.KEEP),
            "requested_by": personal(Anon.KEEP),
            "reference": personal(Anon.BLANK),
            "reason": personal(Anon.BLANK),
            "file_name": personal(Anon.DELETE_FILE),
        },
        not_personal_fields=(
            "id",
            "programme",
            "own_download",
            "status",
            "step",
            "created_at",
            "finished_at",
            "expires_at",
            "file_size",
            "kinds",
            "downloads",
            "last_downloaded_at",
        ),
    )
    declare(
        ErasureRequest,
        readers=(*OFFICER, "Admin"),
        retention="export log",
        basis=Basis.LEGAL_OBLIGATION,
        person_path="person",
        note=(
            "Erasure requests: the record that an erasure was asked for, decided and done. "
            "Kept when the person is erased, holding only their anonymised record."
        ),
        fields={
            "person": personal(Anon.KEEP),
            "reason": personal(Anon.KEEP),
            "reference": personal(Anon.KEEP),
            "requested_by": personal(Anon.KEEP),
            "decided_by": personal(Anon.KEEP),
            "refusal_reason": personal(Anon.KEEP),
        },
        not_personal_fields=(
            "id",
            "programme",
            "status",
            "requested_at",
            "decided_at",
            "erased",
        ),
    )
    holds_none(
        ErasureMention,
        note="Which field of which record to review after an erasure, never its text.",
    )
