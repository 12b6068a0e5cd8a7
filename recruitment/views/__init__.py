"""Recruitment's pages. Each view checks the role, binds a form, calls one
service and renders or redirects. Leads do everything; HR and admins read;
admins and leads export."""

from __future__ import annotations

from recruitment.views.applications import (
    application_bulk,
    application_create,
    application_detail,
    application_details_ignore,
    application_details_use,
    application_edit,
    application_export,
    application_list,
    application_move,
)
from recruitment.views.cohorts import (
    board,
    cohort_close,
    cohort_create,
    cohort_detail,
    cohort_edit,
    cohort_list,
    event_create,
    event_edit,
)
from recruitment.views.imports import (
    import_preview,
    import_upload,
)
from recruitment.views.letters import (
    letter_detail,
    letter_issue,
    letter_list,
    letter_pdf,
    letter_posted,
)
from recruitment.views.reasons import (
    reason_archive,
    reason_create,
    reason_delete,
    reason_edit,
    reason_list,
)

__all__ = [
    "application_bulk",
    "application_create",
    "application_detail",
    "application_details_ignore",
    "application_details_use",
    "application_edit",
    "application_export",
    "application_list",
    "application_move",
    "board",
    "cohort_close",
    "cohort_create",
    "cohort_detail",
    "cohort_edit",
    "cohort_list",
    "event_create",
    "event_edit",
    "import_preview",
    "import_upload",
    "letter_detail",
    "letter_issue",
    "letter_list",
    "letter_pdf",
    "letter_posted",
    "reason_archive",
    "reason_create",
    "reason_delete",
    "reason_edit",
    "reason_list",
]
