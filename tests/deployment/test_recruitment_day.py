"""Vacancies, the recruitment day and its decisions, and the reserve list."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from deployment import services
from deployment.models import (
    Appointment,
    Candidate,
    Interview,
    Post,
    PreEmploymentCheck,
    ReserveEntry,
    Vacancy,
)
from deployment.services import DeploymentError
from tests.core.factories import ServiceFactory
from tests.deployment.factories import (
    CandidateFactory,
    InterviewFactory,
    PanelFactory,
    PeerPostFactory,
    PostFactory,
    RecruitmentDayFactory,
    ReserveEntryFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(programme):
    return ServiceFactory(programme=programme, name="Rowan House")


@pytest.fixture
def day(programme):
    return RecruitmentDayFactory(programme=programme, date=date(2026, 3, 10))


@pytest.fixture
def vacancy(service):
    return VacancyFactory(post=PeerPostFactory(service=service, position_number="LXP-1"))


def interview_for(day, vacancy, **kwargs) -> Interview:
    return InterviewFactory(day=day, candidate=CandidateFactory(vacancy=vacancy), **kwargs)


def test_only_a_vacant_peer_post_can_be_advertised(service, hr):
    hca = PostFactory(service=service, position_number="HCA-7")

    with pytest.raises(DeploymentError, match=r"not a peer worker post\. Convert it first"):
        services.vacancy_create(
            post=hca, advert_reference="A1", closing_date=timezone.localdate(), by=hr
        )


def test_a_post_is_advertised_once_at_a_time(service, hr):
    post = PeerPostFactory(service=service)
    services.vacancy_create(
        post=post, advert_reference="A1", closing_date=timezone.localdate(), by=hr
    )

    with pytest.raises(DeploymentError, match="already advertised"):
        services.vacancy_create(
            post=post, advert_reference="A2", closing_date=timezone.localdate(), by=hr
        )


def test_a_closing_date_before_the_advert_opens_is_refused(service, hr):
    with pytest.raises(DeploymentError, match="closing date"):
        services.vacancy_create(
            post=PeerPostFactory(service=service),
            advert_reference="A1",
            closing_date=timezone.localdate() - timedelta(days=1),
            by=hr,
        )


def test_a_closed_vacancy_takes_no_candidates(vacancy, hr, world):
    services.vacancy_close(vacancy=vacancy, by=hr)

    with pytest.raises(DeploymentError, match="closed"):
        services.candidate_add(vacancy=vacancy, person=world.person, by=hr)


def test_shortlisting_then_withdrawing_a_candidate(vacancy, hr):
    candidate = CandidateFactory(vacancy=vacancy, status=Candidate.Status.APPLIED)

    services.candidate_set_status(candidate=candidate, status="shortlisted", by=hr)
    services.candidate_set_status(candidate=candidate, status="withdrawn", by=hr)

    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.WITHDRAWN
    with pytest.raises(DeploymentError, match="cannot be marked shortlisted"):
        services.candidate_set_status(candidate=candidate, status="shortlisted", by=hr)


def test_only_shortlisted_candidates_get_an_interview_slot(day, vacancy, hr):
    candidate = CandidateFactory(vacancy=vacancy, status=Candidate.Status.APPLIED)

    with pytest.raises(DeploymentError, match="has not been shortlisted"):
        services.interview_schedule(
            day=day, candidate=candidate, starts_at=time(10), panel=None, by=hr
        )


def test_a_panel_cannot_have_two_interviews_at_the_same_time(day, vacancy, hr):
    panel = PanelFactory(day=day, name="Panel A")
    interview_for(day, vacancy, panel=panel, starts_at=time(11, 30))
    second = CandidateFactory(vacancy=vacancy)

    with pytest.raises(DeploymentError, match="Panel A already has an interview at 11:30"):
        services.interview_schedule(
            day=day, candidate=second, starts_at=time(11, 30), panel=panel, by=hr
        )


def test_a_panel_of_another_day_is_refused(day, vacancy, hr, programme):
    other_day_panel = PanelFactory(day=RecruitmentDayFactory(programme=programme))

    with pytest.raises(DeploymentError, match="panel of this recruitment day"):
        services.interview_schedule(
            day=day,
            candidate=CandidateFactory(vacancy=vacancy),
            starts_at=time(9),
            panel=other_day_panel,
            by=hr,
        )


def test_appointing_offers_the_post_with_four_checks_outstanding(day, vacancy, lead):
    interview = interview_for(day, vacancy)

    services.interview_record_outcome(
        interview=interview, outcome="appoint", notes="Strong on lived experience", by=lead
    )

    appointment = Appointment.objects.get(interview=interview)
    assert appointment.status == Appointment.Status.OFFERED
    assert appointment.person == interview.candidate.person
    assert appointment.post == vacancy.post
    assert (
        sorted(appointment.checks.values_list("status", flat=True))
        == [PreEmploymentCheck.Status.NOT_STARTED] * 4
    )
    vacancy.refresh_from_db()
    vacancy.post.refresh_from_db()
    assert vacancy.post.status == Post.Status.FILLED
    assert vacancy.status == Vacancy.Status.CLOSED
    interview.refresh_from_db()
    assert interview.decided_by == lead


def test_appointment_hours_follow_the_post(day, service, hr):
    vacancy = VacancyFactory(post=PeerPostFactory(service=service, wte="0.60"))
    interview = interview_for(day, vacancy)

    services.interview_record_outcome(interview=interview, outcome="appoint", by=hr)

    appointment = Appointment.objects.get(interview=interview)
    assert appointment.contract == Appointment.Contract.PART_TIME
    assert str(appointment.hours_per_week) == "22.5"


def test_a_second_appointment_to_the_same_post_is_refused(day, vacancy, hr):
    first = interview_for(day, vacancy, starts_at=time(10))
    second = interview_for(day, vacancy, starts_at=time(11))
    services.interview_record_outcome(interview=first, outcome="appoint", by=hr)

    with pytest.raises(DeploymentError, match="only a vacant post can be appointed to"):
        services.interview_record_outcome(interview=second, outcome="appoint", by=hr)
    second.refresh_from_db()
    assert second.outcome == Interview.Outcome.PENDING


def test_a_decision_to_appoint_is_final_here(day, vacancy, hr):
    interview = interview_for(day, vacancy)
    services.interview_record_outcome(interview=interview, outcome="appoint", by=hr)

    with pytest.raises(DeploymentError, match="withdraw it on the appointment page"):
        services.interview_record_outcome(interview=interview, outcome="reserve", by=hr)


def test_reserve_places_the_person_on_the_list_for_the_months_given(day, vacancy, hr):
    interview = interview_for(day, vacancy)

    services.interview_record_outcome(
        interview=interview, outcome="reserve", reserve_months=6, by=hr
    )

    entry = ReserveEntry.objects.get(interview=interview)
    assert entry.person == interview.candidate.person
    assert entry.placed_on == date(2026, 3, 10)
    assert entry.stands_until == date(2026, 9, 10)
    assert entry.status == ReserveEntry.Status.STANDING
    assert not Appointment.objects.filter(person=entry.person).exists()


def test_changing_reserve_to_not_appointed_takes_the_person_off_the_list(day, vacancy, hr):
    interview = interview_for(day, vacancy)
    services.interview_record_outcome(interview=interview, outcome="reserve", by=hr)

    services.interview_record_outcome(interview=interview, outcome="not_appointed", by=hr)

    assert ReserveEntry.objects.get(interview=interview).status == ReserveEntry.Status.REMOVED


def test_someone_already_on_the_reserve_list_is_not_placed_twice(day, vacancy, hr):
    interview = interview_for(day, vacancy)
    ReserveEntryFactory(person=interview.candidate.person)

    with pytest.raises(DeploymentError, match="already on the reserve list"):
        services.interview_record_outcome(interview=interview, outcome="reserve", by=hr)
    interview.refresh_from_db()
    assert interview.outcome == Interview.Outcome.PENDING


def test_a_reserve_is_appointed_to_a_vacant_post(service, hr):
    entry = ReserveEntryFactory(person__programme=service.programme)
    post = PeerPostFactory(service=service)

    appointment = services.reserve_appoint(entry=entry, post=post, by=hr)

    entry.refresh_from_db()
    assert entry.status == ReserveEntry.Status.APPOINTED
    assert appointment.reserve_entry == entry
    assert appointment.status == Appointment.Status.OFFERED


def test_a_reserve_entry_that_has_run_out_cannot_be_appointed(service, hr):
    today = timezone.localdate()
    entry = ReserveEntryFactory(
        person__programme=service.programme,
        placed_on=today - timedelta(days=400),
        stands_until=today - timedelta(days=35),
    )

    with pytest.raises(DeploymentError, match="not standing today"):
        services.reserve_appoint(entry=entry, post=PeerPostFactory(service=service), by=hr)


def test_withdrawing_an_offer_from_the_reserve_puts_the_person_back_on_the_list(service, hr):
    entry = ReserveEntryFactory(person__programme=service.programme)
    appointment = services.reserve_appoint(
        entry=entry, post=PeerPostFactory(service=service), by=hr
    )

    services.appointment_withdraw(appointment=appointment, by=hr)

    entry.refresh_from_db()
    appointment.post.refresh_from_db()
    assert entry.status == ReserveEntry.Status.STANDING
    assert appointment.post.status == Post.Status.VACANT
