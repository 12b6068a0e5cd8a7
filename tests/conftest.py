"""Shared fixtures: two programmes and the personas who use them.

Personas (after healthchecks' Alice, Bob and Charlie): a programme lead, an
HR officer, a mentor with mentees and one without, a supervisor, an admin, a
facilitator, an assessor, a lead of another programme, a system
administrator, and anonymous. Later parts of the product give the mentor
mentees and the supervisor supervisees in ``world``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings

from peerprog.core import second_factor
from peerprog.core.models import Person, Programme, Role, User
from tests.core.factories import (
    AdjustmentFactory,
    NotificationFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    SensitiveFactsFactory,
    ServiceFactory,
    UserFactory,
)
from tests.core.once_helpers import FormClient
from tests.deployment.factories import add_deployment
from tests.readiness.factories import add_readiness
from tests.recruitment.world import add_recruitment

# The test mail server and the real-worker harness, with their fixtures.
pytest_plugins = ["tests.mailserver", "tests.workers"]

PERSONA_ROLES: dict[str, list[str]] = {
    "lead": [Role.PROGRAMME_LEAD],
    "hr": [Role.HR],
    "mentor": [Role.MENTOR],
    "mentor_without_mentees": [Role.MENTOR],
    "supervisor": [Role.SUPERVISOR],
    "admin": [Role.ADMIN],
    "facilitator": [Role.FACILITATOR],
    "assessor": [Role.ASSESSOR],
    "dpo": [Role.DATA_PROTECTION],
    "other_programme_lead": [Role.PROGRAMME_LEAD],
    # The programme's own people with accounts: their records (built by
    # tests.selfservice.world.people_world) make them trainees or peer
    # workers; only the peer worker who supervises others holds a role.
    "trainee": [],
    "trainee_other_cohort": [],
    "former_trainee": [],
    "peer_worker": [],
    "peer_worker_other_programme": [],
    "peer_worker_supervisor": [Role.SUPERVISOR],
}
PERSONAS = [*PERSONA_ROLES, "sysadmin", "anonymous"]
# The people personas' accounts carry names unlike any word on a page, so the
# programme-isolation crawl can look for them.
PERSONA_NAMES = {
    "trainee": "Tara Trainee",
    "trainee_other_cohort": "Owen Othercohort",
    "former_trainee": "Fran Former",
    "peer_worker": "Pip Peerworker",
    "peer_worker_other_programme": "Orla Otherprogramme",
    "peer_worker_supervisor": "Sam Supervisor-Peer",
}


@dataclass
class World:
    """Everything a test of access needs: two programmes, a persona per role,
    and records in each programme."""

    programme: Programme
    other_programme: Programme
    users: dict[str, User]
    person: Person
    other_person: Person
    objects: dict[str, Any] = field(default_factory=dict)


def build_programme() -> Programme:
    partner = OrganisationFactory(name="Partner Mind")
    programme = ProgrammeFactory(name="Test LXP programme")
    programme.partner_organisations.add(partner)
    return programme


def build_other_programme() -> Programme:
    return ProgrammeFactory(name="Other peer programme")


@pytest.fixture
def programme(db: Any) -> Programme:
    return build_programme()


@pytest.fixture
def other_programme(db: Any) -> Programme:
    return build_other_programme()


@pytest.fixture(autouse=True)
def _private_files(request: pytest.FixtureRequest, settings: Any, tmp_path: Any) -> None:
    """Portfolio files go to a temporary private directory in every test:
    the module's own for tests of ``module_world``, whose files were written
    when it was built."""
    if "module_world" in request.fixturenames:
        settings.PRIVATE_STORAGE_ROOT = request.getfixturevalue("module_private_files")
    else:
        settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _mail_only_through_the_outbox(settings: Any) -> None:
    """Every e-mail a test causes lands in ``mail.outbox`` as usual, but one
    not sent by the outbox fails the test (Django's test set-up would
    otherwise swap our checking backend for its own)."""
    settings.OUTBOX_ONLY_WRAPS = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_BACKEND = "peerprog.core.outbox.testing.OutboxOnlyBackend"


_django_force_login = Client.force_login


def force_login(
    self: Client, user: Any, backend: str | None = None, *, second_factor_passed: bool = True
) -> None:
    """Django's ``force_login``, leaving the session as a person's is after
    they have also entered the code from their authenticator app: tests of
    what a role may do start from a fully signed-in session. The
    second-factor middleware is as strict under tests as anywhere;
    ``second_factor_passed=False`` gives a session signed in with a password
    only (the half-signed-in persona, the second factor's own tests)."""
    _django_force_login(self, user, backend)
    if second_factor_passed:
        session = self.session
        session[second_factor.SESSION_KEY] = "totp"
        session.save()


@pytest.fixture(autouse=True)
def _signed_in_sessions_passed_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def world(programme: Programme, other_programme: Programme) -> World:
    return build_world(programme, other_programme)


@pytest.fixture(scope="module")
def module_private_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("private")


@pytest.fixture(scope="module")
def module_world(
    django_db_setup: None, django_db_blocker: Any, module_private_files: Path
) -> Iterator[World]:
    """``world`` built once for a whole test module, for modules that ask the
    same questions of it many times (the access-rule table, say).

    It is built inside a transaction rolled back when the module ends, so
    nothing of it reaches other modules. Each test of the module still runs
    in a savepoint of its own (mark it ``django_db``), rolled back after it,
    so a test that changes something does not change what the next one sees.
    Module-scoped fixtures that add to it run inside the same transaction.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PRIVATE_STORAGE_ROOT=module_private_files),
        transaction.atomic(),
    ):
        yield build_world(build_programme(), build_other_programme())
        transaction.set_rollback(True)


def build_world(programme: Programme, other_programme: Programme) -> World:
    users: dict[str, User] = {}
    for key, roles in PERSONA_ROLES.items():
        users[key] = UserFactory(
            email=f"{key}@example.org",
            full_name=PERSONA_NAMES.get(key, key.replace("_", " ").title()),
            programme=other_programme
            if key.startswith("other_programme") or key.endswith("other_programme")
            else programme,
            roles=roles,
        )
    users["sysadmin"] = UserFactory(
        email="sysadmin@example.org",
        full_name="System Admin",
        programme=None,
        is_superuser=True,
        is_staff=True,
    )
    person = PersonFactory(programme=programme, first_name="Ada", last_name="Lovelace")
    other_person = PersonFactory(programme=other_programme, first_name="Otto", last_name="Other")
    adjustment = AdjustmentFactory(person=person)
    SensitiveFactsFactory(person=person)
    other_adjustment = AdjustmentFactory(person=other_person)
    service = ServiceFactory(programme=programme, name="Willow Ward")
    other_service = ServiceFactory(programme=other_programme, name="Other Ward")
    notification = NotificationFactory(recipient=users["lead"], title="Check in with Ada")
    world = World(
        programme=programme,
        other_programme=other_programme,
        users=users,
        person=person,
        other_person=other_person,
        objects={
            "adjustment": adjustment,
            "other_adjustment": other_adjustment,
            "service": service,
            "other_service": other_service,
            "notification": notification,
        },
    )
    add_recruitment(world)
    add_deployment(world)
    add_readiness(world)
    return world


@pytest.fixture
def client() -> FormClient:
    """pytest-django's test client, posting create forms with the one-time
    token a browser would have been given (``tests.core.once_helpers``)."""
    return FormClient()


@pytest.fixture
def lead(world: World) -> User:
    return world.users["lead"]


@pytest.fixture
def hr(world: World) -> User:
    return world.users["hr"]


@pytest.fixture
def admin_user(world: World) -> User:
    return world.users["admin"]


@pytest.fixture(autouse=True)
def celery_tasks_run_in_the_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run Celery tasks in the test process when they are queued.

    The test command sets REDIS_URL, so the site queues tasks to Redis; with
    no worker running they would never run (and would pile up for the next
    worker). Tests marked ``worker`` start a real worker and keep queuing.
    """
    from peerprog.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _survey_link_failures_forgotten() -> None:
    """Each test starts with no failed survey links counted against the
    test client's address (the count lives in the shared cache)."""
    from django.core.cache import cache

    cache.delete("survey-link-failures:127.0.0.1")


@pytest.fixture(autouse=True)
def _applications_online_forgotten() -> None:
    """Each test starts with no online applications counted by the
    throttle (the counts live in the shared cache)."""
    from tests.recruitment.apply_support import forget_throttle

    forget_throttle()
