"""Recruitment's export of applications: statements only for readers of
special-category facts, filters applied, one programme only."""

from __future__ import annotations

from django.http import QueryDict

from peerprog.core.models import ExportRecord
from recruitment import selectors
from recruitment.exports import describe_cohort
from tests.conftest import World
from tests.core.export_helpers import column, download, queries_of_export
from tests.core.factories import PersonFactory
from tests.recruitment.factories import ApplicationFactory, CohortFactory


def test_leads_get_personal_statements_and_admins_do_not(world: World) -> None:
    ApplicationFactory(cohort=world.objects["cohort"], statement="@My own story")
    lead_rows = download(world.users["lead"], "recruitment:application-export")
    admin_rows = download(world.users["admin"], "recruitment:application-export")
    assert "'@My own story" in column(lead_rows, "Personal statement")
    assert "Personal statement" not in admin_rows[0]
    assert all("My own story" not in cell for row in admin_rows for cell in row)


def test_the_lists_filters_are_applied(world: World) -> None:
    spring = CohortFactory(programme=world.programme, name="Spring intake")
    ApplicationFactory(
        cohort=spring, person=PersonFactory(programme=world.programme, last_name="Springer")
    )
    rows = download(
        world.users["lead"], "recruitment:application-export", {"cohort": spring.pk, "q": "spring"}
    )
    assert column(rows, "Last name") == ["Springer"]
    assert ExportRecord.objects.get().filters == "Name or e-mail: spring; Cohort: Spring intake"


def test_another_programmes_applications_are_never_exported(world: World) -> None:
    rows = download(world.users["lead"], "recruitment:application-export", {"format": "xlsx"})
    assert "Other" not in column(rows, "Last name")
    foreign = world.objects["other_cohort"]
    filtered = download(
        world.users["lead"], "recruitment:application-export", {"cohort": foreign.pk}
    )
    assert "Other" not in column(filtered, "Last name")


def test_the_applications_export_takes_the_same_queries_at_two_sizes(world: World) -> None:
    lead = world.users["lead"]
    small = queries_of_export(lead, "recruitment:application-export", {"format": "xlsx"})
    for _ in range(15):
        ApplicationFactory(cohort=world.objects["cohort"])
    assert queries_of_export(lead, "recruitment:application-export", {"format": "xlsx"}) == small


def test_a_cohort_is_named_only_within_the_users_programme(world: World) -> None:
    lead = world.users["lead"]
    assert selectors.cohort_name(user=lead, pk=world.objects["cohort"].pk) == (
        world.objects["cohort"].name
    )
    assert selectors.cohort_name(user=lead, pk=world.objects["other_cohort"].pk) is None


def test_later_stages_exports_name_their_cohort_filter_within_the_programme(
    world: World,
) -> None:
    lead, cohort = world.users["lead"], world.objects["cohort"]
    foreign = world.objects["other_cohort"]
    assert describe_cohort(lead, QueryDict(f"cohort={cohort.pk}")) == [("Cohort", cohort.name)]
    assert describe_cohort(lead, QueryDict(f"cohort={foreign.pk}")) == [
        ("Cohort", "(not in this programme)")
    ]
    assert describe_cohort(lead, QueryDict("")) == []
