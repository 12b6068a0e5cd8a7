"""The seven roles are groups that exist after migrate, and stay there when
transactional tests empty the database between them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from peerprog.core.models import Role

STAFF_ROLES = {
    "Programme lead",
    "HR",
    "Mentor",
    "Supervisor",
    "Admin",
    "Facilitator",
    "Assessor",
    "Data protection officer",
}


def test_the_staff_roles_exist_after_migrate(db: Any) -> None:
    assert set(Group.objects.values_list("name", flat=True)) == STAFF_ROLES
    assert set(Role.values) == STAFF_ROLES


def test_the_roles_exist_in_a_transactional_test(transactional_db: Any) -> None:
    assert set(Group.objects.values_list("name", flat=True)) == STAFF_ROLES


def test_the_roles_survive_the_database_being_flushed(transactional_db: Any) -> None:
    call_command("flush", interactive=False, verbosity=0)

    assert set(Group.objects.values_list("name", flat=True)) == STAFF_ROLES


@pytest.mark.django_db(transaction=True)
def test_the_roles_are_back_for_the_next_transactional_test() -> None:
    # Runs after the tests above have flushed the database on their way out.
    assert Group.objects.filter(name__in=STAFF_ROLES).count() == len(STAFF_ROLES)
