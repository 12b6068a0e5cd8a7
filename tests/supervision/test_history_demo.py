"""The demo's study cohorts exported as supervision's sheets of the history
workbook load back into the demo as "No change"."""

from __future__ import annotations

import pytest

from peerprog.core.models import Role
from peerprog.core.workbook import UNCHANGED
from recruitment.models import Cohort
from tests.core.factories import UserFactory
from tests.demo_once import seed_demo_once
from tests.supervision.history_books import actions, exported, load, sent, stored

pytestmark = pytest.mark.django_db

TITLES = [
    "Mentors",
    "Mentor assignments",
    "Mentor meetings",
    "Supervisor assignments",
    "Supervision sessions",
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module (and removed after)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = seed_demo_once()
            yield ctx
            transaction.set_rollback(True)


def _study(seeded) -> list[int]:
    return list(
        Cohort.objects.filter(
            programme=seeded.programme, name__in=("Cohort 1", "Cohort 2")
        ).values_list("pk", flat=True)
    )


def test_the_study_cohorts_supervision_loads_back_into_the_demo_as_no_change(seeded):
    lead = seeded.users["lead"]
    content, rows = exported(
        programme=seeded.programme, by=lead, cohort_ids=_study(seeded), titles=TITLES
    )
    before, quiet = stored(), sent()

    report = load(content, programme=seeded.programme, by=lead)

    assert report.ok, [str(error) for error in report.errors][:5]
    assert set(actions(report)) == {UNCHANGED}
    # The study's 12 mentors; every trainee of the two cohorts had one.
    assert len(rows["Mentors"]) - 1 == 12
    assert len(rows["Mentor assignments"]) - 1 == 28
    assert len(rows["Mentor meetings"]) - 1 > 2 * 28
    assert len(rows["Supervisor assignments"]) - 1 == 7
    assert len(rows["Supervision sessions"]) > 7
    assert stored() == before
    assert sent() == quiet


def test_the_export_gives_meeting_notes_to_a_lead_only(seeded):
    hr = UserFactory(programme=seeded.programme, roles=[Role.HR])
    lead = seeded.users["lead"]

    _, for_lead = exported(
        programme=seeded.programme, by=lead, cohort_ids=_study(seeded), titles=TITLES
    )
    _, for_hr = exported(
        programme=seeded.programme, by=hr, cohort_ids=_study(seeded), titles=TITLES
    )

    notes = for_lead["Mentor meetings"][0].index("Notes")
    assert any(row[notes] for row in for_lead["Mentor meetings"][1:])
    hr_notes = for_hr["Mentor meetings"][0].index("Notes")
    assert not any(row[hr_notes] for row in for_hr["Mentor meetings"][1:])
    # HR's own export of the same records loads back as no change too.
    content, _ = exported(
        programme=seeded.programme, by=hr, cohort_ids=_study(seeded), titles=TITLES
    )
    report = load(content, programme=seeded.programme, by=hr, write=False)
    assert report.ok, [str(error) for error in report.errors][:5]
    assert set(actions(report)) == {UNCHANGED}
