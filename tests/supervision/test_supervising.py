"""Supervision of employed peer workers: who may be supervised, the
line-manager warning, history, group sessions, the overdue rule and the
line-manager warning on mentor assignment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from supervision import services
from supervision.models import SupervisionAssignment, SupervisionSession
from supervision.selectors import supervision_overdue
from tests.core.factories import PersonFactory
from tests.supervision.factories import (
    employed,
    lead_of,
    mentor,
    record_session,
    supervise,
    supervisor,
)
from tests.training.factories import ApplicationFactory, CohortFactory, accept
from training.models import Enrolment


@pytest.fixture
def lead(programme):
    return lead_of(programme)


@pytest.fixture
def sam(programme):
    return supervisor(programme, "Sam Rivers")


@pytest.fixture
def worker(programme):
    return employed(programme, first_name="Lena", last_name="Ward")


def test_a_peer_worker_in_post_gets_a_supervisor_with_an_agreed_frequency(worker, sam, lead):
    assignment = services.supervision_assign(
        person=worker, supervisor=sam, frequency_days=14, by=lead
    )

    assert assignment.supervisor == sam
    assert assignment.get_frequency_days_display() == "Every two weeks"


def test_someone_not_in_post_cannot_be_supervised(programme, sam, lead):
    trainee = PersonFactory(programme=programme, first_name="Tia", last_name="Moss")

    with pytest.raises(services.SupervisionRefused, match="not in a peer worker post"):
        services.supervision_assign(person=trainee, supervisor=sam, frequency_days=28, by=lead)


def test_the_cover_supervisor_must_be_someone_else(worker, sam, lead):
    with pytest.raises(services.SupervisionRefused, match="must be someone else"):
        services.supervision_assign(
            person=worker, supervisor=sam, cover_supervisor=sam, frequency_days=28, by=lead
        )


def test_a_supervisor_who_is_the_line_manager_is_warned_about(worker, sam, lead):
    appointment = worker.appointments.get()
    appointment.line_manager = sam
    appointment.save()

    with pytest.raises(services.SupervisorWarnings) as warned:
        services.supervision_assign(person=worker, supervisor=sam, frequency_days=28, by=lead)

    assert warned.value.warnings == [
        "Sam Rivers is Lena Ward's line manager. Supervision is kept apart from line "
        "management: choose someone else unless there is no one."
    ]
    accepted = services.supervision_assign(
        person=worker, supervisor=sam, frequency_days=28, by=lead, accept_warnings=True
    )
    assert "line manager" in accepted.warnings_accepted


def test_changing_the_cover_keeps_the_history(worker, sam, lead, programme):
    first = supervise(worker, sam, by=lead, on=timezone.localdate() - timedelta(days=40))
    cover = supervisor(programme, "Kim Cover")

    second = services.supervision_assign(
        person=worker,
        supervisor=sam,
        cover_supervisor=cover,
        frequency_days=28,
        by=lead,
        reason="Cover for annual leave",
    )

    first.refresh_from_db()
    assert first.ended_on == timezone.localdate()
    assert first.end_reason == "Cover for annual leave"
    assert second.cover_supervisor == cover
    assert SupervisionAssignment.objects.filter(person=worker).count() == 2


def test_the_same_supervision_again_is_refused(worker, sam, lead):
    supervise(worker, sam, by=lead)

    with pytest.raises(services.SupervisionRefused, match="Nothing has changed"):
        services.supervision_assign(person=worker, supervisor=sam, frequency_days=28, by=lead)


# Sessions


def test_a_group_session_is_one_record_for_several_peer_workers(programme, sam):
    workers = [employed(programme) for _ in range(3)]
    for person in workers:
        supervise(person, sam)

    session = record_session(sam, workers, developing_role=True, keeping_well=False)

    assert SupervisionSession.objects.count() == 1
    assert session.kind == SupervisionSession.Kind.GROUP
    assert set(session.attendees.all()) == set(workers)
    for person in workers:
        assert list(person.supervision_sessions.all()) == [session]


def test_a_group_session_needs_two_or_more(worker, sam):
    supervise(worker, sam)

    with pytest.raises(services.SupervisionRefused, match="two or more"):
        record_session(sam, [worker], kind="group")


def test_an_individual_session_is_with_one_peer_worker(programme, sam):
    workers = [employed(programme) for _ in range(2)]
    for person in workers:
        supervise(person, sam)

    with pytest.raises(services.SupervisionRefused, match="one peer worker"):
        record_session(sam, workers, kind="individual")


def test_a_session_must_cover_an_area(worker, sam):
    supervise(worker, sam)

    with pytest.raises(services.Refused, match="which area"):
        record_session(sam, [worker], keeping_well=False, developing_role=False)


def test_a_session_in_the_future_is_refused(worker, sam):
    supervise(worker, sam)

    with pytest.raises(services.SupervisionRefused, match="before it happens"):
        record_session(sam, [worker], held_on=timezone.localdate() + timedelta(days=1))


def test_a_supervisor_records_sessions_only_with_their_own_supervisees(worker, sam, programme):
    supervise(worker, sam)
    stranger = employed(programme)
    supervise(stranger, supervisor(programme, "Kim Other"))

    with pytest.raises(services.SupervisionRefused, match="you supervise or cover"):
        record_session(sam, [worker, stranger])


def test_a_cover_supervisor_records_a_session(worker, sam, programme):
    cover = supervisor(programme, "Kim Cover")
    supervise(worker, sam, cover=cover)

    session = record_session(cover, [worker], after_challenging_event=True)

    assert session.led_by == cover
    assert session.after_challenging_event


def test_the_same_session_form_sent_twice_records_one_session(worker, sam):
    import uuid

    supervise(worker, sam)
    token = uuid.uuid4()
    values = {
        "by": sam,
        "form_token": token,
        "kind": "individual",
        "attendees": [worker],
        "held_on": timezone.localdate(),
        "minutes": 50,
        "keeping_well": True,
    }

    first = services.supervision_session_record(**values)
    second = services.supervision_session_record(**values)

    assert (first[1], second[1]) == (True, False)
    assert SupervisionSession.objects.count() == 1


# The overdue rule


def test_a_supervisee_with_no_session_within_the_frequency_is_overdue(programme, sam):
    today = timezone.localdate()
    recent, lapsed, never = (employed(programme) for _ in range(3))
    for person in (recent, lapsed, never):
        supervise(person, sam, on=today - timedelta(days=60), frequency_days=28)
    record_session(sam, [recent], held_on=today - timedelta(days=10))
    record_session(sam, [lapsed], held_on=today - timedelta(days=35))

    overdue = supervision_overdue(assignments=SupervisionAssignment.objects.all(), today=today)

    assert {a.person for a in overdue} == {lapsed, never}


def test_a_group_session_counts_for_each_attendee(programme, sam):
    today = timezone.localdate()
    workers = [employed(programme) for _ in range(2)]
    for person in workers:
        supervise(person, sam, on=today - timedelta(days=60), frequency_days=14)
    record_session(sam, workers, held_on=today - timedelta(days=3))

    assert not supervision_overdue(
        assignments=SupervisionAssignment.objects.all(), today=today
    ).exists()
    later = today + timedelta(days=12)
    assert (
        supervision_overdue(assignments=SupervisionAssignment.objects.all(), today=later).count()
        == 2
    )


def test_a_new_supervision_is_not_overdue_before_its_first_interval(worker, sam):
    today = timezone.localdate()
    supervise(worker, sam, on=today - timedelta(days=5), frequency_days=7)

    assert not supervision_overdue(
        assignments=SupervisionAssignment.objects.all(), today=today
    ).exists()
    assert supervision_overdue(
        assignments=SupervisionAssignment.objects.all(), today=today + timedelta(days=3)
    ).exists()


# Mentoring: the line manager, as deployment records it


def test_a_mentor_who_is_the_peer_workers_line_manager_is_warned_about(programme, lead):
    grace = mentor(programme, "Grace Okafor")
    worker = employed(programme, first_name="Ada", last_name="Okoro")
    appointment = worker.appointments.get()
    appointment.line_manager = grace
    appointment.save()
    cohort = CohortFactory(programme=programme)
    accept(ApplicationFactory(cohort=cohort, person=worker))
    enrolment = Enrolment.objects.get(person=worker)

    with pytest.raises(services.MentorWarnings) as warned:
        services.mentor_assign(enrolment=enrolment, mentor=grace, by=lead)

    assert warned.value.warnings == ["Grace Okafor is Ada Okoro's line manager."]


def test_the_overdue_list_is_one_query_and_agrees_with_the_supervisors_page(
    programme, sam, django_assert_num_queries
):
    from supervision.selectors import is_overdue, with_last_session

    today = timezone.localdate()
    people = [employed(programme) for _ in range(6)]
    for number, person in enumerate(people):
        supervise(person, sam, on=today - timedelta(days=40 + 10 * number), frequency_days=28)
    record_session(sam, people[:2], held_on=today - timedelta(days=27))
    record_session(sam, people[2:3], held_on=today - timedelta(days=29))

    for day in (today, today + timedelta(days=1), today + timedelta(days=30)):
        with django_assert_num_queries(1):
            listed = set(
                supervision_overdue(
                    assignments=SupervisionAssignment.objects.all(), today=day
                ).values_list("pk", flat=True)
            )
        one_by_one = {
            a.pk
            for a in with_last_session(assignments=SupervisionAssignment.objects.all())
            if is_overdue(assignment=a, today=day)
        }
        assert listed == one_by_one
    assert listed == {a.pk for a in SupervisionAssignment.objects.all()}


def test_the_overviews_figures_agree_with_the_supervisors_page(programme, sam, lead):
    from supervision.selectors import is_overdue, with_last_session
    from supervision.selectors.overview import overview_figures

    today = timezone.localdate()
    people = [employed(programme) for _ in range(8)]
    for number, person in enumerate(people[:6]):
        supervise(
            person,
            sam,
            on=today - timedelta(days=5 + 9 * number),
            frequency_days=(7, 14, 28, 42)[number % 4],
        )
    record_session(sam, people[:2], held_on=today - timedelta(days=3))
    record_session(sam, people[2:4], held_on=today - timedelta(days=20))
    record_session(sam, people[4:5], held_on=today - timedelta(days=30))

    for day in (today, today + timedelta(days=5), today + timedelta(days=30)):
        one_by_one = sum(
            1
            for a in with_last_session(assignments=SupervisionAssignment.objects.all())
            if is_overdue(assignment=a, today=day)
        )
        assert overview_figures(user=lead, today=day) == (8, one_by_one, 2)
