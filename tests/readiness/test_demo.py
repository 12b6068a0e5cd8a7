"""The readiness step of the demo data set: workshops and one completed
survey round with every stakeholder group, one of them too small to show."""

from __future__ import annotations

import pytest
from django.db.models import Count

from peerprog.devtools.demo import seed_demo
from readiness import results as survey_results
from readiness import selectors as readiness
from readiness.models import SurveyRespondent, SurveyRound
from tests.demo_once import seed_demo_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo_once()
            yield ctx
            transaction.set_rollback(True)


def test_one_completed_round_with_every_stakeholder_group(seeded):
    survey_round = SurveyRound.objects.get(programme=seeded.programme)
    groups = dict(
        SurveyRespondent.objects.filter(round=survey_round, status="submitted")
        .values_list("stakeholder_group")
        .annotate(n=Count("pk"))
    )

    assert set(groups) == {
        "peer_worker",
        "service_user",
        "non_peer_staff",
        "line_manager",
        "strategic_manager",
        "commissioner",
    }
    assert [group for group, n in groups.items() if n < 5] == ["commissioner"]
    assert survey_round.closes_on < seeded.today


def test_the_demo_gaps_are_the_studys_weak_spots(seeded):
    survey_round = SurveyRound.objects.get(programme=seeded.programme)
    gaps = survey_results.round_results(survey_round=survey_round).gaps[:4]

    wording = " ".join(item.question.item_version.wording for item in gaps)
    assert any(mark in wording for mark in ("paid the same", "promotion", "communities"))


def test_some_services_were_prepared_and_some_were_not(seeded):
    rows = readiness.service_readiness_list(user=seeded.users["lead"], today=seeded.today)

    assert any(row.prepared for row in rows)
    assert any(not row.prepared for row in rows)


def test_seeding_twice_adds_no_second_round(seeded):
    seed_demo()

    assert SurveyRound.objects.filter(programme=seeded.programme).count() == 1
