"""Team readiness's move out of deployment keeps what is stored and what was
sent: a database with readiness data in deployment's schema migrates to the
readiness app with every row readable, the same content type ids, and a
survey link e-mailed before the move still opening the survey."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps as live_apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from readiness.models import (
    PreparationWorkshop,
    SurveyInstrument,
    SurveyRespondent,
    SurveyRound,
)
from readiness.services.survey import token_hash
from tests.core.factories import ProgrammeFactory, ServiceFactory, UserFactory

# The schema just before the move: deployment's readiness tables, no
# readiness app.
BEFORE_THE_MOVE = [("deployment", "0003_readiness"), ("readiness", None)]
TOKEN = "an-old-link-e-mailed-before-the-move-1234567"


def _migrate(targets: list[tuple[str, str | None]] | None = None) -> Any:
    """Migrate to ``targets`` (the latest when None) and return the state's
    apps there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def _readiness_data_in_deployment(old: Any, *, programme: Any, service: Any, user: Any) -> dict:
    """Readiness records made through deployment's models as they were."""

    def model(name: str) -> Any:
        return old.get_model("deployment", name)

    today = timezone.localdate()
    now = timezone.now()
    workshop = model("PreparationWorkshop").objects.create(
        programme_id=programme.pk,
        service_id=service.pk,
        held_on=today - timedelta(days=30),
        delivered_by="Sam Rivers",
        recorded_by_id=user.pk,
    )
    model("HistoricalPreparationWorkshop").objects.create(
        id=workshop.pk,
        programme_id=programme.pk,
        service_id=service.pk,
        held_on=workshop.held_on,
        delivered_by=workshop.delivered_by,
        recorded_by_id=user.pk,
        created_at=workshop.created_at,
        history_date=now,
        history_type="+",
        history_user_id=user.pk,
    )
    instrument = model("SurveyInstrument").objects.create(
        programme_id=programme.pk, name="Conditions before the move"
    )
    domain = model("SurveyDomain").objects.create(instrument=instrument, title="Support")
    item = model("SurveyItem").objects.create(domain=domain, wording="Supervision is regular.")
    version = model("SurveyItemVersion").objects.create(
        item=item, number=1, wording=item.wording, created_by_id=user.pk
    )
    survey_round = model("SurveyRound").objects.create(
        programme_id=programme.pk,
        instrument=instrument,
        title="Round sent before the move",
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=21),
        created_by_id=user.pk,
    )
    survey_round.services.add(service.pk)
    history = model("HistoricalSurveyRound").objects.create(
        id=survey_round.pk,
        programme_id=programme.pk,
        instrument_id=instrument.pk,
        title=survey_round.title,
        opens_on=survey_round.opens_on,
        closes_on=survey_round.closes_on,
        created_by_id=user.pk,
        created_at=survey_round.created_at,
        history_date=now,
        history_type="+",
    )
    through = survey_round.services.through.objects.get(surveyround_id=survey_round.pk)
    model("HistoricalSurveyRound_services").objects.create(
        id=through.pk, history=history, surveyround_id=survey_round.pk, service_id=service.pk
    )
    model("RoundQuestion").objects.create(
        round=survey_round, item=item, item_version=version, domain_title="Support", number=1
    )
    respondent = model("SurveyRespondent").objects.create(
        round=survey_round, token_hash=token_hash(token=TOKEN)
    )
    return {
        "workshop": workshop.pk,
        "instrument": instrument.pk,
        "round": survey_round.pk,
        "respondent": respondent.pk,
    }


def _deployment_content_types(old: Any) -> dict[str, int]:
    """The moved models' content type ids under deployment, made if the
    database has none yet (as a database that never ran post_migrate)."""
    content_type = old.get_model("contenttypes", "ContentType")
    return {
        name: content_type.objects.get_or_create(app_label="deployment", model=name)[0].pk
        for name in ("preparationworkshop", "surveyinstrument", "surveyround", "surveyrespondent")
    }


@pytest.mark.django_db(transaction=True)
def test_readiness_data_survives_the_move_out_of_deployment() -> None:
    programme = ProgrammeFactory()
    service = ServiceFactory(programme=programme, name="Willow Ward")
    user = UserFactory(programme=programme)
    try:
        old = _migrate(BEFORE_THE_MOVE)
        made = _readiness_data_in_deployment(old, programme=programme, service=service, user=user)
        content_types = _deployment_content_types(old)
        permission = old.get_model("auth", "Permission").objects.get_or_create(
            content_type_id=content_types["surveyround"],
            codename="view_surveyround",
            defaults={"name": "Can view survey round"},
        )[0]
    finally:
        _migrate()
    ContentType.objects.clear_cache()

    workshop = PreparationWorkshop.objects.get(pk=made["workshop"])
    assert workshop.service == service and workshop.delivered_by == "Sam Rivers"
    assert workshop.history.get().history_type == "+"
    assert SurveyInstrument.objects.get(pk=made["instrument"]).domains.get().items.count() == 1
    survey_round = SurveyRound.objects.get(pk=made["round"])
    assert list(survey_round.services.all()) == [service]
    services_history = live_apps.get_model("readiness", "HistoricalSurveyRound_services")
    assert services_history.objects.get(history__id=survey_round.pk).service_id == service.pk
    assert SurveyRespondent.objects.get(token_hash=token_hash(token=TOKEN)).pk == made["respondent"]

    for name, pk in content_types.items():
        moved = ContentType.objects.get(pk=pk)
        assert (moved.app_label, moved.model) == ("readiness", name)
    assert not ContentType.objects.filter(app_label="deployment", model__in=content_types)
    assert ContentType.objects.get_for_model(SurveyRound).pk == content_types["surveyround"]
    assert Permission.objects.get(pk=permission.pk).content_type.app_label == "readiness"

    client = Client()
    old_link = client.get(f"/deployment/survey/{TOKEN}/")
    assert old_link.status_code == 301
    assert old_link["Location"] == f"/readiness/survey/{TOKEN}/"
    opened = client.get(old_link["Location"])
    assert opened.status_code == 302
    page = client.get(opened["Location"])
    assert page.status_code == 200
    assert "Round sent before the move" in page.content.decode()
    assert "Supervision is regular." in page.content.decode()
