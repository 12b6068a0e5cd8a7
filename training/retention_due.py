"""Training's kinds of record on the retention schedule: trainees who did
not complete (due 2 years after the course ends) and uploaded portfolio
files (due 1 year after the decision; the decision itself stays)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from peerprog.core.privacy.retention import DueRecord, RetentionKind, register
from training.models import Enrolment, PortfolioDraft, PortfolioSubmission

NOT_COMPLETED = "training.not_completed"
PORTFOLIO_FILES = "training.portfolio_file"
REMOVED = "removed under the retention schedule"


def not_completed_due(*, on_or_before: date) -> Iterable[DueRecord]:
    """Enrolments that ended without completing, on courses that ended on or
    before the date. One query."""
    rows = (
        Enrolment.objects.filter(
            status=Enrolment.Status.NOT_COMPLETED, cohort__training_end__lte=on_or_before
        )
        .order_by("cohort__training_end", "pk")
        .values_list(
            "pk", "person_id", "cohort__programme_id", "cohort__training_end", "cohort__name"
        )
    )
    for pk, person_id, programme_id, ended, cohort in rows:
        yield DueRecord(
            pk=pk,
            counts_from=ended,
            label=f"Training not completed, {cohort}",
            person_id=person_id,
            programme_id=programme_id,
        )


def portfolio_files_due(*, on_or_before: date) -> Iterable[DueRecord]:
    """Decided portfolio submissions still holding their file, decided on or
    before the date. One query."""
    rows = (
        PortfolioSubmission.objects.filter(
            status=PortfolioSubmission.Status.DECIDED, decided_on__lte=on_or_before
        )
        .exclude(file="")
        .order_by("decided_on", "pk")
        .values_list(
            "pk",
            "enrolment__person_id",
            "enrolment__cohort__programme_id",
            "decided_on",
            "enrolment__cohort__name",
            "attempt",
        )
    )
    for pk, person_id, programme_id, decided, cohort, attempt in rows:
        yield DueRecord(
            pk=pk,
            counts_from=decided,
            label=f"Portfolio files, {cohort}, attempt {attempt}",
            person_id=person_id,
            programme_id=programme_id,
        )


@transaction.atomic
def portfolio_files_remove(*, pks: list[int], by: Any) -> int:
    """Delete the uploaded files of the submissions and of their
    enrolments' drafts; the records, marks and decisions stay. Each record
    is saved on its own, so its history notes the change; the files go once
    the transaction has committed."""
    submissions = list(PortfolioSubmission.objects.select_for_update().filter(pk__in=pks))
    enrolment_ids = {submission.enrolment_id for submission in submissions}
    drafts = list(
        PortfolioDraft.objects.select_for_update()
        .filter(enrolment_id__in=enrolment_ids)
        .exclude(file="")
    )
    names: list[tuple[Any, str]] = []
    for record in [*submissions, *drafts]:
        if record.file:
            names.append((record.file.storage, record.file.name))
        record.file = ""
        record.file_name = REMOVED
        record.save(update_fields=["file", "file_name"])

    def delete_files() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return len(submissions)


def register_kinds() -> None:
    register(
        RetentionKind(
            key=NOT_COMPLETED,
            label="Trainees who did not complete",
            model="training.Enrolment",
            counts_from="the course ends",
            default_months=24,
            due=not_completed_due,
            order=20,
        )
    )
    register(
        RetentionKind(
            key=PORTFOLIO_FILES,
            label="Uploaded portfolio files",
            model="training.PortfolioSubmission",
            counts_from="the decision on the portfolio",
            default_months=12,
            due=portfolio_files_due,
            erase=portfolio_files_remove,
            erase_words="Delete the files of",
            order=40,
        )
    )
