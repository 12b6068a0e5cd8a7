"""Person specifications and scored interviews, for tests and the
access-rule table: built on first use and kept on the world."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from deployment.models import SpecCriterion, SpecDocument
from deployment.services import person_spec as spec_services
from tests.training.factories import upload


def _build(world: Any, prefix: str) -> dict[str, Any]:
    by = world.users["hr"] if not prefix else world.users["other_programme_lead"]
    post = world.objects[f"{prefix}vacancy"].post
    criterion = spec_services.spec_criterion_add(
        post=post, kind=SpecCriterion.Kind.ESSENTIAL, text="Lived experience of recovery", by=by
    )
    document = spec_services.spec_document_upload(
        post=post,
        kind=SpecDocument.Kind.JOB_DESCRIPTION,
        upload=upload("job description.pdf"),
        by=by,
    )
    return {f"{prefix}spec_criterion": criterion, f"{prefix}spec_document": document}


def scoring_object(world: Any, name: str) -> Any:
    if "scoring" not in world.objects:
        built: dict[str, Any] = {}
        built.update(_build(world, ""))
        built.update(_build(world, "other_"))
        world.objects["scoring"] = built
    return world.objects["scoring"][name]


def scoring_pk(name: str) -> Callable[[Any], dict[str, Any]]:
    def kwargs(world: Any) -> dict[str, Any]:
        return {"pk": scoring_object(world, name).pk}

    return kwargs


def scored_day(
    programme: Any, hr: Any, *, members: int = 2, criteria: int = 2, candidates: int = 1
) -> dict[str, Any]:
    """A vacancy whose post has ``criteria`` essential criteria, a recruitment
    day with one panel of ``members`` members (no accounts), and
    ``candidates`` interviews for the vacancy before that panel."""
    from datetime import time

    from deployment.models import PanelMember
    from tests.core.factories import ServiceFactory
    from tests.deployment.factories import (
        CandidateFactory,
        InterviewFactory,
        PanelFactory,
        PeerPostFactory,
        RecruitmentDayFactory,
        VacancyFactory,
    )

    vacancy = VacancyFactory(post=PeerPostFactory(service=ServiceFactory(programme=programme)))
    found = [
        spec_services.spec_criterion_add(
            post=vacancy.post, kind=SpecCriterion.Kind.ESSENTIAL, text=f"Criterion {n}", by=hr
        )
        for n in range(1, criteria + 1)
    ]
    day = RecruitmentDayFactory(programme=programme, created_by=hr)
    panel = PanelFactory(day=day, name="Panel A")
    people = [
        PanelMember.objects.create(panel=panel, name=f"Member {n}") for n in range(1, members + 1)
    ]
    interviews = [
        InterviewFactory(
            day=day,
            panel=panel,
            candidate=CandidateFactory(vacancy=vacancy),
            starts_at=time(9 + n // 60, n % 60),
        )
        for n in range(candidates)
    ]
    return {
        "vacancy": vacancy,
        "criteria": found,
        "day": day,
        "panel": panel,
        "members": people,
        "interviews": interviews,
    }
