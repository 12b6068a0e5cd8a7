"""Deployment's kind of record on the retention schedule: a peer worker's
employment record, due 6 years (by default) after they left, as the NHS
records management code of practice advises for staff records."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from deployment.models import Appointment
from peerprog.core.privacy.retention import DueRecord, RetentionKind, register

EMPLOYMENT = "deployment.employment"


def employment_due(*, on_or_before: date) -> Iterable[DueRecord]:
    """Appointments of people who left on or before the date. One query."""
    rows = (
        Appointment.objects.filter(
            status=Appointment.Status.LEFT, ended_on__isnull=False, ended_on__lte=on_or_before
        )
        .order_by("ended_on", "pk")
        .values_list("pk", "person_id", "programme_id", "ended_on", "post__job_title")
    )
    for pk, person_id, programme_id, ended_on, post in rows:
        yield DueRecord(
            pk=pk,
            counts_from=ended_on,
            label=f"Employment as {post}, left {ended_on:%-d %B %Y}",
            person_id=person_id,
            programme_id=programme_id,
        )


def register_kind() -> None:
    register(
        RetentionKind(
            key=EMPLOYMENT,
            label="Peer workers' employment records",
            model="deployment.Appointment",
            counts_from="the peer worker leaves",
            default_months=72,
            due=employment_due,
            order=30,
        )
    )
