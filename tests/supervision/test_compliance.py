"""The mentoring minimum at several points of a course: on track, behind for
this point in the course, met; only meetings during the course count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from supervision import services
from supervision.models import MentorMeeting
from supervision.selectors import (
    Compliance,
    compliance_of,
    compliance_state,
    meetings_expected_by,
    mentoring_behind,
    mentoring_met,
    mentoring_on_track,
    with_mentoring,
)
from tests.supervision.factories import assign, lead_of, leave, log_meeting, mentor
from tests.training.factories import CohortFactory, enrol
from training.models import Enrolment

START = date(2026, 4, 6)
END = START + timedelta(weeks=12)


def state(held: int, today: date, minimum: int = 3) -> str:
    return compliance_state(held=held, minimum=minimum, start=START, end=END, today=today)


def test_no_meetings_are_expected_before_or_on_the_first_day() -> None:
    assert meetings_expected_by(start=START, end=END, minimum=3, today=START - timedelta(1)) == 0
    assert state(0, START) == Compliance.ON_TRACK


def test_one_meeting_is_expected_after_a_third_of_the_course() -> None:
    assert state(0, START + timedelta(weeks=4) - timedelta(days=1)) == Compliance.ON_TRACK
    assert state(0, START + timedelta(weeks=4)) == Compliance.BEHIND
    assert state(1, START + timedelta(weeks=4)) == Compliance.ON_TRACK


def test_two_meetings_are_expected_after_two_thirds_of_the_course() -> None:
    assert state(1, START + timedelta(weeks=8)) == Compliance.BEHIND
    assert state(2, START + timedelta(weeks=8)) == Compliance.ON_TRACK


def test_at_the_end_of_the_course_fewer_than_the_minimum_is_behind() -> None:
    assert state(2, END) == Compliance.BEHIND
    assert state(2, END + timedelta(weeks=10)) == Compliance.BEHIND


def test_the_minimum_is_met_at_any_point() -> None:
    assert state(3, START + timedelta(weeks=2)) == Compliance.MET
    assert state(4, END + timedelta(weeks=1)) == Compliance.MET


def test_a_cohort_may_ask_for_more_meetings() -> None:
    assert state(3, START + timedelta(weeks=6), minimum=6) == Compliance.ON_TRACK
    assert state(2, START + timedelta(weeks=6), minimum=6) == Compliance.BEHIND
    assert state(6, START + timedelta(weeks=6), minimum=6) == Compliance.MET


@pytest.fixture
def trainee(programme):
    today = date.today()
    cohort = CohortFactory(
        programme=programme,
        training_start=today - timedelta(weeks=9),
        training_end=today + timedelta(weeks=3),
    )
    enrolment = enrol(cohort, first_name="Ada", last_name="Okoro")
    grace = mentor(programme, "Grace Okafor")
    assign(enrolment, grace, on=cohort.training_start)
    return enrolment, grace


def _state(enrolment: Enrolment) -> str:
    return compliance_of(
        enrolment=with_mentoring(enrolments=Enrolment.objects.filter(pk=enrolment.pk)).get()
    )


def test_a_trainee_in_week_nine_with_one_meeting_is_behind(trainee) -> None:
    enrolment, grace = trainee
    log_meeting(enrolment, grace, enrolment.cohort.training_start + timedelta(days=10))

    assert _state(enrolment) == Compliance.BEHIND


def test_a_trainee_in_week_nine_with_two_meetings_is_on_track(trainee) -> None:
    enrolment, grace = trainee
    for days in (10, 40):
        log_meeting(enrolment, grace, enrolment.cohort.training_start + timedelta(days=days))

    assert _state(enrolment) == Compliance.ON_TRACK


def test_a_third_meeting_meets_the_minimum(trainee) -> None:
    enrolment, grace = trainee
    for days in (10, 40, 60):
        log_meeting(enrolment, grace, enrolment.cohort.training_start + timedelta(days=days))

    assert _state(enrolment) == Compliance.MET


def test_shadowing_and_other_contact_do_not_count(trainee) -> None:
    enrolment, grace = trainee
    start = enrolment.cohort.training_start
    log_meeting(enrolment, grace, start + timedelta(days=10))
    log_meeting(enrolment, grace, start + timedelta(days=20), kind=MentorMeeting.Kind.SHADOWING)
    log_meeting(enrolment, grace, start + timedelta(days=30), kind=MentorMeeting.Kind.OTHER)

    annotated = with_mentoring(enrolments=Enrolment.objects.filter(pk=enrolment.pk)).get()
    assert annotated.meetings_held == 1


def test_meetings_after_the_course_do_not_count(programme) -> None:
    today = date.today()
    cohort = CohortFactory(
        programme=programme,
        training_start=today - timedelta(weeks=14),
        training_end=today - timedelta(weeks=2),
    )
    enrolment = enrol(cohort)
    grace = mentor(programme)
    assign(enrolment, grace, on=cohort.training_start)
    for days in (5, 30):
        log_meeting(enrolment, grace, cohort.training_start + timedelta(days=days))
    log_meeting(enrolment, grace, cohort.training_end + timedelta(days=3))

    assert _state(enrolment) == Compliance.BEHIND


def test_meetings_with_an_earlier_mentor_still_count(trainee, programme) -> None:
    enrolment, grace = trainee
    log_meeting(enrolment, grace, enrolment.cohort.training_start + timedelta(days=10))
    daniel = mentor(programme, "Daniel Hughes")
    assign(enrolment, daniel, on=enrolment.cohort.training_start + timedelta(days=40))
    log_meeting(enrolment, daniel, enrolment.cohort.training_start + timedelta(days=50))

    assert _state(enrolment) == Compliance.ON_TRACK


def test_the_cohorts_minimum_setting_is_used(trainee) -> None:
    enrolment, grace = trainee
    for days in (10, 40):
        log_meeting(enrolment, grace, enrolment.cohort.training_start + timedelta(days=days))
    services.cohort_mentoring_update(
        cohort=enrolment.cohort, by=lead_of(enrolment.cohort.programme), minimum_meetings=2
    )

    assert _state(enrolment) == Compliance.MET


def test_a_trainee_who_left_the_course_has_no_mentoring_state(trainee) -> None:
    enrolment, _grace = trainee
    leave(enrolment)

    assert _state(enrolment) == Compliance.ENDED


def test_the_selectors_for_reminders_split_trainees_by_state(programme) -> None:
    today = date.today()
    cohort = CohortFactory(
        programme=programme,
        training_start=today - timedelta(weeks=6),
        training_end=today + timedelta(weeks=6),
    )
    grace = mentor(programme, "Grace Okafor", capacity=5)
    behind, on_track, met = (enrol(cohort) for _ in range(3))
    for enrolment in (behind, on_track, met):
        assign(enrolment, grace, on=cohort.training_start)
    log_meeting(on_track, grace, cohort.training_start + timedelta(days=3))
    for days in (3, 10, 20):
        log_meeting(met, grace, cohort.training_start + timedelta(days=days))
    everyone = Enrolment.objects.filter(cohort=cohort)

    assert list(mentoring_behind(enrolments=everyone, today=today)) == [behind]
    assert list(mentoring_on_track(enrolments=everyone, today=today)) == [on_track]
    assert list(mentoring_met(enrolments=everyone, today=today)) == [met]
    # Four weeks later the trainee with one meeting has fallen behind too.
    later = today + timedelta(weeks=4)
    assert set(mentoring_behind(enrolments=everyone, today=later)) == {behind, on_track}
