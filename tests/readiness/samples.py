"""Valid posts to team readiness's create pages (``peerprog.core.once``)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from importlib import import_module

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from peerprog.core.models import Role
from readiness import services
from readiness.models import (
    PreparationWorkshop,
    SurveyAnswer,
    SurveyDomain,
    SurveyInstrument,
    SurveyItem,
    SurveyRound,
)
from readiness.services.survey import token_hash
from readiness.views.survey_answer import SESSION_KEY
from tests.conftest import World
from tests.core.factories import ProgrammeFactory, UserFactory
from tests.core.once_helpers import Sample


def workshop(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("readiness:workshop-create", args=[world.objects["service"].pk]),
        data={
            "held_on": timezone.localdate().isoformat(),
            "delivered_by": "Lead LXP, once",
            "topic_role": "on",
            "staff_names": "",
            "attended_nurse": "5",
        },
        model=PreparationWorkshop,
    )


def instrument(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("readiness:instrument-create"),
        data={"name": "Conditions, once", "description": ""},
        model=SurveyInstrument,
    )


def domain(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("readiness:domain-create", args=[world.objects["instrument"].pk]),
        data={"title": "Leadership, once"},
        model=SurveyDomain,
    )


def item(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("readiness:item-create", args=[world.objects["survey_domain"].pk]),
        data={"wording": "Peer workers are asked, once.", "is_active": "on"},
        model=SurveyItem,
    )


def survey_round(world: World) -> Sample:
    today = timezone.localdate()
    return Sample(
        user="lead",
        url=reverse("readiness:round-create", args=[world.objects["instrument"].pk]),
        data={
            "title": "Autumn round, once",
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=21)).isoformat(),
        },
        model=SurveyRound,
    )


def survey_link_opened(token: str) -> dict[str, str]:
    """The cookies of a browser that has opened the survey link ``token``."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = token_hash(token=token)
    store.create()
    return {settings.SESSION_COOKIE_NAME: store.session_key}


def survey_answer(world: World) -> Sample:
    """A respondent sends their answers by their link, without signing in:
    one answer to each question."""
    survey = world.objects["survey_round"]
    token = services.respondent_links_create(survey_round=survey, count=1, by=world.users["lead"])[
        0
    ]
    data = {"stakeholder_group": "service_user", "setting": "community", "send": "1"}
    questions = list(survey.questions.all())
    for question in questions:
        data[f"q{question.pk}_happening"] = "partly"
        data[f"q{question.pk}_importance"] = "4"
    return Sample(
        user=None,
        url=reverse("readiness:survey-form"),
        data=data,
        model=SurveyAnswer,
        cookies=survey_link_opened(token),
        new_rows=len(questions),
        count=partial(SurveyAnswer.objects.filter(respondent__round=survey).count),
    )


def suggested_instrument(world: World) -> Sample:
    """The button on the survey page of a programme with no instrument yet."""
    programme = ProgrammeFactory(name="Programme without an instrument")
    world.users["lead_without_instrument"] = UserFactory(
        email="lead.without.instrument@example.org",
        programme=programme,
        roles=[Role.PROGRAMME_LEAD],
    )
    return Sample(
        user="lead_without_instrument",
        page=reverse("readiness:surveys"),
        url=reverse("readiness:instrument-add-default"),
        data={},
        model=SurveyInstrument,
    )
