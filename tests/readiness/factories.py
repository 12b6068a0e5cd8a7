"""Team-readiness records for tests: workshops, an instrument, rounds and
respondents with answers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from peerprog.core.models import Programme, Service, User
from readiness import services
from readiness.models import (
    PreparationWorkshop,
    SurveyAnswer,
    SurveyInstrument,
    SurveyRespondent,
    SurveyRound,
)
from readiness.services.survey import token_hash


def workshop(service: Service, by: User, *, held_on: date | None = None, **values: Any) -> Any:
    return services.workshop_record(
        service=service,
        by=by,
        held_on=held_on or timezone.localdate() - timedelta(days=30),
        delivered_by=values.pop("delivered_by", "Sam Rivers and Priya Shah"),
        co_delivered_by_peer=values.pop("co_delivered_by_peer", True),
        attendance=values.pop("attendance", {"nurse": 6, "hca": 4}),
        **values,
    )


def instrument(programme: Programme, by: User) -> SurveyInstrument:
    made = services.instrument_ensure_default(programme=programme, by=by)
    return made or SurveyInstrument.objects.filter(programme=programme).first()


def survey_round(
    programme: Programme, by: User, *, title: str = "Spring round", **values: Any
) -> SurveyRound:
    today = timezone.localdate()
    return services.round_create(
        programme=programme,
        instrument=values.pop("instrument", None) or instrument(programme, by),
        title=title,
        opens_on=values.pop("opens_on", today - timedelta(days=7)),
        closes_on=values.pop("closes_on", today + timedelta(days=21)),
        by=by,
        **values,
    )


_tokens = iter(range(1, 10**9))


def respondent(
    survey_round: SurveyRound,
    *,
    group: str = "peer_worker",
    setting: str = "acute_inpatient",
    organisation: Any = None,
    answers: dict[int, tuple[str, int]] | list[tuple[str, int]] | None = None,
    sent: bool = True,
) -> SurveyRespondent:
    """A respondent who sent (or saved) answers, written straight to the
    tables: ``answers`` gives (happening, importance) per question number,
    or one pair for every question."""
    token = f"test-token-{next(_tokens)}"
    person = SurveyRespondent.objects.create(
        round=survey_round,
        token_hash=token_hash(token=token),
        stakeholder_group=group,
        setting=setting,
        organisation=organisation,
        status=SurveyRespondent.Status.SUBMITTED if sent else SurveyRespondent.Status.DRAFT,
        submitted_at=timezone.now() if sent else None,
    )
    questions = list(survey_round.questions.order_by("number"))
    if isinstance(answers, list):
        pairs = {q.number: answers[0] for q in questions}
    else:
        pairs = answers or {q.number: ("yes", 3) for q in questions}
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            respondent=person,
            question=q,
            happening=pairs[q.number][0],
            importance=pairs[q.number][1],
        )
        for q in questions
        if q.number in pairs
    )
    return person


_instrument_numbers = iter(range(1, 10**9))


def small_instrument(programme: Programme, by: User, *, items: int = 2) -> SurveyInstrument:
    """An instrument of one domain and a few items, cheap to make."""
    made = services.instrument_create(
        programme=programme, name=f"Short conditions {next(_instrument_numbers)}", by=by
    )
    domain = services.domain_add(instrument=made, title="Support", by=by)
    for number in range(1, items + 1):
        services.item_add(domain=domain, wording=f"Condition {number} is in place.", by=by)
    return made


def readiness_objects(
    programme: Programme, *, service: Service, by: User, prefix: str = ""
) -> dict[str, Any]:
    made = small_instrument(programme, by)
    survey = survey_round(programme, by, instrument=made)
    domain = made.domains.first()
    return {
        f"{prefix}workshop": workshop(service, by),
        f"{prefix}instrument": made,
        f"{prefix}survey_domain": domain,
        f"{prefix}survey_item": domain.items.first(),
        f"{prefix}survey_round": survey,
    }


def add_readiness(world: Any) -> None:
    """Team readiness's records in ``world.objects``: a workshop, an
    instrument with a domain and an item, and a round, in the programme
    (made by its lead) and in the other programme."""
    world.objects.update(
        readiness_objects(world.programme, service=world.objects["service"], by=world.users["lead"])
    )
    world.objects.update(
        readiness_objects(
            world.other_programme,
            service=world.objects["other_service"],
            by=world.users["other_programme_lead"],
            prefix="other_",
        )
    )


__all__ = [
    "PreparationWorkshop",
    "add_readiness",
    "readiness_objects",
    "respondent",
    "survey_round",
    "workshop",
]
