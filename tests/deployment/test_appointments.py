"""Appointments from offer to leaving: checks gate the start date, absences
and their cover, leaving, transfers and the leaving-reason list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deployment import services
from deployment.models import Absence, AbsenceHealth, Appointment, LeavingReason, Post
from deployment.models.posts import PostRole
from deployment.services import DeploymentError
from deployment.services.induction import induction_checklist_build, induction_checklist_update
from tests.core.factories import ProgrammeFactory, ServiceFactory
from tests.deployment.factories import (
    AbsenceFactory,
    AppointmentFactory,
    LeavingReasonFactory,
    PeerPostFactory,
    ReserveEntryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(programme):
    return ServiceFactory(programme=programme, name="Eastgate CMHT")


@pytest.fixture
def offered(service):
    return AppointmentFactory(
        post=PeerPostFactory(service=service, status=Post.Status.FILLED),
        status=Appointment.Status.OFFERED,
        start_date=None,
        checks="not_started",
    )


@pytest.fixture
def in_post(service):
    return AppointmentFactory(
        post=PeerPostFactory(service=service, status=Post.Status.FILLED),
        start_date=date(2025, 1, 6),
    )


def clear_all(appointment, by):
    for check in appointment.checks.all():
        services.check_update(
            check=check,
            status="cleared",
            requested_on=date(2025, 1, 1),
            completed_on=date(2025, 1, 20),
            by=by,
        )


def test_the_start_date_cannot_be_confirmed_while_a_check_is_outstanding(offered, hr):
    with pytest.raises(DeploymentError) as refusal:
        services.appointment_confirm_start(appointment=offered, start_date=date(2025, 2, 3), by=hr)

    assert "DBS check" in refusal.value.message
    assert "Right to work" in refusal.value.message
    offered.refresh_from_db()
    assert offered.status == Appointment.Status.OFFERED
    assert offered.start_date is None


def test_one_outstanding_check_is_enough_to_refuse(offered, hr):
    clear_all(offered, hr)
    references = offered.checks.get(kind="references")
    services.check_update(
        check=references, status="requested", requested_on=date(2025, 1, 1), by=hr
    )

    with pytest.raises(DeploymentError, match="outstanding: References"):
        services.appointment_confirm_start(appointment=offered, start_date=date(2025, 2, 3), by=hr)


def test_the_start_date_is_confirmed_once_every_check_is_cleared(offered, hr):
    clear_all(offered, hr)

    services.appointment_confirm_start(appointment=offered, start_date=date(2025, 2, 3), by=hr)

    offered.refresh_from_db()
    assert offered.status == Appointment.Status.IN_POST
    assert offered.start_date == date(2025, 2, 3)
    assert offered.start_confirmed_by == hr
    assert offered.start_override_reason == ""


def test_hr_can_override_outstanding_checks_with_a_reason(offered, hr):
    services.appointment_confirm_start(
        appointment=offered,
        start_date=date(2025, 2, 3),
        override_reason="References delayed by a previous employer; DBS cleared on update service",
        by=hr,
    )

    offered.refresh_from_db()
    assert offered.status == Appointment.Status.IN_POST
    assert offered.start_override_reason.startswith("References delayed")


def test_a_cleared_check_needs_its_completion_date(offered, hr):
    with pytest.raises(DeploymentError, match="date the check was completed"):
        services.check_update(check=offered.checks.first(), status="cleared", by=hr)


def test_full_time_hours_must_match_a_full_time_contract(in_post, hr):
    with pytest.raises(DeploymentError, match=r"Full-time is 37\.5 hours"):
        services.appointment_update(
            appointment=in_post, by=hr, contract="full_time", hours_per_week=30
        )


def test_a_line_manager_from_another_programme_is_refused(in_post, hr, world):
    with pytest.raises(DeploymentError, match="staff of this programme"):
        services.appointment_update(
            appointment=in_post, by=hr, line_manager=world.users["other_programme_lead"]
        )


def test_a_transfer_keeps_the_induction_done_so_far(in_post, service, hr):
    induction_checklist_build(appointment=in_post, by=hr)
    item = in_post.induction_items.get(title="Team induction")
    induction_checklist_update(appointment=in_post, done={item.pk: date(2025, 1, 8)}, by=hr)
    lead_post = PeerPostFactory(service=service, role=PostRole.LEAD_LXP, band="5", wte="1.00")

    new = services.appointment_transfer(
        appointment=in_post, to_post=lead_post, first_day=date(2026, 1, 5), by=hr
    )

    assert new.induction_items.get(title="Team induction").done_on == date(2025, 1, 8)
    assert new.induction_items.count() == in_post.induction_items.count()


def test_a_long_absence_is_covered_by_a_named_reserve(in_post, hr):
    reserve = ReserveEntryFactory(
        person__programme=in_post.programme,
        placed_on=date(2024, 12, 1),
        stands_until=date(2025, 12, 1),
    )

    absence = services.absence_record(
        appointment=in_post,
        kind=Absence.Kind.SICKNESS,
        starts_on=date(2025, 3, 3),
        cover=Absence.Cover.RESERVE,
        cover_reserve=reserve,
        health_category=AbsenceHealth.Category.MUSCULOSKELETAL,
        by=hr,
    )

    assert absence.cover_reserve == reserve
    assert absence.health.category == AbsenceHealth.Category.MUSCULOSKELETAL
    assert reserve.covered_absences.get() == absence


def test_reserve_cover_must_name_someone_on_the_list_that_day(in_post, hr):
    reserve = ReserveEntryFactory(
        person__programme=in_post.programme,
        placed_on=date(2024, 1, 1),
        stands_until=date(2025, 1, 31),
    )

    with pytest.raises(DeploymentError, match="not on the reserve list on 3 March 2025"):
        services.absence_record(
            appointment=in_post,
            kind=Absence.Kind.SICKNESS,
            starts_on=date(2025, 3, 3),
            cover=Absence.Cover.RESERVE,
            cover_reserve=reserve,
            by=hr,
        )


def test_reserve_cover_without_a_reserve_is_refused(in_post, hr):
    with pytest.raises(DeploymentError, match="Name the reserve peer worker"):
        services.absence_record(
            appointment=in_post,
            kind=Absence.Kind.OTHER_LEAVE,
            starts_on=date(2025, 3, 3),
            cover=Absence.Cover.RESERVE,
            by=hr,
        )


def test_overlapping_absences_are_refused(in_post, hr):
    AbsenceFactory(appointment=in_post, starts_on=date(2025, 3, 3), ends_on=date(2025, 3, 7))

    with pytest.raises(DeploymentError, match="overlaps the absence that starts on 3 March 2025"):
        services.absence_record(
            appointment=in_post, kind=Absence.Kind.ANNUAL_LEAVE, starts_on=date(2025, 3, 7), by=hr
        )


def test_an_absence_before_the_first_day_is_refused(in_post, hr):
    with pytest.raises(DeploymentError, match="before the person's first day"):
        services.absence_record(
            appointment=in_post, kind=Absence.Kind.ANNUAL_LEAVE, starts_on=date(2024, 12, 1), by=hr
        )


def test_a_health_category_is_dropped_when_an_absence_is_not_sickness(in_post, hr):
    absence = services.absence_record(
        appointment=in_post,
        kind=Absence.Kind.SICKNESS,
        starts_on=date(2025, 3, 3),
        health_category=AbsenceHealth.Category.MENTAL_HEALTH,
        by=hr,
    )

    services.absence_update(
        absence=absence,
        kind=Absence.Kind.OTHER_LEAVE,
        starts_on=date(2025, 3, 3),
        ends_on=date(2025, 3, 4),
        cover=Absence.Cover.NONE,
        cover_reserve=None,
        by=hr,
    )

    assert not AbsenceHealth.objects.filter(absence=absence).exists()


def test_a_leaver_reopens_the_post(in_post, hr):
    reason = LeavingReasonFactory(programme=in_post.programme)

    services.appointment_leave(
        appointment=in_post, last_day=date(2025, 9, 30), reason=reason, by=hr
    )

    in_post.refresh_from_db()
    in_post.post.refresh_from_db()
    assert in_post.status == Appointment.Status.LEFT
    assert in_post.ended_on == date(2025, 9, 30)
    assert in_post.leaving_reason == reason
    assert in_post.post.status == Post.Status.VACANT


def test_leaving_ends_an_open_absence_on_the_last_day(in_post, hr):
    absence = AbsenceFactory(appointment=in_post, starts_on=date(2025, 9, 1), ends_on=None)

    services.appointment_leave(
        appointment=in_post,
        last_day=date(2025, 9, 30),
        reason=LeavingReasonFactory(programme=in_post.programme),
        by=hr,
    )

    absence.refresh_from_db()
    assert absence.ends_on == date(2025, 9, 30)


def test_an_archived_reason_cannot_be_chosen(in_post, hr):
    reason = LeavingReasonFactory(programme=in_post.programme, is_archived=True)

    with pytest.raises(DeploymentError, match="from the list"):
        services.appointment_leave(
            appointment=in_post, last_day=date(2025, 9, 30), reason=reason, by=hr
        )


def test_someone_not_yet_started_is_withdrawn_not_a_leaver(offered, hr):
    with pytest.raises(DeploymentError, match="withdraw the offer"):
        services.appointment_leave(
            appointment=offered,
            last_day=timezone.localdate(),
            reason=LeavingReasonFactory(programme=offered.programme),
            by=hr,
        )


def test_a_transfer_ends_the_old_appointment_and_starts_the_new_one(in_post, service, hr):
    lead_post = PeerPostFactory(service=service, role=PostRole.LEAD_LXP, band="5", wte="1.00")

    new = services.appointment_transfer(
        appointment=in_post, to_post=lead_post, first_day=date(2026, 1, 5), by=hr
    )

    in_post.refresh_from_db()
    in_post.post.refresh_from_db()
    lead_post.refresh_from_db()
    assert in_post.status == Appointment.Status.TRANSFERRED
    assert in_post.ended_on == date(2026, 1, 4)
    assert in_post.leaving_reason is None
    assert in_post.post.status == Post.Status.VACANT
    assert new.transferred_from == in_post
    assert new.status == Appointment.Status.IN_POST
    assert new.start_date == date(2026, 1, 5)
    assert new.is_lead_lxp
    assert new.contract == Appointment.Contract.FULL_TIME
    assert lead_post.status == Post.Status.FILLED
    assert new.checks.filter(status="cleared").count() == 4


def test_a_transfer_to_a_filled_post_changes_nothing(in_post, service, hr):
    filled = PeerPostFactory(service=service, status=Post.Status.FILLED)

    with pytest.raises(DeploymentError, match="only a vacant post"):
        services.appointment_transfer(
            appointment=in_post, to_post=filled, first_day=date(2026, 1, 5), by=hr
        )
    in_post.refresh_from_db()
    assert in_post.status == Appointment.Status.IN_POST


def test_the_default_leaving_reasons_mark_ill_health_as_revealing_health(hr):
    programme = ProgrammeFactory()

    assert services.leaving_reasons_ensure_defaults(programme=programme, by=hr) == 8

    ill_health = LeavingReason.objects.get(programme=programme, label="Ill health")
    assert ill_health.reveals_health
    assert LeavingReason.objects.filter(programme=programme, reveals_health=True).count() == 1


def test_a_reason_reported_as_ill_health_always_reveals_health(programme, hr):
    reason = services.leaving_reason_create(
        programme=programme,
        by=hr,
        label="Needed time to recover",
        category=LeavingReason.Category.ILL_HEALTH,
        reveals_health=False,
    )

    assert reason.reveals_health


def test_ending_an_appointment_more_than_once_is_refused(in_post, hr):
    reason = LeavingReasonFactory(programme=in_post.programme)
    services.appointment_leave(
        appointment=in_post, last_day=date(2025, 9, 30), reason=reason, by=hr
    )

    with pytest.raises(DeploymentError, match="can no longer be changed"):
        services.appointment_leave(
            appointment=in_post, last_day=date(2025, 10, 30), reason=reason, by=hr
        )


def test_an_absence_longer_than_a_week_counts_its_days(in_post):
    absence = AbsenceFactory(
        appointment=in_post,
        starts_on=date(2025, 4, 1),
        ends_on=date(2025, 4, 1) + timedelta(days=9),
    )
    assert absence.days == 10


def test_hr_plans_an_offers_start_date_and_is_reminded_of_outstanding_checks(offered, hr, client):
    from peerprog.core.models import Reminder
    from peerprog.core.reminders.services import reminders_run_group

    today = timezone.localdate()
    client.force_login(hr)
    url = reverse("deployment:appointment-plan-start", args=[offered.pk])
    planned = today + timedelta(days=10)
    response = client.post(url, {"start_date": planned.isoformat()}, follow=True)

    page = response.content.decode()
    assert f"planned start date is {planned:%-d %B %Y}" in page
    assert f"Planned for {planned:%-d %B %Y}, not confirmed yet" in page
    offered.refresh_from_db()
    assert offered.status == Appointment.Status.OFFERED
    assert offered.start_date == planned

    reminders_run_group(group="deployment", today=today)
    assert Reminder.objects.filter(kind="deployment.checks_outstanding", recipient_user=hr).exists()


def test_a_planned_start_cannot_be_in_the_past_or_after_the_start_is_confirmed(offered, hr):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(DeploymentError, match="cannot be in the past"):
        services.appointment_plan_start(appointment=offered, start_date=yesterday, by=hr)
    offered.refresh_from_db()
    assert offered.start_date is None

    clear_all(offered, hr)
    services.appointment_confirm_start(appointment=offered, start_date=date(2025, 2, 3), by=hr)
    with pytest.raises(DeploymentError, match="already been confirmed"):
        services.appointment_plan_start(
            appointment=offered, start_date=timezone.localdate() + timedelta(days=3), by=hr
        )
    offered.refresh_from_db()
    assert offered.start_date == date(2025, 2, 3)
