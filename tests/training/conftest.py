from __future__ import annotations

from typing import Any

import pytest

from peerprog.core.models import Programme, Role, User
from recruitment.models import Cohort
from tests.core.factories import UserFactory
from tests.training.factories import CohortFactory, assessor, set_assessors


@pytest.fixture
def cohort(programme: Programme) -> Cohort:
    return CohortFactory(programme=programme, name="Cohort 1")


@pytest.fixture
def course_lead(programme: Programme) -> User:
    return UserFactory(programme=programme, roles=[Role.PROGRAMME_LEAD], full_name="Priya Lead")


@pytest.fixture
def facilitator(programme: Programme) -> User:
    return UserFactory(
        programme=programme, roles=[Role.FACILITATOR, Role.ASSESSOR], full_name="Ruth Facilitator"
    )


@pytest.fixture
def second_assessor(programme: Programme) -> User:
    return assessor(programme, "Martin Inclusion")


@pytest.fixture
def assessed_cohort(cohort: Cohort, facilitator: User, second_assessor: User) -> Cohort:
    set_assessors(cohort, facilitator, second_assessor)
    return cohort


@pytest.fixture
def any_db(db: Any) -> None:
    return None
