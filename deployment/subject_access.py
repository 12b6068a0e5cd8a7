"""Deployment's part of a subject access request: a person's candidacies,
interviews (the panel's notes as a kind of their own, which a person's own
download leaves out), reserve-list entries, appointments and their leaving,
pre-employment checks, absences and their health details."""

from __future__ import annotations

from typing import Any

from peerprog.core.privacy.subject_access import Archive, mark_not_exported
from peerprog.core.privacy.subject_access import register as register_contribution

MODELS = (
    "deployment.Candidate",
    "deployment.Interview",
    "deployment.ReserveEntry",
    "deployment.Appointment",
    "deployment.PreEmploymentCheck",
    "deployment.Absence",
    "deployment.AbsenceHealth",
)


def person_records(archive: Archive, person: Any) -> None:
    from deployment.models import (
        Absence,
        AbsenceHealth,
        Appointment,
        Candidate,
        Interview,
        PreEmploymentCheck,
        ReserveEntry,
    )

    candidacies = archive.add("candidacies", Candidate.objects.filter(person_id=person.pk))
    archive.add(
        "interviews",
        Interview.objects.filter(candidate_id__in=candidacies),
        private={"notes": "panel_notes"},
    )
    archive.add("reserve_list", ReserveEntry.objects.filter(person_id=person.pk))
    appointments = Appointment.objects.filter(person_id=person.pk)
    ids = archive.add("appointments", appointments)
    archive.rows(
        "leaving",
        appointments.filter(ended_on__isnull=False).values(
            "id", "status", "ended_on", "leaving_reason__label", "leaving_reason__category"
        ),
    )
    archive.add("checks", PreEmploymentCheck.objects.filter(appointment_id__in=ids))
    absences = archive.add("absences", Absence.objects.filter(appointment_id__in=ids))
    archive.add("absence_health", AbsenceHealth.objects.filter(absence_id__in=absences))


def register() -> None:
    from deployment import subject_access_in_post

    subject_access_in_post.register()
    register_contribution("deployment", models=MODELS, person=person_records)
    why = "Names only the member of staff who recorded it, not a person it is about."
    for label in (
        "deployment.Vacancy",
        "deployment.RecruitmentDay",
        "deployment.PostConversion",
        "deployment.Panel",
    ):
        mark_not_exported(label, why)
