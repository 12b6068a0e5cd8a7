"""Deployment's exports: HR, leads and admins download the deployment lists
with the page's filters; health categories of absences and health-related
leaving reasons reach only HR and leads; the other programme never."""

from __future__ import annotations

from typing import Any

import pytest

from deployment.models import Absence, AbsenceHealth, Appointment, LeavingReason, Post
from peerprog.core.models import ExportRecord
from tests.conftest import World
from tests.core.export_helpers import column, download, queries_of_export, signed_in
from tests.core.factories import PersonFactory
from tests.deployment.factories import (
    AbsenceFactory,
    AppointmentFactory,
    LeavingReasonFactory,
    PeerPostFactory,
    PostFactory,
    ReserveEntryFactory,
)


@pytest.fixture
def sickness(world: World) -> Absence:
    appointment = world.objects["appointment"]
    absence = AbsenceFactory(
        appointment=appointment, kind=Absence.Kind.SICKNESS, recorded_by=world.users["hr"]
    )
    AbsenceHealth.objects.create(absence=absence, category=AbsenceHealth.Category.MENTAL_HEALTH)
    return absence


@pytest.mark.parametrize("persona", ["hr", "lead"])
def test_hr_and_leads_get_the_health_category_of_sickness_absences(
    world: World, sickness: Absence, persona: str
) -> None:
    rows = download(world.users[persona], "deployment:absences-export", {"format": "xlsx"})
    assert "Mental health" in column(rows, "Health category")


def test_admins_get_absences_without_the_health_category(world: World, sickness: Absence) -> None:
    rows = download(world.users["admin"], "deployment:absences-export")
    assert "Health category" not in rows[0]
    assert "Sickness" in column(rows, "Kind")
    assert all("Mental health" not in cell for row in rows for cell in row)
    assert ExportRecord.objects.get().sensitive_included is False


def test_absences_filtered_by_kind(world: World, sickness: Absence) -> None:
    rows = download(world.users["hr"], "deployment:absences-export", {"absence": "sickness"})
    assert column(rows, "Kind") == ["Sickness"]
    assert ExportRecord.objects.get().filters == "Absences: Sickness"


def test_a_health_related_leaving_reason_is_hidden_from_admins(world: World) -> None:
    reason = LeavingReasonFactory(
        programme=world.programme,
        label="Mental health got worse",
        category=LeavingReason.Category.ILL_HEALTH,
        reveals_health=True,
    )
    AppointmentFactory(
        post=PeerPostFactory(service=world.objects["service"], status=Post.Status.VACANT),
        status=Appointment.Status.LEFT,
        ended_on=world.objects["appointment"].start_date,
        leaving_reason=reason,
    )
    params = {"status": "left"}
    admin_rows = download(world.users["admin"], "deployment:appointments-export", params)
    hr_rows = download(world.users["hr"], "deployment:appointments-export", params)
    assert column(admin_rows, "Leaving reason") == [
        "Reason not shown (special-category information)"
    ]
    assert column(hr_rows, "Leaving reason") == ["Mental health got worse"]


def test_posts_are_exported_with_the_lists_filters_and_never_another_programmes(
    world: World,
) -> None:
    service = world.objects["service"]
    PostFactory(service=service, job_title="=Ward manager", status=Post.Status.FROZEN)
    rows = download(
        world.users["hr"], "deployment:posts-export", {"service": service.pk, "status": "frozen"}
    )
    assert column(rows, "Job title") == ["'=Ward manager"]
    everything = download(world.users["lead"], "deployment:posts-export")
    services = set(column(everything, "Service"))
    assert world.objects["other_deployment_post"].service.name not in services
    record = ExportRecord.objects.filter(user=world.users["hr"]).get()
    assert record.filters == f"Service: {service.name}; Status: Frozen"


def test_the_reserve_list_shows_past_entries_only_when_asked(world: World) -> None:
    past = ReserveEntryFactory(
        person=PersonFactory(programme=world.programme, last_name="Pastley"),
        status="removed",
    )
    now = download(world.users["hr"], "deployment:reserve-export")
    everyone = download(world.users["hr"], "deployment:reserve-export", {"show": "all"})
    assert past.person.last_name not in column(now, "Last name")
    assert past.person.last_name in column(everyone, "Last name")


def test_hr_may_not_export_the_retention_snapshots(world: World) -> None:
    response = signed_in(world.users["hr"]).get("/deployment/retention/snapshots/export/")
    assert response.status_code == 403


def test_leads_export_the_retention_snapshots(world: World) -> None:
    from deployment.snapshots import previous_month, retention_snapshot_take

    retention_snapshot_take(month=previous_month())
    rows = download(world.users["lead"], "deployment:snapshots-export")
    assert rows[0][:3] == ["Month", "Cohort", "Service"]
    assert world.objects["appointment"].post.service.name in column(rows, "Service")
    assert world.objects["other_appointment"].post.service.name not in column(rows, "Service")


@pytest.mark.parametrize(
    "url_name",
    ["deployment:appointments-export", "deployment:absences-export", "deployment:posts-export"],
)
def test_exports_take_the_same_number_of_queries_at_two_sizes(
    world: World, url_name: str, sickness: Any
) -> None:
    hr = world.users["hr"]
    params = {"status": "all", "format": "xlsx"}
    small = queries_of_export(hr, url_name, params)
    for _ in range(12):
        appointment = AppointmentFactory(
            post=PeerPostFactory(service=world.objects["service"], status=Post.Status.FILLED)
        )
        absence = AbsenceFactory(appointment=appointment, kind=Absence.Kind.SICKNESS)
        AbsenceHealth.objects.create(absence=absence, category="musculoskeletal")
    assert queries_of_export(hr, url_name, params) == small
