"""Person specifications and scored interviews on the audit page."""

from __future__ import annotations


def register_scoring_audit() -> None:
    from deployment.models import (
        InterviewScore,
        PanelChair,
        PanelMemberLivedExperience,
        PersonSpecification,
        SpecCriterion,
        SpecDocument,
    )
    from peerprog.core import audit

    audit.register(PersonSpecification, programme_path="programme", label="Person specification")
    audit.register(
        SpecCriterion,
        programme_path="specification__programme",
        label="Person specification criterion",
    )
    audit.register(
        SpecDocument,
        programme_path="specification__programme",
        label="Job description or person specification document",
    )
    audit.register(PanelChair, programme_path="panel__day__programme", label="Panel chair")
    # Who brings lived experience of mental distress is special-category:
    # the trail names the kind of record and the fields, never whose it is.
    audit.register(
        PanelMemberLivedExperience,
        programme_path="member__panel__day__programme",
        sensitive=True,
        label="Panel member's lived experience",
        person_path="",
    )
    audit.register(
        InterviewScore,
        programme_path="interview__day__programme",
        label="Interview score",
    )
