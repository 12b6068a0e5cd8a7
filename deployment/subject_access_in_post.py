"""Deployment's part of a subject access request for people in post: their
weeks of activity, induction checklist, training records and the scores
their interviews were given."""

from __future__ import annotations

from typing import Any

from peerprog.core.privacy.subject_access import Archive, mark_not_exported
from peerprog.core.privacy.subject_access import register as register_contribution

MODELS = (
    "deployment.ActivityWeek",
    "deployment.ActivityLine",
    "deployment.InductionItem",
    "deployment.TrainingRecord",
    "deployment.InterviewScore",
)


def person_records(archive: Archive, person: Any) -> None:
    from deployment.models import (
        ActivityLine,
        ActivityWeek,
        InductionItem,
        InterviewScore,
        TrainingRecord,
    )

    weeks = archive.add(
        "activity_weeks", ActivityWeek.objects.filter(appointment__person_id=person.pk)
    )
    archive.add("activity_lines", ActivityLine.objects.filter(week_id__in=weeks), history=False)
    archive.add("induction", InductionItem.objects.filter(appointment__person_id=person.pk))
    archive.add("training_records", TrainingRecord.objects.filter(person_id=person.pk))
    archive.add(
        "interview_scores",
        InterviewScore.objects.filter(interview__candidate__person_id=person.pk),
    )


def register() -> None:
    register_contribution("deployment_in_post", models=MODELS, person=person_records)
    why = "Names only the member of staff who recorded it, not a person it is about."
    for label in (
        "deployment.PersonSpecification",
        "deployment.SpecCriterion",
        "deployment.SpecDocument",
        "deployment.PanelChair",
    ):
        mark_not_exported(label, why)
    mark_not_exported(
        "deployment.PanelMemberLivedExperience",
        "About an interview panel member, who is not a person on the programme; "
        "the member's own request is answered from the panel's records by hand.",
    )
