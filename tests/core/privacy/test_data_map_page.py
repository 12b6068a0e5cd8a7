"""The data map page and its CSV: generated from the declarations, every
declared field of every model holding personal data, for the officer and
admins only."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerprog.core.models import Role
from peerprog.core.privacy.datamap import map_entries, personal_declarations
from tests.core.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client() -> Client:
    client = Client()
    client.force_login(UserFactory(programme=ProgrammeFactory(), roles=[Role.DATA_PROTECTION]))
    return client


def test_the_csv_holds_every_declared_field_once(officer_client: Client) -> None:
    response = officer_client.get(reverse("core:data-map-csv"))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Record", "Table", "Field", "Category"]
    assert len(rows) - 1 == len(map_entries())
    listed = {(row[1], row[2]) for row in rows[1:]}
    assert ("core.SensitiveFacts", "disability details") in {(t, f.lower()) for t, f in listed}
    disability = next(r for r in rows if r[1] == "core.SensitiveFacts" and "disability" in r[2])
    assert disability[3] == "special-category"
    assert disability[7] == "blank"


def test_the_page_names_every_model_holding_personal_data(
    officer_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        page = officer_client.get(reverse("core:data-map")).content.decode()

    for declaration in personal_declarations():
        assert f"({declaration.model._meta.label})" in page
    assert "Download the data map (CSV)" in page


def test_a_lead_may_not_open_the_data_map() -> None:
    client = Client()
    client.force_login(UserFactory(programme=ProgrammeFactory(), roles=[Role.PROGRAMME_LEAD]))
    assert client.get(reverse("core:data-map")).status_code == 403
    assert client.get(reverse("core:data-map-csv")).status_code == 403
