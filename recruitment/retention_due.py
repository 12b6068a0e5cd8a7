"""Recruitment's kind of record on the retention schedule: unsuccessful
applications, due 12 months (by default) after the cohort's application
window closes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from peerprog.core.privacy.retention import DueRecord, RetentionKind, register
from recruitment.models import Application

UNSUCCESSFUL = "recruitment.unsuccessful_application"


def unsuccessful_due(*, on_or_before: date) -> Iterable[DueRecord]:
    """Unsuccessful applications to cohorts whose window closed on or before
    the date. One query."""
    rows = (
        Application.objects.filter(
            stage=Application.Stage.UNSUCCESSFUL, cohort__applications_close__lte=on_or_before
        )
        .order_by("cohort__applications_close", "pk")
        .values_list(
            "pk", "person_id", "cohort__programme_id", "cohort__applications_close", "cohort__name"
        )
    )
    for pk, person_id, programme_id, closed, cohort in rows:
        yield DueRecord(
            pk=pk,
            counts_from=closed,
            label=f"Unsuccessful application to {cohort}",
            person_id=person_id,
            programme_id=programme_id,
        )


def register_kind() -> None:
    register(
        RetentionKind(
            key=UNSUCCESSFUL,
            label="Unsuccessful applications",
            model="recruitment.Application",
            counts_from="the cohort's application window closes",
            default_months=12,
            due=unsuccessful_due,
            order=10,
        )
    )
