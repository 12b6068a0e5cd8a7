"""Sensitive facts and reasonable adjustments: only programme leads and HR
read or write them, and every change through the pages names its author."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from peerprog.core.models import ReasonableAdjustment, SensitiveFacts, User
from tests.conftest import World
from tests.core.once_helpers import FormClient

REQUEST_TEXT = "Medication makes early mornings hard"
DETAILS_TEXT = "Anxiety; finds crowded rooms hard"
OTHER_ROLES = ["mentor", "supervisor", "admin", "facilitator", "assessor"]


def signed_in(user: User) -> Client:
    client = FormClient()
    client.force_login(user)
    return client


def sensitive_form(**values: str) -> dict[str, str]:
    form = {
        "disability": SensitiveFacts.Disclosure.YES,
        "disability_details": "Dyslexia",
        "ethnic_group": "99",
        "sex": "X",
        "gender_identity": "X",
        "sexual_orientation": "9",
        "religion_or_belief": "X",
        "age_band": "35-44",
    }
    form.update(values)
    return form


def adjustment_form(**values: str) -> dict[str, str]:
    form = {
        "kind": ReasonableAdjustment.Kind.MATERIALS,
        "request": "Reading long documents on screen is hard because of dyslexia",
        "practical_note": "Send packs on paper, in a large font",
        "is_active": "on",
    }
    form.update(values)
    return form


@pytest.mark.parametrize("persona", ["lead", "hr"])
def test_lead_and_hr_read_sensitive_facts_and_adjustment_requests(
    world: World, persona: str
) -> None:
    url = reverse("core:person-detail", kwargs={"pk": world.person.pk})

    page = signed_in(world.users[persona]).get(url).content.decode()

    assert DETAILS_TEXT in page
    assert REQUEST_TEXT in page


@pytest.mark.parametrize("persona", OTHER_ROLES)
def test_other_roles_never_see_the_request_or_the_disability(world: World, persona: str) -> None:
    client = signed_in(world.users[persona])
    urls = [
        reverse("core:person-detail", kwargs={"pk": world.person.pk}),
        reverse("core:person-sensitive", kwargs={"pk": world.person.pk}),
        reverse("core:adjustment-edit", kwargs={"pk": world.objects["adjustment"].pk}),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 403
        assert REQUEST_TEXT not in response.content.decode()
        assert DETAILS_TEXT not in response.content.decode()


def test_a_facilitator_cannot_record_sensitive_facts(world: World) -> None:
    url = reverse("core:person-sensitive", kwargs={"pk": world.person.pk})

    response = signed_in(world.users["facilitator"]).post(
        url, sensitive_form(disability_details="Written by a facilitator")
    )

    assert response.status_code == 403
    assert not SensitiveFacts.objects.filter(disability_details="Written by a facilitator")


def test_a_facilitator_cannot_add_or_change_an_adjustment(world: World) -> None:
    client = signed_in(world.users["facilitator"])
    adjustment = world.objects["adjustment"]

    added = client.post(
        reverse("core:adjustment-create", kwargs={"pk": world.person.pk}), adjustment_form()
    )
    changed = client.post(
        reverse("core:adjustment-edit", kwargs={"pk": adjustment.pk}),
        adjustment_form(request="Changed by a facilitator"),
    )

    assert (added.status_code, changed.status_code) == (403, 403)
    assert world.person.adjustments.count() == 1
    adjustment.refresh_from_db()
    assert adjustment.request == REQUEST_TEXT


def test_recording_sensitive_facts_through_the_page_names_the_lead_in_the_history(
    world: World, lead: User
) -> None:
    url = reverse("core:person-sensitive", kwargs={"pk": world.person.pk})

    response = signed_in(lead).post(url, sensitive_form())

    assert response.status_code == 302
    facts = SensitiveFacts.objects.get(person=world.person)
    assert facts.disability_details == "Dyslexia"
    latest = facts.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == lead


def test_adding_an_adjustment_through_the_page_names_hr_in_the_history(
    world: World, hr: User
) -> None:
    url = reverse("core:adjustment-create", kwargs={"pk": world.person.pk})

    response = signed_in(hr).post(url, adjustment_form())

    assert response.status_code == 302
    adjustment = world.person.adjustments.get(kind=ReasonableAdjustment.Kind.MATERIALS)
    created = adjustment.history.get()
    assert created.history_type == "+"
    assert created.history_user == hr


def test_changing_an_adjustment_through_the_page_names_the_lead_in_the_history(
    world: World, lead: User
) -> None:
    adjustment = world.objects["adjustment"]
    url = reverse("core:adjustment-edit", kwargs={"pk": adjustment.pk})

    response = signed_in(lead).post(url, adjustment_form(is_active=""))

    assert response.status_code == 302
    adjustment.refresh_from_db()
    assert adjustment.is_active is False
    latest = adjustment.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == lead


def test_changing_a_persons_details_names_the_author_in_the_history(world: World, hr: User) -> None:
    url = reverse("core:person-edit", kwargs={"pk": world.person.pk})

    signed_in(hr).post(
        url,
        {"first_name": "Ada", "last_name": "King", "email": world.person.email},
    )

    latest = world.person.history.latest()
    assert latest.last_name == "King"
    assert latest.history_user == hr


def test_an_adjustment_of_another_programme_is_not_found(world: World, hr: User) -> None:
    url = reverse("core:adjustment-edit", kwargs={"pk": world.objects["other_adjustment"].pk})

    response = signed_in(hr).post(url, adjustment_form(request="Changed from outside"))

    assert response.status_code == 404
    assert not ReasonableAdjustment.objects.filter(request="Changed from outside").exists()
