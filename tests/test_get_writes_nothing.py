"""Opening a page changes nothing: every URL of the access-rule table, opened
with GET by every signed-in persona, leaves the number of rows of every
domain table as it was.

Rows that record the visit itself are left out: sessions, sign-in records,
the lock-out log, read logs (a wellbeing plan read, an export downloaded),
the beat schedule and the one-time form tokens.
"""

from __future__ import annotations

import logging
import time

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse

from tests.conftest import PERSONAS, World
from tests.recruitment.factories import CohortFactory
from tests.test_access_rules import RULES

DOMAIN_APPS = ("core", "recruitment", "training", "readiness", "deployment", "supervision")
# Records of a visit, not domain data.
NOT_DOMAIN = {
    "core.formtoken",
    "core.exportrecord",
    "core.readlog",
    # A subject access archive's download is audited in its request's history.
    "core.historicalsubjectaccessrequest",
    # Figures counted from the records and stored for the next view.
    "deployment.retentionfigures",
}
SIGN_IN_WORDS = ("signin", "sign_in", "login", "session")

pytestmark = pytest.mark.django_db


def domain_tables() -> list[str]:
    tables: list[str] = []
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            name = model._meta.label_lower
            if name in NOT_DOMAIN or any(word in name for word in SIGN_IN_WORDS):
                continue
            tables.append(model._meta.db_table)
    return sorted(set(tables))


def row_counts(tables: list[str]) -> dict[str, int]:
    """Every table's row count, in one query."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT '{table}', COUNT(*) FROM {quote(table)}"  # noqa: S608 (our own table names)
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def test_the_table_list_covers_every_domain_app() -> None:
    tables = domain_tables()

    assert "training_cohorttraining" in tables
    assert "core_historicaluser" in tables
    assert "core_formtoken" not in tables


def test_opening_every_page_as_every_persona_writes_no_domain_row(module_world: World) -> None:
    started = time.monotonic()
    world = module_world
    tables = domain_tables()
    clients: dict[str, Client] = {}
    for persona in PERSONAS:
        if persona == "anonymous":
            continue
        client = Client()
        client.force_login(world.users[persona])
        clients[persona] = client
    urls = {
        name: reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
        for name, rule in sorted(RULES.items())
    }
    # A cohort as it is just after it is made: nothing of the later apps
    # (training settings, mentoring settings) exists for it yet. Every page
    # of a cohort is opened for it too.
    fresh = CohortFactory(programme=world.programme, name="Cohort just made")
    for name, url in list(urls.items()):
        if "cohorts/<int:pk>/" in resolve(url).route:
            urls[f"{name} (new cohort)"] = reverse(name, kwargs={"pk": fresh.pk})
    changed: list[str] = []
    built = time.monotonic() - started
    slowest: list[tuple[float, str]] = []
    counting = 0.0
    before = row_counts(tables)
    # Refusals are logged with their tracebacks; writing thousands of them
    # is most of the walk's time, and says nothing here.
    logging.disable(logging.WARNING)
    try:
        for name, url in urls.items():
            tick = time.monotonic()
            for client in clients.values():
                client.get(url)
            slowest.append((time.monotonic() - tick, name))
            tick = time.monotonic()
            after = row_counts(tables)
            counting += time.monotonic() - tick
            grown = {
                table: after[table] - before[table]
                for table in tables
                if after[table] != before[table]
            }
            if grown:
                changed.append(f"{name} ({url}): {grown}")
            before = after
    finally:
        logging.disable(logging.NOTSET)
    elapsed = time.monotonic() - started
    print(
        f"built in {built:.1f}s; counted in {counting:.1f}s; walked in {elapsed:.1f}s",
        sorted(slowest)[-8:],
    )

    assert any("(new cohort)" in name for name in urls)
    assert changed == []


def test_opening_the_leaver_form_creates_no_leaving_reasons(db: None) -> None:
    """A programme has its leaving reasons from its first appointment: the
    leaver form offers them without making them."""
    from deployment import services as deployment
    from deployment.models import LeavingReason
    from peerprog.core.models import Role
    from tests.core.factories import (
        PersonFactory,
        ProgrammeFactory,
        ServiceFactory,
        UserFactory,
    )
    from tests.deployment.factories import PeerPostFactory

    programme = ProgrammeFactory()
    hr = UserFactory(programme=programme, roles=[Role.HR])
    appointment = deployment.appointment_create(
        person=PersonFactory(programme=programme),
        post=PeerPostFactory(service=ServiceFactory(programme=programme)),
        by=hr,
    )
    reasons = LeavingReason.objects.filter(programme=programme).count()
    client = Client()
    client.force_login(hr)

    page = client.get(reverse("deployment:appointment-leave", args=[appointment.pk]))

    assert page.status_code == 200
    assert "Paid employment elsewhere" in page.content.decode()
    assert LeavingReason.objects.filter(programme=programme).count() == reasons > 0
