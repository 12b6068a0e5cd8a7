"""Training's part of a subject access request: a person's enrolments,
attendance, tutorials, portfolio drafts (with their feedback) and final
portfolios with their files, and the assessments and marks that decided
them; for a staff user, the courses and sessions they facilitate."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from peerprog.core.privacy.subject_access import Archive, mark_not_exported
from peerprog.core.privacy.subject_access import register as register_contribution

MODELS = (
    "training.Enrolment",
    "training.Attendance",
    "training.Tutorial",
    "training.PortfolioDraft",
    "training.PortfolioSubmission",
    "training.Assessment",
    "training.CriterionMark",
    "training.CohortTraining",
    "training.CourseSession",
)


def person_records(archive: Archive, person: Any) -> None:
    from training.models import (
        Assessment,
        Attendance,
        CriterionMark,
        Enrolment,
        PortfolioDraft,
        PortfolioSubmission,
        Tutorial,
    )

    enrolments = archive.add("enrolments", Enrolment.objects.filter(person_id=person.pk))
    archive.add("attendance", Attendance.objects.filter(enrolment_id__in=enrolments))
    archive.add("tutorials", Tutorial.objects.filter(enrolment_id__in=enrolments))
    drafts = PortfolioDraft.objects.filter(enrolment_id__in=enrolments)
    archive.add("portfolio_drafts", drafts)
    for draft in drafts.only("pk", "file", "file_name"):
        archive.file("portfolio_drafts", f"{draft.pk}-{draft.file_name}", draft.file.name)
    submissions = PortfolioSubmission.objects.filter(enrolment_id__in=enrolments)
    submitted = archive.add("portfolio_submissions", submissions)
    for submission in submissions.only("pk", "file", "file_name"):
        archive.file(
            "portfolio_submissions", f"{submission.pk}-{submission.file_name}", submission.file.name
        )
    assessments = archive.add(
        "portfolio_decisions", Assessment.objects.filter(submission_id__in=submitted)
    )
    archive.add("portfolio_marks", CriterionMark.objects.filter(assessment_id__in=assessments))


def user_records(archive: Archive, user: Any) -> None:
    from training.models import CohortTraining, CourseSession

    archive.add(
        "courses_facilitated",
        CohortTraining.objects.filter(Q(facilitator_id=user.pk) | Q(second_assessor_id=user.pk)),
        history=False,
    )
    archive.add(
        "sessions_facilitated",
        CourseSession.objects.filter(facilitator_id=user.pk),
        history=False,
    )


def register() -> None:
    register_contribution("training", models=MODELS, person=person_records, user=user_records)
    mark_not_exported(
        "training.CoFacilitator",
        "A session's co-facilitator by name and role, recorded with the session.",
    )
