"""Training's exports: the trainees of the programme or one cohort with
their progress; reasons that reveal health only for leads and HR."""

from __future__ import annotations

import pytest
from django.urls import reverse

from peerprog.core.models import ExportRecord
from recruitment.models import Cohort
from tests.conftest import World
from tests.core.export_helpers import column, download, queries_of_export, signed_in
from tests.training.factories import CohortFactory, enrol
from training import services


@pytest.fixture
def cohort(world: World) -> Cohort:
    return CohortFactory(programme=world.programme, name="Spring")


def leave_for_health(cohort: Cohort, lead: object) -> None:
    enrolment = enrol(cohort, first_name="Hana", last_name="Health")
    reasons = services.non_completion_reasons_ensure_defaults(programme=cohort.programme)
    health = next(r for r in reasons if r.category == "left_health")
    services.enrolment_close(enrolment=enrolment, reason=health, by=lead)


def test_trainees_of_one_cohort(world: World, cohort: Cohort) -> None:
    enrol(cohort, first_name="Tara", last_name="Trainee")
    enrol(CohortFactory(programme=world.programme, name="Autumn"), last_name="Elsewhere")
    rows = download(world.users["lead"], "training:trainees-export", {"cohort": cohort.pk})
    assert column(rows, "Last name") == ["Trainee"]
    assert column(rows, "Cohort") == ["Spring"]
    assert ExportRecord.objects.get().filters == "Cohort: Spring"


def test_another_programmes_cohort_exports_nothing(world: World) -> None:
    foreign = CohortFactory(programme=world.other_programme)
    enrol(foreign, last_name="Foreigner")
    rows = download(world.users["lead"], "training:trainees-export", {"cohort": foreign.pk})
    assert rows[1:] == []
    everything = download(world.users["lead"], "training:trainees-export")
    assert "Foreigner" not in column(everything, "Last name")


def test_a_health_reason_reaches_leads_but_not_admins(world: World, cohort: Cohort) -> None:
    leave_for_health(cohort, world.users["lead"])
    lead_rows = download(world.users["lead"], "training:trainees-export", {"format": "xlsx"})
    admin_rows = download(world.users["admin"], "training:trainees-export", {"format": "xlsx"})
    assert column(lead_rows, "Non-completion reason") == ["Left the programme: health issues"]
    assert column(admin_rows, "Non-completion reason") == [
        "Left the programme (reason seen by leads and HR only)"
    ]


def test_hr_exports_outcomes_but_not_the_trainee_progress(world: World, cohort: Cohort) -> None:
    enrol(cohort)
    hr = signed_in(world.users["hr"])
    assert hr.get(reverse("training:outcomes-export")).status_code == 200
    assert hr.get(reverse("training:trainees-export")).status_code == 403


def test_the_trainees_export_takes_the_same_queries_at_two_sizes(
    world: World, cohort: Cohort
) -> None:
    enrol(cohort)
    small = queries_of_export(world.users["lead"], "training:trainees-export", {"format": "xlsx"})
    for _ in range(10):
        enrol(cohort)
    assert (
        queries_of_export(world.users["lead"], "training:trainees-export", {"format": "xlsx"})
        == small
    )
