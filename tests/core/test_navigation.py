"""The menu: each role's pages grouped by the journey, only the groups and
entries its roles can use, and the section of the page shown marked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from peerprog.core.navigation import (
    GROUPS,
    current_entry,
    entries_for,
    entries_for_role,
    sections_for,
)
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _labels(user: Any) -> dict[str, list[str]]:
    return {
        section.label: [entry.label for entry in section.entries]
        for section in sections_for(user, reverse("core:home"))
    }


def test_every_entry_belongs_to_a_group_of_the_journey(world: World) -> None:
    for persona in ("lead", "hr", "admin", "mentor", "supervisor", "facilitator", "assessor"):
        for entry in entries_for(world.users[persona]):
            assert entry.group in GROUPS, entry.label


def test_a_lead_sees_the_journey_in_order(world: World) -> None:
    menu = _labels(world.users["lead"])

    assert list(menu) == ["People", "Recruit", "Train", "Employ", "Support", "Reports", "Admin"]
    assert menu["Recruit"] == ["Cohorts", "Applications"]
    assert "Trainees at risk" in menu["Train"]
    assert "Staff and roles" not in menu["Admin"]


def test_a_mentor_sees_only_their_own_group(world: World) -> None:
    assert _labels(world.users["mentor"]) == {"Support": ["My mentees"]}


def test_an_admin_sees_no_people_or_support_group(world: World) -> None:
    menu = _labels(world.users["admin"])

    assert "People" not in menu and "Support" not in menu
    assert menu["Admin"][:2] == ["Programme", "Staff and roles"]


def test_the_home_page_list_of_a_role_is_unchanged(world: World) -> None:
    labels = [entry.label for entry in entries_for_role(world.users["hr"], "HR")]

    assert labels[:3] == ["People", "Cohorts", "Applications"]


def test_the_section_of_the_page_shown_is_marked(client: Any, world: World) -> None:
    client.force_login(world.users["lead"])
    url = reverse("recruitment:application-detail", args=[world.objects["application"].pk])

    html = client.get(url).content.decode()

    recruit = re.search(r'<button[^>]*id="nav-recruit"[^>]*>', html)
    assert recruit is not None and 'aria-current="true"' in recruit.group(0)
    train = re.search(r'<button[^>]*id="nav-train"[^>]*>', html)
    assert train is not None and "aria-current" not in train.group(0)


def test_the_entry_of_the_page_shown_is_the_current_page(client: Any, world: World) -> None:
    client.force_login(world.users["lead"])

    html = client.get(reverse("recruitment:application-list")).content.decode()

    assert re.search(r'aria-current="page">Applications</a>', html)


def test_nothing_is_marked_on_the_home_page(client: Any, world: World) -> None:
    client.force_login(world.users["admin"])

    html = client.get(reverse("core:home")).content.decode()

    assert 'aria-current="true"' not in html


def test_hr_and_leads_find_inductions_and_training_in_post_under_employ(world: World) -> None:
    for persona in ("hr", "lead"):
        employ = _labels(world.users[persona])["Employ"]

        assert employ[2:5] == ["Appointments", "Inductions", "Training in post"], persona


def test_mentors_and_supervisors_are_not_offered_inductions_or_training_in_post(
    world: World,
) -> None:
    for persona in ("mentor", "supervisor"):
        entries = {entry.label for entry in entries_for(world.users[persona])}

        assert not entries & {"Inductions", "Training in post"}, persona


@pytest.mark.parametrize(
    ("url_name", "entry"),
    [
        ("deployment:induction-template", "Inductions"),
        ("deployment:training-courses", "Training in post"),
    ],
)
def test_the_template_and_the_catalogue_belong_to_their_entry(
    client: Any, world: World, url_name: str, entry: str
) -> None:
    client.force_login(world.users["hr"])

    html = client.get(reverse(url_name)).content.decode()

    employ = re.search(r'<button[^>]*id="nav-employ"[^>]*>', html)
    assert employ is not None and 'aria-current="true"' in employ.group(0)
    current = current_entry(entries_for(world.users["hr"]), reverse(url_name))
    assert current is not None and current.label == entry
