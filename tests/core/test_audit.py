"""The audit trail page: who changed which record, never the values of
special-category facts, each programme's admins seeing only their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from peerprog.core import services
from peerprog.core.audit import acting_as, system_user
from peerprog.core.forms import SensitiveFactsForm
from peerprog.core.models import (
    Person,
    ReasonableAdjustment,
    Role,
    SensitiveFacts,
    Service,
    User,
)
from tests.conftest import World
from tests.core.factories import (
    AdjustmentFactory,
    PersonFactory,
    ProgrammeFactory,
    SensitiveFactsFactory,
    ServiceFactory,
    UserFactory,
)

AUDIT = reverse("core:audit")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_audit_trail_shows_who_changed_what(world: World, lead: User) -> None:
    lead.full_name = "Priya Shah"
    lead.save()
    signed_in(lead).post(
        reverse("core:person-edit", kwargs={"pk": world.person.pk}),
        {"first_name": "Ada", "last_name": "King", "email": world.person.email},
    )

    page = signed_in(world.users["admin"]).get(AUDIT).content.decode()

    assert "Priya Shah" in page
    assert "Last name: Lovelace → King" in page
    assert "Ada King: personal details" in page


def _facts_form(facts: SensitiveFacts) -> dict[str, Any]:
    """The sensitive-facts form as it stands, to change one answer."""
    return {
        name: value
        for name, value in model_to_dict(facts, fields=SensitiveFactsForm.Meta.fields).items()
        if value is not None
    }


def test_sensitive_facts_name_the_changed_field_but_never_its_value(
    world: World, lead: User
) -> None:
    signed_in(lead).post(
        reverse("core:person-sensitive", kwargs={"pk": world.person.pk}),
        {
            **_facts_form(world.person.sensitive),
            "disability": SensitiveFacts.Disclosure.YES,
            "disability_details": "Bipolar disorder",
        },
    )

    page = signed_in(world.users["admin"]).get(AUDIT).content.decode()

    assert "Disability details changed (value hidden)" in page
    assert "Bipolar disorder" not in page
    assert "Anxiety; finds crowded rooms hard" not in page


def test_adjustment_requests_name_the_changed_field_but_never_its_value(
    world: World, hr: User
) -> None:
    adjustment = world.objects["adjustment"]
    signed_in(hr).post(
        reverse("core:adjustment-edit", kwargs={"pk": adjustment.pk}),
        {
            "kind": adjustment.kind,
            "request": "Panic attacks on crowded trains",
            "practical_note": adjustment.practical_note,
            "is_active": "on",
        },
    )

    page = signed_in(world.users["admin"]).get(AUDIT).content.decode()

    assert "What was asked for and why changed (value hidden)" in page
    assert "Panic attacks on crowded trains" not in page
    assert "Medication makes early mornings hard" not in page


def test_a_programme_admin_sees_only_their_programmes_changes(world: World) -> None:
    services.person_update(
        person=world.other_person, by=world.users["other_programme_lead"], last_name="Zzyzx"
    )

    page = signed_in(world.users["admin"]).get(AUDIT).content.decode()

    assert "Zzyzx" not in page
    assert "Lovelace" in page


def test_a_system_administrator_sees_every_programmes_changes(world: World) -> None:
    services.person_update(
        person=world.other_person, by=world.users["other_programme_lead"], last_name="Zzyzx"
    )
    services.person_update(person=world.person, by=world.users["lead"], last_name="Byron")

    page = signed_in(world.users["sysadmin"]).get(AUDIT).content.decode()

    assert "Last name: Other → Zzyzx" in page
    assert "Last name: Lovelace → Byron" in page


def test_the_audit_trail_can_be_narrowed_to_one_kind_of_record(world: World) -> None:
    services.service_update(service=world.objects["service"], by=world.users["lead"], site="Hill")

    page = signed_in(world.users["admin"]).get(AUDIT, {"kind": "core.service"}).content.decode()

    assert "Site: (blank) → Hill" in page
    assert "Service: Willow Ward" in page
    assert "personal details" not in page


@dataclass
class SmallProgramme:
    """A programme with one record of each of the kernel's audited kinds,
    and nothing from the apps, so the kinds on the audit page are known."""

    admin: User
    lead: User
    person: Person
    facts: SensitiveFacts
    adjustment: ReasonableAdjustment
    service: Service

    def touch_every_kind(self) -> None:
        """One fresh change of each kind, so that the newest page of the
        trail holds the same kinds of record however long the trail is."""
        programme = self.person.programme
        programme.description = "Touched"
        programme.save()
        self.lead.job_title = "Touched"
        self.lead.save()
        for record, name in [
            (self.service, "site"),
            (self.adjustment, "practical_note"),
            (self.facts, "disability_details"),
            (self.person, "phone"),
        ]:
            setattr(record, name, "Touched")
            record.save()


@pytest.fixture
def small_programme(db: Any) -> SmallProgramme:
    programme = ProgrammeFactory()
    person = PersonFactory(programme=programme)
    return SmallProgramme(
        admin=UserFactory(programme=programme, roles=[Role.ADMIN]),
        lead=UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD]),
        person=person,
        facts=SensitiveFactsFactory(person=person),
        adjustment=AdjustmentFactory(person=person),
        service=ServiceFactory(programme=programme),
    )


# Session, user (with their programme) and roles; the list (one UNION over
# the history tables, with the names of the authors and of the people the
# records are about); one per kind of record changed on the page (six
# kinds); the staff in the "Changed by" filter (kept until an account
# changes, so with the version of the record of changes on this first
# view); the unread count; saving the session.
AUDIT_PAGE_QUERIES = 13


@pytest.mark.parametrize("changes", [10, 200])
def test_the_audit_page_costs_the_same_queries_however_long_the_trail(
    small_programme: SmallProgramme, changes: int, django_assert_num_queries: Any
) -> None:
    person = small_programme.person
    with acting_as(small_programme.lead):
        for number in range(changes):
            person.last_name = f"Name {number}"
            person.save()
        small_programme.touch_every_kind()
    client = signed_in(small_programme.admin)

    with django_assert_num_queries(AUDIT_PAGE_QUERIES):
        response = client.get(AUDIT)

    assert response.status_code == 200
    # Fifty rows: the six touched records and the newest renames (signing in
    # adds no row).
    assert response.content.decode().count("Last name: Name") == min(changes - 1, 44)


def test_writes_inside_acting_as_are_recorded_as_the_system_user(world: World) -> None:
    robot = system_user()

    with acting_as(robot):
        services.person_update(person=world.person, by=robot, phone="0161 496 0000")

    latest = world.person.history.latest()
    assert latest.history_user == robot
    assert latest.phone == "0161 496 0000"


def test_acting_as_ends_with_its_block(world: World) -> None:
    with acting_as(system_user()):
        pass

    services.person_update(person=world.person, by=world.users["lead"], phone="0161 496 0001")

    assert world.person.history.latest().history_user is None


def test_the_system_user_is_one_account_that_cannot_sign_in(db: Any) -> None:
    first = system_user()
    second = system_user()

    assert first.pk == second.pk
    assert first.is_system
    assert not first.is_active
    assert not first.has_usable_password() or not first.check_password("")


def test_scheduled_changes_are_shown_as_the_system_user_on_the_audit_page(
    world: World,
) -> None:
    robot = system_user()
    with acting_as(robot):
        services.person_update(person=world.person, by=robot, phone="0161 496 0002")

    page = signed_in(world.users["admin"]).get(AUDIT).content.decode()

    assert "peerprog (scheduled work)" in page
