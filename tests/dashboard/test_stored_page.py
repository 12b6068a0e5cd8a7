"""The whole programme's dashboard is drawn at each refresh and read as one
row: the same page as added up from the cohorts' stored figures, and never
shown once those figures, the cohorts or the reader differ."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerprog.dashboard import stored_page
from peerprog.dashboard.models import CohortFigures, ProgrammeFigures
from peerprog.dashboard.services import dashboard_figures_refresh
from peerprog.devtools.demo import seed_demo
from recruitment.models import Cohort

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module (and removed after)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo()
            dashboard_figures_refresh(programme=ctx.programme)
            yield ctx
            transaction.set_rollback(True)


def _get(user, query: str = "") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("dashboard:programme") + query)
    assert response.status_code == 200
    # The page's own tokens differ from one response to the next.
    html = re.sub(
        r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", response.content.decode()
    )
    return re.sub(r"\s+", " ", html)


def _page(user, monkeypatch=None, *, drawn: bool = True, query: str = "") -> str:
    if drawn:
        return _get(user, query)
    assert monkeypatch is not None
    with monkeypatch.context() as patched:
        patched.setattr(stored_page, "stored_page", lambda **kwargs: None)
        return _get(user, query)


def _used(monkeypatch) -> list[bool]:
    used: list[bool] = []
    real = stored_page.stored_page

    def spy(**kwargs):
        page = real(**kwargs)
        used.append(page is not None)
        return page

    monkeypatch.setattr(stored_page, "stored_page", spy)
    return used


def test_the_whole_programme_page_is_the_one_added_up_from_the_cohorts(seeded, monkeypatch):
    lead = seeded.users["lead"]
    assert ProgrammeFigures.objects.filter(programme=seeded.programme).exists()
    added_up = _page(lead, monkeypatch, drawn=False)

    used = _used(monkeypatch)
    drawn = _page(lead)

    assert used == [True]
    assert drawn == added_up
    assert "Figures as of" in drawn


def test_a_filtered_page_adds_up_the_cohorts(seeded, monkeypatch):
    cohort = Cohort.objects.filter(programme=seeded.programme).first()
    used = _used(monkeypatch)

    _page(seeded.users["lead"], query=f"?cohort={cohort.pk}")

    assert used == [False]


def test_a_renamed_cohort_is_shown_by_its_new_name_before_the_next_refresh(seeded, monkeypatch):
    cohort = Cohort.objects.filter(programme=seeded.programme).first()
    Cohort.objects.filter(pk=cohort.pk).update(name="Renamed <cohort>")
    used = _used(monkeypatch)

    page = _page(seeded.users["lead"])

    assert used == [False]
    assert "Renamed &lt;cohort&gt;" in page


def test_figures_stored_again_without_the_page_are_not_read_from_it(seeded, monkeypatch):
    CohortFigures.objects.filter(programme=seeded.programme).update(
        refreshed_at=timezone.now() - timedelta(days=2)
    )
    used = _used(monkeypatch)

    _page(seeded.users["lead"])

    assert used == [False]


def test_a_reader_who_sees_other_reasons_is_not_shown_the_leads_page(seeded, monkeypatch):
    used = _used(monkeypatch)

    _page(seeded.users["admin"])

    assert used == [False]
