"""The team-readiness part of the demo data set: preparation workshops for
most of the study's services (some long ago, so the warning shows), the
suggested survey instrument, and one completed survey round with plausible
answers from every stakeholder group.

The answers follow the pattern the study of new peer worker roles found:
recruitment, role training, team and line-management support and strategic
support mostly in place; pay parity, promotion routes, leadership from the
communities served, shared understanding of the role and training for the
receiving teams patchy, and all of them important to people. Commissioners
are three, fewer than five, so the results page shows them suppressed.

Run by ``peerprog.devtools.demo`` as one of its steps; does nothing the
second time.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from peerprog.core.models import Organisation
from readiness import services
from readiness.models import (
    PreparationWorkshop,
    SurveyAnswer,
    SurveyInstrument,
    SurveyRespondent,
    SurveyRound,
)
from readiness.services.survey import token_hash

ROUND_TITLE = "Baseline conditions survey"

# (service, months ago, delivered by, co-delivered by a peer, counts by role)
WORKSHOPS = [
    ("Willow Ward", 27, "Sam Rivers and Priya Shah", True, {"nurse": 9, "hca": 7, "manager": 1}),
    ("Willow Ward", 4, "Sam Rivers", True, {"nurse": 6, "hca": 5, "doctor": 1}),
    ("Cedar Ward", 27, "Priya Shah", False, {"nurse": 8, "hca": 6}),
    ("Rowan House Rehabilitation", 8, "Sam Rivers and Priya Shah", True, {"nurse": 5, "hca": 4}),
    (
        "Eastgate Community Mental Health Team",
        5,
        "Sam Rivers and Ruth Adeyemi",
        True,
        {"nurse": 7, "therapist": 3, "social_worker": 2, "manager": 1},
    ),
    ("Early Intervention in Psychosis", 2, "Sam Rivers", True, {"nurse": 4, "therapist": 2}),
]

# Items whose wording names a weak spot: less often in place.
WEAK = (
    "paid the same",
    "promotion",
    "communities",
    "shares an understanding",
    "receive peer workers are trained",
    "Commissioners understand",
)

# (group, how many, settings to spread over, from the partner organisation)
RESPONDENTS = [
    ("peer_worker", 7, ["acute_inpatient", "rehab_inpatient", "community"], False),
    ("service_user", 8, ["acute_inpatient", "community", "bme_specific"], True),
    ("non_peer_staff", 10, ["acute_inpatient", "community"], False),
    ("line_manager", 6, ["acute_inpatient", "community"], False),
    ("strategic_manager", 5, ["other"], False),
    ("commissioner", 3, ["other"], False),
]


def _happening(rng: random.Random, weak: bool, group: str) -> str:
    roll = rng.random()
    if group == "service_user" and roll < 0.2:
        return "dont_know"
    if weak:
        return "no" if roll < 0.55 else "partly" if roll < 0.85 else "yes"
    return "yes" if roll < 0.6 else "partly" if roll < 0.85 else "no"


def _importance(rng: random.Random, weak: bool) -> int:
    return rng.choice([3, 4, 4, 4] if weak else [2, 3, 3, 4])


def seed_readiness(ctx: Any) -> None:
    """The readiness step of ``seed_demo`` (``ctx`` is its DemoContext)."""
    programme = ctx.programme
    if SurveyRound.objects.filter(programme=programme, title=ROUND_TITLE).exists():
        return
    lead = ctx.users["lead"]
    today = ctx.today
    if not PreparationWorkshop.objects.filter(programme=programme).exists():
        for service_name, months, delivered_by, peer, counts in WORKSHOPS:
            services.workshop_record(
                service=ctx.services[service_name],
                by=lead,
                held_on=ctx.months_ago(months, day=12),
                delivered_by=delivered_by,
                co_delivered_by_peer=peer,
                topic_role=True,
                topic_lived_experience=peer,
                topic_boundaries=True,
                topic_referrals_notes=months < 12,
                topic_supervision=True,
                attendance=counts,
            )
    instrument = services.instrument_ensure_default(programme=programme, by=lead)
    instrument = instrument or SurveyInstrument.objects.filter(programme=programme).first()
    survey_round = services.round_create(
        programme=programme,
        instrument=instrument,
        title=ROUND_TITLE,
        opens_on=today - timedelta(days=75),
        closes_on=today - timedelta(days=45),
        by=lead,
    )
    questions = list(survey_round.questions.select_related("item_version"))
    weak = {
        question.pk: any(mark in question.item_version.wording for mark in WEAK)
        for question in questions
    }
    rng = random.Random(2014)
    trust = programme.lead_organisation
    partner = programme.partner_organisations.order_by("pk").first() or trust
    sent_at = timezone.now() - timedelta(days=50)
    answers = []
    count = 0
    for group, how_many, settings, from_partner in RESPONDENTS:
        for number in range(how_many):
            setting = settings[number % len(settings)]
            organisation: Organisation = (
                partner if from_partner and setting == "bme_specific" else trust
            )
            respondent = SurveyRespondent.objects.create(
                round=survey_round,
                # A random token nobody will ever hold: the demo's links are spent.
                token_hash=token_hash(token=f"demo-{rng.random()}-{count}"),
                status=SurveyRespondent.Status.SUBMITTED,
                stakeholder_group=group,
                setting=setting,
                organisation=organisation,
                submitted_at=sent_at,
            )
            count += 1
            for question in questions:
                answers.append(
                    SurveyAnswer(
                        respondent=respondent,
                        question=question,
                        happening=_happening(rng, weak[question.pk], group),
                        importance=_importance(rng, weak[question.pk]),
                    )
                )
    SurveyAnswer.objects.bulk_create(answers, batch_size=500)
    ctx.lines.append(
        f"Team readiness: {len(WORKSHOPS)} preparation workshops and the survey round "
        f"“{ROUND_TITLE}” with {count} responses."
    )
