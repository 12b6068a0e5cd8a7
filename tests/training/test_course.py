from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.training.factories import enrol, past_session
from training import services
from training.models import Attendance, CourseSession
from training.selectors import attendance_rate
from training.services import TrainingError

pytestmark = pytest.mark.django_db


def test_the_default_template_has_the_studys_topics_in_order(programme):
    template = services.course_template_ensure_default(programme=programme)
    again = services.course_template_ensure_default(programme=programme)

    titles = list(template.topics.values_list("title", flat=True))
    assert again.pk == template.pk
    assert titles[:3] == ["Work readiness skills", "Recovery", "Self-management"]
    assert "Suicide prevention" in titles
    assert len(titles) == 14


def test_a_timetable_is_generated_over_the_cohorts_weeks(cohort, course_lead):
    template = services.course_template_ensure_default(programme=cohort.programme)

    sessions = services.timetable_generate(cohort=cohort, template=template, by=course_lead)

    assert len(sessions) == 14
    assert sessions[0].date == cohort.training_start
    assert all(cohort.training_start <= s.date < cohort.training_end for s in sessions)
    assert all(s.date.weekday() == cohort.training_start.weekday() for s in sessions)
    same_day = [s for s in sessions if s.date == sessions[0].date]
    assert len(same_day) == 2
    assert same_day[1].starts_at > same_day[0].starts_at


def test_a_timetable_is_not_generated_twice(cohort, course_lead):
    template = services.course_template_ensure_default(programme=cohort.programme)
    services.timetable_generate(cohort=cohort, template=template, by=course_lead)

    with pytest.raises(TrainingError, match="already has a timetable"):
        services.timetable_generate(cohort=cohort, template=template, by=course_lead)
    assert CourseSession.objects.filter(cohort=cohort).count() == 14


def test_a_session_is_moved_and_cancelled(cohort, course_lead):
    session = past_session(cohort, days_ago=-7)
    new_day = session.date + timedelta(days=1)

    services.session_update(
        session=session,
        by=course_lead,
        date=new_day,
        co_facilitators=[("Sam Peer", "peer_worker"), ("Dr Jones", "professional")],
    )
    services.session_cancel(session=session, reason="Venue flooded", by=course_lead)

    session.refresh_from_db()
    assert session.date == new_day
    assert session.is_cancelled
    assert [c.kind for c in session.co_facilitators.all()] == ["peer_worker", "professional"]


def test_a_session_needs_a_place_unless_online(cohort, course_lead):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        past_session(cohort, place="")
    assert past_session(cohort, place="", is_online=True).is_online


def test_a_register_is_filled_for_the_whole_cohort(cohort, facilitator):
    ada, ben = enrol(cohort), enrol(cohort)
    session = past_session(cohort)

    written = services.attendance_record(
        session=session, marks={ada.pk: "present", ben.pk: "late"}, by=facilitator
    )
    again = services.attendance_record(
        session=session, marks={ada.pk: "present", ben.pk: "absent"}, by=facilitator
    )

    assert (written, again) == (2, 1)
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        ada.pk: "present",
        ben.pk: "absent",
    }


def test_a_register_refuses_someone_from_another_cohort(cohort, facilitator, programme):
    from tests.training.factories import CohortFactory

    stranger = enrol(CohortFactory(programme=programme))
    session = past_session(cohort)

    with pytest.raises(TrainingError, match="not on this session"):
        services.attendance_record(session=session, marks={stranger.pk: "present"}, by=facilitator)
    assert not Attendance.objects.exists()


def test_a_register_is_refused_for_a_future_or_cancelled_session(cohort, facilitator, course_lead):
    trainee = enrol(cohort)
    future = past_session(cohort, days_ago=-3)
    cancelled = past_session(cohort)
    services.session_cancel(session=cancelled, reason="Ill facilitator", by=course_lead)

    with pytest.raises(TrainingError, match="on or after"):
        services.attendance_record(session=future, marks={trainee.pk: "present"}, by=facilitator)
    with pytest.raises(TrainingError, match="cancelled"):
        services.attendance_record(session=cancelled, marks={trainee.pk: "present"}, by=facilitator)


def test_attendance_rate_leaves_out_authorised_absences_and_cancelled_sessions(
    cohort, facilitator, course_lead
):
    trainee = enrol(cohort)
    statuses = ["present", "late", "absent", "authorised", "present"]
    sessions = [past_session(cohort, days_ago=30 - i) for i in range(len(statuses))]
    for session, status in zip(sessions, statuses, strict=True):
        services.attendance_record(session=session, marks={trainee.pk: status}, by=facilitator)
    services.session_cancel(session=sessions[-1], reason="Room double-booked", by=course_lead)

    assert attendance_rate(enrolment=trainee) == round(2 * 100 / 3)


def test_attendance_rate_is_unknown_before_any_register(cohort):
    assert attendance_rate(enrolment=enrol(cohort)) is None


def test_settings_refuse_a_final_deadline_before_the_draft(cohort, course_lead):
    training = services.cohort_training_ensure(cohort=cohort)

    with pytest.raises(TrainingError, match="before the mid-course"):
        services.cohort_training_update(
            training=training, by=course_lead, final_due=training.draft_due - timedelta(days=1)
        )


def test_settings_refuse_a_default_assessor_without_the_assessor_role(cohort, course_lead):
    training = services.cohort_training_ensure(cohort=cohort)

    with pytest.raises(TrainingError, match="must be an assessor"):
        services.cohort_training_update(training=training, by=course_lead, facilitator=course_lead)


def test_settings_thresholds_can_be_changed_by_the_lead(cohort, course_lead):
    training = services.cohort_training_ensure(cohort=cohort)
    services.cohort_training_update(
        training=training,
        by=course_lead,
        attendance_threshold=80,
        draft_due=timezone.localdate(),
        final_due=timezone.localdate() + timedelta(days=30),
    )
    training.refresh_from_db()
    assert training.attendance_threshold == 80


def test_a_cancelled_session_can_be_restored(cohort, course_lead):
    session = past_session(cohort)
    services.session_cancel(session=session, reason="Snow", by=course_lead)

    services.session_update(session=session, by=course_lead, status=CourseSession.Status.SCHEDULED)

    session.refresh_from_db()
    assert not session.is_cancelled
    assert session.cancel_reason == ""


def test_a_session_cannot_be_cancelled_twice(cohort, course_lead):
    session = past_session(cohort)
    services.session_cancel(session=session, reason="Snow", by=course_lead)

    with pytest.raises(TrainingError, match="already been cancelled"):
        services.session_cancel(session=session, reason="Again", by=course_lead)
