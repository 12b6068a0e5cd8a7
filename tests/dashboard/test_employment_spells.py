"""The employment table counted by the database ends each first spell where
the rules for spells end it, with more than two appointments: a short post
inside a longer one, a move with no gap then a gap, and a third post
starting while the first is still open; the same figures as the table
counted from each peer worker, with a service chosen or not."""

from __future__ import annotations

from datetime import date

import pytest

from peerprog.core.models import Programme, Role, Service
from peerprog.dashboard import selectors
from peerprog.dashboard.selectors.study import employment_table
from tests.core.factories import ServiceFactory, UserFactory
from tests.dashboard.test_employment_counts import _figures, appoint
from tests.deployment.factories import graduate
from tests.training.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(programme: Programme):
    elm = ServiceFactory(programme=programme, name="Elm & Ash")
    birch = ServiceFactory(programme=programme, name="Birch")
    cohort = CohortFactory(programme=programme, name="Only", training_start=date(2022, 1, 10))
    people = [graduate(programme, passed_on=date(2022, 5, 1), cohort=cohort) for _ in range(4)]
    # A short post inside a longer one, then a gap: the spell ends with the
    # longer post, not the later-starting short one.
    appoint(elm, date(2022, 7, 1), date(2023, 12, 31), person=people[0])
    appoint(birch, date(2023, 3, 1), date(2023, 5, 1), person=people[0])
    appoint(birch, date(2024, 3, 1), person=people[0])
    # Moved the next day, then left, then came back after a gap.
    appoint(birch, date(2022, 6, 1), date(2022, 12, 31), person=people[1])
    appoint(elm, date(2023, 1, 1), date(2023, 9, 30), person=people[1])
    appoint(elm, date(2024, 1, 2), date(2024, 6, 30), person=people[1])
    # A second post while the first is open, then a third: one open spell.
    appoint(elm, date(2022, 8, 1), person=people[2])
    appoint(birch, date(2023, 2, 1), date(2023, 3, 1), person=people[2])
    appoint(birch, date(2025, 2, 1), date(2025, 3, 1), person=people[2])
    # Two posts starting on the same day.
    appoint(birch, date(2022, 9, 1), date(2024, 10, 1), person=people[3])
    appoint(elm, date(2022, 9, 1), date(2023, 1, 1), person=people[3])
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD])


def test_each_first_spell_ends_as_the_rules_end_it(lead):
    # Every service and day against the same people (built once).
    for service_name in [None, "Elm & Ash", "Birch"]:
        service = Service.objects.get(name=service_name) if service_name else None
        for today in [date(2023, 6, 1), date(2024, 2, 1), date(2026, 3, 1)]:
            scope = selectors.report_scope(user=lead, service=service, today=today)

            counted = selectors.employment_counts(scope=scope)

            assert _figures(counted) == _figures(employment_table(scope=scope)), (
                service_name,
                today,
            )


def test_the_spells_reach_their_milestones(lead):
    scope = selectors.report_scope(user=lead, today=date(2026, 3, 1))

    total = selectors.employment_counts(scope=scope).total

    assert total.employed == 4
    # Only the open spell is still in post; the first person's spell ended
    # on 31 December 2023, before 24 months; the fourth's lasted 25 months.
    assert total.still_in_post == 1
    assert (total.reached_24, total.retained_24) == (4, 2)
