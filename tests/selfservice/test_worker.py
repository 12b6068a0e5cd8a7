"""A peer worker's own pages: my job, my supervision, my wellbeing plan.

Only the account's own records (404 for anyone else's id, whichever
person asks); the plan's four sections are theirs to change, a save over a
newer change is refused with nothing lost, both sides see who changed
what, the peer worker sees who read their plan; a shared summary is shown
only when the supervisor shares one; reminders of supervision and plan
review come once; every page costs the same queries at two sizes.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from deployment.models import Absence, AbsenceHealth, PreEmploymentCheck
from deployment.selectors import check_in_words, own_appointments
from peerprog.core.models import Notification, OutboxEmail, ReadLog, Reminder
from peerprog.core.privacy.read_log import ReadKind, ReadPurpose
from peerprog.core.reminders.services import reminders_run_group
from selfservice.job_page import my_job
from selfservice.plan_page import my_plan_page
from selfservice.supervision_page import own_supervision_page
from supervision import selectors as supervision_selectors
from supervision import services
from supervision.models import WellbeingPlan
from tests.deployment.factories import AbsenceFactory
from tests.selfservice.world import people_world
from tests.supervision.factories import record_session

SUPERVISION_DUE = "supervision.my_supervision_due"
PLAN_REVIEW_DUE = "supervision.my_plan_review_due"


@pytest.fixture
def people(world: Any) -> dict[str, Any]:
    return people_world(world)


@pytest.fixture
def worker(world: Any, people: dict[str, Any]) -> Any:
    return world.users["peer_worker"]


@pytest.fixture
def plan(people: dict[str, Any]) -> WellbeingPlan:
    return WellbeingPlan.objects.get(person=people["peer_worker_person"])


def job_url(people: dict[str, Any], key: str = "peer_worker_appointment") -> str:
    return reverse("selfservice:my-job", args=[people[key].pk])


def supervision_url(people: dict[str, Any], key: str = "peer_worker_person") -> str:
    return reverse("selfservice:my-supervision", args=[people[key].pk])


def plan_url(plan: WellbeingPlan) -> str:
    return reverse("selfservice:my-wellbeing-plan", args=[plan.pk])


def edit_url(plan: WellbeingPlan) -> str:
    return reverse("selfservice:my-wellbeing-plan-edit", args=[plan.pk])


def own_words(plan: WellbeingPlan, **changes: Any) -> dict[str, Any]:
    words = {name: getattr(plan, name) for name in WellbeingPlan.SECTIONS}
    words["version"] = plan.version
    words.update(changes)
    return words


def staff_words(plan: WellbeingPlan, **changes: Any) -> dict[str, Any]:
    words = own_words(plan)
    words.update(
        agreed_on=plan.agreed_on.isoformat(),
        review_due=plan.review_due.isoformat(),
        last_reviewed_on="",
    )
    words.update(changes)
    return words


# My job


def test_my_job_shows_the_post_hours_line_manager_and_checks_in_plain_words(
    client, world, people, worker
):
    appointment = people["peer_worker_appointment"]
    appointment.line_manager = world.users["hr"]
    appointment.save(update_fields=["line_manager"])
    PreEmploymentCheck.objects.filter(
        appointment=appointment, kind=PreEmploymentCheck.Kind.REFERENCES
    ).update(status=PreEmploymentCheck.Status.REQUESTED, completed_on=None)
    client.force_login(worker)

    response = client.get(job_url(people))

    assert response.status_code == 200
    page = response.content.decode()
    assert appointment.post.job_title in page
    assert appointment.post.service.name in page
    assert "22.5 hours a week (part-time)" in page
    assert world.users["hr"].full_name in page
    assert "Your DBS check is done." in page
    assert "We are waiting for your references." in page


def test_my_absences_show_kind_and_dates_and_my_own_health_category_but_not_who_covered(
    client, people, worker
):
    appointment = people["peer_worker_appointment"]
    absence = AbsenceFactory(appointment=appointment, kind=Absence.Kind.SICKNESS)
    AbsenceHealth.objects.create(absence=absence, category=AbsenceHealth.Category.MUSCULOSKELETAL)
    client.force_login(worker)

    page = client.get(job_url(people)).content.decode()

    assert "Sickness" in page
    assert f"{absence.starts_on:%-d %B %Y}" in page
    assert "Musculoskeletal" in page
    assert "Covered" not in page


def test_my_job_reads_what_the_appointment_with_its_prefetches_reads(world, people, worker):
    """The page's one kept query gives what deployment's own reading of the
    appointment gives: post, checks, induction, absences in order and the
    health category of a sickness absence only."""
    appointment = people["peer_worker_appointment"]
    appointment.line_manager = world.users["hr"]
    appointment.save(update_fields=["line_manager"])
    sick = AbsenceFactory(
        appointment=appointment,
        kind=Absence.Kind.SICKNESS,
        starts_on=appointment.start_date + timedelta(days=40),
    )
    AbsenceHealth.objects.create(absence=sick, category=AbsenceHealth.Category.MUSCULOSKELETAL)
    AbsenceFactory(appointment=appointment, starts_on=appointment.start_date + timedelta(days=10))

    job = my_job(user=worker, pk=appointment.pk)
    expected = own_appointments().get(pk=appointment.pk)

    got = job.appointment
    assert (got.post.job_title, got.post.service.name, got.programme.name) == (
        expected.post.job_title,
        expected.post.service.name,
        expected.programme.name,
    )
    assert (got.status, got.hours_per_week, got.start_date, got.person_id) == (
        expected.status,
        expected.hours_per_week,
        expected.start_date,
        expected.person_id,
    )
    assert got.line_manager.full_name == world.users["hr"].full_name
    assert job.checks == [check_in_words(check=c) for c in expected.checks.all()]
    assert [(i.title, i.done_on) for i in job.induction] == [
        (i.title, i.done_on) for i in expected.induction_items.all()
    ]
    assert [(a.kind_label, a.starts_on, a.ends_on, a.health_label) for a in job.absences] == [
        (
            a.get_kind_display(),
            a.starts_on,
            a.ends_on,
            a.health.get_category_display()
            if a.kind == Absence.Kind.SICKNESS and hasattr(a, "health")
            else "",
        )
        for a in expected.absences.all()
    ]
    assert "Musculoskeletal" in [a.health_label for a in job.absences]
    with pytest.raises(Http404):
        my_job(user=world.users["trainee"], pk=appointment.pk)


@pytest.mark.parametrize("who", ["peer_worker_other_programme", "peer_worker_supervisor"])
def test_another_peer_worker_gets_404_for_my_pages(client, world, people, plan, who):
    client.force_login(world.users[who])

    for url in (job_url(people), supervision_url(people), plan_url(plan), edit_url(plan)):
        assert client.get(url).status_code == 404, url
    assert client.post(edit_url(plan), own_words(plan, keeping_well="Not mine")).status_code == 404
    plan.refresh_from_db()
    assert plan.keeping_well != "Not mine"


def test_i_get_404_for_another_peer_workers_job_and_supervision(client, people, worker):
    client.force_login(worker)

    for key in ("peer_worker_other_programme_appointment", "peer_worker_supervisor_appointment"):
        assert client.get(job_url(people, key)).status_code == 404
    for key in ("peer_worker_other_programme_person", "peer_worker_supervisor_person"):
        assert client.get(supervision_url(people, key)).status_code == 404


def test_the_supervisor_without_a_person_record_is_refused_my_pages(client, world, people, plan):
    client.force_login(world.users["supervisor"])

    assert client.get(plan_url(plan)).status_code == 403
    assert client.get(job_url(people)).status_code == 403


# My supervision


def test_my_supervision_shows_my_supervisor_frequency_and_sessions_not_the_notes(
    client, world, people, worker
):
    client.force_login(worker)
    record_session(
        world.users["supervisor"],
        [people["peer_worker_person"]],
        held_on=timezone.localdate() - timedelta(days=3),
        notes="Private: worried about the night shifts.",
    )

    page = client.get(supervision_url(people)).content.decode()

    assert world.users["supervisor"].full_name in page
    assert "Every four weeks" in page
    assert f"{timezone.localdate() - timedelta(days=3):%-d %B %Y}" in page
    assert "Sharing lived experience safely" in page
    assert "worried about the night shifts" not in page
    assert "Summary from your supervisor" not in page


def test_my_supervision_page_reads_what_the_supervision_selector_reads(world, people, worker):
    """The page's one kept query gives what supervision's own selector
    gives the same person: supervisor, frequency, next due date, plan,
    sessions (shared summaries only) and development sessions, in order."""
    person = people["peer_worker_person"]
    for days, summary in ((9, ""), (4, "Shared words.")):
        record_session(
            world.users["supervisor"],
            [person],
            held_on=timezone.localdate() - timedelta(days=days),
            notes="Private notes.",
            shared_summary=summary,
        )

    page = own_supervision_page(user=worker, pk=person.pk)
    expected = supervision_selectors.own_supervision_page(person=person)

    assert page.assignment is not None and expected.assignment is not None
    assert page.assignment.supervisor_name == expected.assignment.supervisor.full_name
    assert page.assignment.frequency_label == expected.assignment.get_frequency_days_display()
    assert page.next_due_on == expected.next_due_on
    assert expected.plan is not None and page.plan is not None
    assert (page.plan.pk, page.plan.review_due) == (expected.plan.pk, expected.plan.review_due)
    assert [
        (s.held_on, s.kind, s.minutes, s.areas, s.led_by, s.summary) for s in page.sessions
    ] == [(s.held_on, s.kind, s.minutes, s.areas, s.led_by, s.summary) for s in expected.sessions]
    assert "Private notes." not in repr(page)
    assert [(d.held_on, d.topic, d.minutes) for d in page.development] == [
        (d.held_on, d.topic, d.minutes) for d in expected.development
    ]
    assert page.development


def test_a_summary_is_shown_only_once_the_supervisor_shares_it(client, world, people, worker):
    supervisor = world.users["supervisor"]
    session = record_session(supervisor, [people["peer_worker_person"]], notes="Private notes.")
    client.force_login(worker)
    assert (
        "Summary from your supervisor" not in client.get(supervision_url(people)).content.decode()
    )

    services.supervision_session_update(
        session=session,
        by=supervisor,
        attendees=[people["peer_worker_person"]],
        shared_summary="We agreed to try a shorter shift pattern.",
    )

    page = client.get(supervision_url(people)).content.decode()
    assert "We agreed to try a shorter shift pattern." in page
    assert "Private notes." not in page


def test_the_supervisor_shares_a_summary_from_the_session_form(client, world, people):
    supervisor = world.users["supervisor"]
    client.force_login(supervisor)

    response = client.post(
        reverse("supervision:session-create"),
        {
            "form_token": str(uuid.uuid4()),
            "kind": "individual",
            "held_on": timezone.localdate().isoformat(),
            "minutes": 60,
            "keeping_well": "on",
            "attendees": [people["peer_worker_person"].pk],
            "notes": "Private.",
            "shared_summary": "Next time: the new rota.",
        },
    )

    assert response.status_code == 302
    client.force_login(world.users["peer_worker"])
    assert "Next time: the new rota." in client.get(supervision_url(people)).content.decode()


# My wellbeing plan


def test_i_change_my_plan_and_the_history_names_me(client, people, worker, plan):
    client.force_login(worker)

    response = client.post(edit_url(plan), own_words(plan, early_signs="I stop answering texts."))

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.early_signs == "I stop answering texts."
    assert plan.updated_by == worker
    assert plan.version == 2
    latest = plan.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == worker
    page = client.get(plan_url(plan)).content.decode()
    assert "you" in page and "changed: Signs that I may be becoming unwell" in page


def test_the_supervisor_sees_that_the_peer_worker_changed_the_plan(client, world, worker, plan):
    services.wellbeing_plan_own_update(
        plan=plan,
        by=worker,
        expected_version=plan.version,
        keeping_well="Lunch away from the ward.",
    )
    client.force_login(world.users["supervisor"])

    response = client.get(reverse("supervision:wellbeing-plan", args=[plan.person_id]))

    latest = response.context["changes"][0]
    assert (latest.by, latest.by_viewer, latest.what) == (
        worker.full_name,
        False,
        ["What helps me keep well at work"],
    )
    assert "changed: What helps me keep well at work" in response.content.decode()


def test_of_two_saves_from_the_same_version_the_second_is_refused_and_the_first_kept(
    world, worker, plan
):
    opened_at = plan.version
    services.wellbeing_plan_own_update(
        plan=plan, by=worker, expected_version=opened_at, keeping_well="First save."
    )

    with pytest.raises(services.PlanChangedMeanwhile) as refused:
        services.wellbeing_plan_own_update(
            plan=plan, by=worker, expected_version=opened_at, keeping_well="Second save."
        )

    assert "after you opened it" in refused.value.message
    plan.refresh_from_db()
    assert plan.keeping_well == "First save."
    assert plan.version == opened_at + 1


def test_the_database_refuses_a_stale_update_even_from_an_instance_loaded_before(
    world, worker, plan
):
    """The check is in the UPDATE itself: a plan object loaded before
    another save, saved from its version, changes no row."""
    stale = WellbeingPlan.objects.get(pk=plan.pk)
    services.wellbeing_plan_own_update(
        plan=plan, by=worker, expected_version=plan.version, keeping_well="Saved first."
    )

    with pytest.raises(services.PlanChangedMeanwhile):
        services.wellbeing_plan_save(
            person=stale.person,
            by=world.users["supervisor"],
            expected_version=stale.version,
            keeping_well="Overwrite?",
        )

    plan.refresh_from_db()
    assert plan.keeping_well == "Saved first."


def test_my_save_over_the_supervisors_newer_change_is_refused_and_my_words_kept(
    client, world, worker, plan
):
    client.force_login(worker)
    opened = own_words(plan, keeping_well="My new words about breaks.")
    supervisor = world.users["supervisor"]
    staff = client.__class__()
    staff.force_login(supervisor)
    staff.post(
        reverse("supervision:wellbeing-plan-edit", args=[plan.person_id]),
        staff_words(plan, contacts="The duty senior nurse."),
    )

    response = client.post(edit_url(plan), opened)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"changed by {supervisor.full_name}" in page
    assert "your changes have not been saved" in page
    assert "My new words about breaks." in page
    assert "The duty senior nurse." in page
    plan.refresh_from_db()
    assert plan.contacts == "The duty senior nurse."
    assert plan.keeping_well != "My new words about breaks."
    # The form now carries the newer version: saving again, deliberately, goes through.
    assert response.context["form"]["version"].value() == str(plan.version)
    again = client.post(edit_url(plan), {**opened, "version": plan.version})
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.keeping_well == "My new words about breaks."


def test_the_supervisors_save_over_my_newer_change_is_refused(client, world, worker, plan):
    supervisor = world.users["supervisor"]
    client.force_login(supervisor)
    opened = staff_words(plan, review_due=(plan.review_due + timedelta(days=7)).isoformat())
    services.wellbeing_plan_own_update(
        plan=plan, by=worker, expected_version=plan.version, keeping_well="My words."
    )

    response = client.post(
        reverse("supervision:wellbeing-plan-edit", args=[plan.person_id]), opened
    )

    assert response.status_code == 200
    assert f"changed by {worker.full_name}" in response.content.decode()
    plan.refresh_from_db()
    assert plan.keeping_well == "My words."


def test_only_the_peer_worker_changes_their_plan_through_the_own_service(world, plan):
    with pytest.raises(services.Refused):
        services.wellbeing_plan_own_update(
            plan=plan,
            by=world.users["supervisor"],
            expected_version=plan.version,
            keeping_well="Not theirs to write here.",
        )


def test_i_see_that_my_supervisor_read_my_plan_and_my_own_reads_are_not_listed(
    client, world, worker, plan
):
    supervisor = world.users["supervisor"]
    ReadLog.objects.filter(kind=ReadKind.WELLBEING_PLAN, object_id=plan.pk).delete()
    staff = client.__class__()
    staff.force_login(supervisor)
    staff.get(reverse("supervision:wellbeing-plan", args=[plan.person_id]))
    client.force_login(worker)

    client.get(plan_url(plan))
    response = client.get(plan_url(plan))

    reads = response.context["page"].reads
    assert [(r.reader_name, r.purpose_label) for r in reads] == [
        (supervisor.full_name, ReadPurpose.VIEWED.label)
    ]
    assert supervisor.full_name in response.content.decode()
    assert not ReadLog.objects.filter(reader=worker).exists()


# Reminders


def test_my_plan_page_reads_what_the_supervision_selector_reads(world, worker, plan):
    """The plan, its changes and the reads by others, as supervision's own
    reading of the peer worker's plan gives them; nobody else's plan."""
    services.wellbeing_plan_own_update(
        plan=plan, by=worker, expected_version=plan.version, keeping_well="Walks at lunch."
    )
    services.wellbeing_plan_read(plan=plan, by=world.users["lead"], purpose=ReadPurpose.VIEWED)
    services.wellbeing_plan_read(plan=plan, by=worker, purpose=ReadPurpose.VIEWED)
    plan.refresh_from_db()

    page = my_plan_page(user=worker, pk=plan.pk)
    expected = supervision_selectors.own_plan_page(plan=plan, user=worker)

    assert page.plan.pk == plan.pk and page.plan.person_id == plan.person_id
    for name in ("keeping_well", "early_signs", "what_helps", "contacts", "review_due"):
        assert getattr(page.plan, name) == getattr(plan, name)
    assert page.changes == expected.changes
    assert [(r.read_at, r.reader_name, r.purpose_label) for r in page.reads] == [
        (r.read_at, r.reader.full_name, r.get_purpose_display()) for r in expected.reads
    ]
    assert page.reads_total == expected.reads_total >= 1
    assert world.users["lead"].full_name in [r.reader_name for r in page.reads]
    assert worker.full_name not in [r.reader_name for r in page.reads]
    with pytest.raises(Http404):
        my_plan_page(user=world.users["peer_worker_other_programme"], pk=plan.pk)


def test_supervision_and_plan_review_reminders_reach_my_account_once(worker, people, plan):
    today = timezone.localdate()
    later = today + timedelta(days=50)

    reminders_run_group(group="supervision", today=later)
    reminders_run_group(group="supervision", today=later)

    person = people["peer_worker_person"]
    objects = {
        SUPERVISION_DUE: person.supervision_assignments.get().pk,
        PLAN_REVIEW_DUE: plan.pk,
    }
    for kind, object_id in objects.items():
        reminders = Reminder.objects.filter(kind=kind, object_id=object_id)
        assert [(r.recipient_user_id, r.recipient_person_id) for r in reminders] == [
            (worker.pk, None)
        ], kind
        assert reminders.get().email is not None
    assert Notification.objects.filter(recipient=worker, key__contains="my_").count() == 2
    assert OutboxEmail.objects.filter(recipient_user=worker).count() == 2


def test_no_reminder_before_the_notice_period(worker, people, plan):
    reminders_run_group(group="supervision", today=timezone.localdate() + timedelta(days=5))

    assert not Reminder.objects.filter(kind__in=[SUPERVISION_DUE, PLAN_REVIEW_DUE]).exists()


def test_a_person_told_by_email_before_their_account_is_not_told_again(worker, people, plan):
    person = people["peer_worker_person"]
    person.user = None
    person.save(update_fields=["user"])
    later = timezone.localdate() + timedelta(days=50)
    reminders_run_group(group="supervision", today=later)
    person.user = worker
    person.save(update_fields=["user"])

    reminders_run_group(group="supervision", today=later)

    mine = Reminder.objects.filter(
        kind=SUPERVISION_DUE, object_id=person.supervision_assignments.get().pk
    )
    assert [(r.recipient_user_id, r.recipient_person_id) for r in mine] == [(None, person.pk)]


# Query counts


def _count(client: Any, url: str, django_assert_num_queries: Any, expected: int) -> None:
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


JOB_QUERIES = 5
SUPERVISION_QUERIES = 5
PLAN_QUERIES = 7
EDIT_QUERIES = 6


def test_my_job_costs_the_same_queries_with_more_absences(
    client, people, worker, django_assert_num_queries
):
    client.force_login(worker)
    appointment = people["peer_worker_appointment"]
    AbsenceFactory(appointment=appointment)
    _count(client, job_url(people), django_assert_num_queries, JOB_QUERIES)
    for days in (30, 50, 70):
        absence = AbsenceFactory(
            appointment=appointment,
            kind=Absence.Kind.SICKNESS,
            starts_on=appointment.start_date + timedelta(days=days),
        )
        AbsenceHealth.objects.create(absence=absence, category=AbsenceHealth.Category.NOT_DISCLOSED)
    _count(client, job_url(people), django_assert_num_queries, JOB_QUERIES)


def test_my_supervision_costs_the_same_queries_with_more_sessions(
    client, world, people, worker, django_assert_num_queries
):
    client.force_login(worker)
    _count(client, supervision_url(people), django_assert_num_queries, SUPERVISION_QUERIES)
    for days in (7, 14, 21):
        record_session(
            world.users["supervisor"],
            [people["peer_worker_person"]],
            held_on=timezone.localdate() - timedelta(days=days),
            shared_summary=f"Summary {days}",
        )
    _count(client, supervision_url(people), django_assert_num_queries, SUPERVISION_QUERIES)


def test_my_plan_costs_the_same_queries_with_more_changes_and_reads(
    client, world, worker, plan, django_assert_num_queries
):
    client.force_login(worker)
    _count(client, plan_url(plan), django_assert_num_queries, PLAN_QUERIES)
    for number in range(3):
        plan.refresh_from_db()
        services.wellbeing_plan_own_update(
            plan=plan, by=worker, expected_version=plan.version, keeping_well=f"Version {number}"
        )
        services.wellbeing_plan_read(plan=plan, by=world.users["lead"], purpose=ReadPurpose.VIEWED)
    _count(client, plan_url(plan), django_assert_num_queries, PLAN_QUERIES)


def test_the_plan_form_costs_the_same_queries_after_more_changes(
    client, worker, plan, django_assert_num_queries
):
    client.force_login(worker)
    _count(client, edit_url(plan), django_assert_num_queries, EDIT_QUERIES)
    for number in range(3):
        plan.refresh_from_db()
        services.wellbeing_plan_own_update(
            plan=plan, by=worker, expected_version=plan.version, contacts=f"Contact {number}"
        )
    _count(client, edit_url(plan), django_assert_num_queries, EDIT_QUERIES)
