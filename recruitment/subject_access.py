"""Recruitment's part of a subject access request: a person's applications
and their timelines (every move between stages), and the information events
they came to."""

from __future__ import annotations

from typing import Any

from peerprog.core.privacy.subject_access import Archive
from peerprog.core.privacy.subject_access import register as register_contribution

MODELS = ("recruitment.Application", "recruitment.ApplicationMove")


def person_records(archive: Archive, person: Any) -> None:
    from recruitment.models import Application, ApplicationMove, InformationEvent

    applications = archive.add("applications", Application.objects.filter(person_id=person.pk))
    archive.add(
        "application_timelines",
        ApplicationMove.objects.filter(application_id__in=applications),
        history=False,
    )
    archive.add(
        "information_events",
        InformationEvent.objects.filter(attendees__in=applications).distinct(),
        history=False,
    )


def register() -> None:
    register_contribution("recruitment", models=MODELS, person=person_records)
