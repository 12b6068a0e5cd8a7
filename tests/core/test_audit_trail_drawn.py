"""The audit trail's shortcuts give what the slower ways gave: each entry's
time as ``date_format`` writes it, the list of who made changes as the ORM
reads it, and each change's values from the statement prepared once per
connection as from the plain SQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from peerprog.core import services
from peerprog.core.audit_trail import AuditFilter, _when, audit_page
from peerprog.core.models import User
from tests.conftest import World
from tests.core.factories import ProgrammeFactory, UserFactory


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 1, 0, 5, tzinfo=UTC),
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
    ],
)
def test_an_entrys_time_is_written_as_date_format_writes_it(moment: datetime) -> None:
    expected = date_format(timezone.template_localtime(moment), "j F Y, H:i")
    assert _when(moment) == expected


def test_the_list_of_who_made_changes_is_the_programmes_accounts_and_the_systems_by_name(
    world: World,
) -> None:
    UserFactory(programme=ProgrammeFactory(), full_name="Someone Elsewhere")
    UserFactory(programme=world.programme, full_name="", email="aaa@example.org")
    expected = [
        (str(pk), full_name or email)
        for pk, full_name, email in User.objects.filter(
            Q(programme_id=world.programme.pk) | Q(is_system=True)
        )
        .order_by("full_name", "email")
        .values_list("pk", "full_name", "email")
    ]
    for _ in range(2):
        assert AuditFilter(None, programme_id=world.programme.pk).actor_choices() == expected
    everyone = [
        (str(pk), full_name or email)
        for pk, full_name, email in User.objects.order_by("full_name", "email").values_list(
            "pk", "full_name", "email"
        )
    ]
    assert AuditFilter(None, programme_id=None).actor_choices() == everyone


def test_a_change_is_listed_the_same_on_every_view(world: World, lead: User) -> None:
    services.sensitive_facts_update(person=world.person, by=lead, disability_details="One")
    services.sensitive_facts_update(person=world.person, by=lead, disability_details="Two")

    def changes() -> list[Any]:
        page = audit_page(programme_id=world.programme.pk, number=1, size=50)
        return [(entry.record, entry.action, entry.changes) for entry in page.entries]

    first = changes()
    assert any(action == "Changed" and found for _, action, found in first)
    # The second view runs the prepared statements.
    assert changes() == first
