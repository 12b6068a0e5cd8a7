from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.training.factories import (
    CohortFactory,
    enrol,
    mark,
    past_session,
    submit,
    upload,
)
from training import selectors, services
from training.models import Enrolment

pytestmark = pytest.mark.django_db


def keys(enrolments) -> set[int]:
    return set(enrolments.values_list("pk", flat=True))


def test_attendance_under_the_threshold_is_at_risk(cohort, facilitator):
    low, fine = enrol(cohort), enrol(cohort)
    for day, (low_mark, fine_mark) in enumerate(
        [("present", "present"), ("absent", "present"), ("absent", "late"), ("present", "absent")]
    ):
        session = past_session(cohort, days_ago=20 - day)
        services.attendance_record(
            session=session, marks={low.pk: low_mark, fine.pk: fine_mark}, by=facilitator
        )

    at_risk = selectors.at_risk_low_attendance(enrolments=Enrolment.objects.all())

    assert keys(at_risk) == {low.pk}


def test_the_attendance_threshold_is_the_cohorts_setting(cohort, facilitator, course_lead):
    trainee = enrol(cohort)
    for day, status in enumerate(["present", "present", "present", "absent"]):
        session = past_session(cohort, days_ago=20 - day)
        services.attendance_record(session=session, marks={trainee.pk: status}, by=facilitator)
    training = services.cohort_training_ensure(cohort=cohort)
    assert not selectors.at_risk_low_attendance(enrolments=Enrolment.objects.all()).exists()

    services.cohort_training_update(training=training, by=course_lead, attendance_threshold=80)

    assert keys(selectors.at_risk_low_attendance(enrolments=Enrolment.objects.all())) == {
        trainee.pk
    }


def test_no_draft_by_mid_course_is_at_risk_only_after_the_draft_date(cohort, facilitator):
    without, with_draft = enrol(cohort), enrol(cohort)
    services.draft_record(enrolment=with_draft, upload=upload(), by=facilitator)
    draft_due = cohort.training.draft_due
    everyone = Enrolment.objects.all()

    assert not selectors.at_risk_no_draft_by_mid_course(
        enrolments=everyone, today=draft_due
    ).exists()
    later = draft_due + timedelta(days=1)
    assert keys(selectors.at_risk_no_draft_by_mid_course(enrolments=everyone, today=later)) == {
        without.pk
    }


def test_no_final_by_the_deadline_is_at_risk(assessed_cohort, facilitator):
    missing, submitted = enrol(assessed_cohort), enrol(assessed_cohort)
    submit(submitted, by=facilitator)
    after = assessed_cohort.training.final_due + timedelta(days=1)

    at_risk = selectors.at_risk_no_final_by_deadline(
        enrolments=Enrolment.objects.all(), today=after
    )

    assert keys(at_risk) == {missing.pk}


def test_a_pending_referral_is_at_risk_until_the_resubmission_comes_in(
    assessed_cohort, facilitator, second_assessor
):
    trainee = enrol(assessed_cohort)
    submission = submit(trainee, by=facilitator)
    mark(submission, facilitator, "referral")
    mark(submission, second_assessor, "referral")

    assert keys(selectors.at_risk_referral_pending(enrolments=Enrolment.objects.all())) == {
        trainee.pk
    }
    submit(trainee, by=facilitator)
    assert not selectors.at_risk_referral_pending(enrolments=Enrolment.objects.all()).exists()


def test_closed_enrolments_are_never_at_risk(cohort, course_lead):
    trainee = enrol(cohort)
    reason = services.non_completion_reasons_ensure_defaults(programme=cohort.programme)[2]
    services.enrolment_close(enrolment=trainee, reason=reason, by=course_lead)
    far_later = timezone.localdate() + timedelta(days=365)

    reasons = selectors.at_risk_reasons(enrolments=Enrolment.objects.all(), today=far_later)

    assert reasons == {}


def test_the_at_risk_list_names_every_rule_a_trainee_breaks(cohort, course_lead, facilitator):
    trainee = enrol(cohort)
    session = past_session(cohort)
    services.attendance_record(session=session, marks={trainee.pk: "absent"}, by=facilitator)
    course_lead.programme = cohort.programme
    far_later = cohort.training.final_due + timedelta(days=1)

    rows = selectors.at_risk_list(user=course_lead, today=far_later)

    assert [(e.pk, rules) for e, rules in rows] == [
        (
            trainee.pk,
            [
                "Attendance under the threshold",
                "No draft by mid-course",
                "No final portfolio by the deadline",
            ],
        )
    ]


def test_eligible_people_are_those_who_passed_from_the_day_of_the_pass(
    assessed_cohort, facilitator, second_assessor
):
    passed, still_training = enrol(assessed_cohort), enrol(assessed_cohort)
    submission = submit(passed, by=facilitator)
    mark(submission, facilitator, "pass")
    mark(submission, second_assessor, "pass")
    today = timezone.localdate()

    people = selectors.eligible_people(programme=assessed_cohort.programme)

    assert [p.pk for p in people] == [passed.person_id]
    assert people[0].eligible_from == today
    assert selectors.eligible_from(person=passed.person) == today
    assert selectors.eligible_from(person=still_training.person) is None
    yesterday = today - timedelta(days=1)
    assert not selectors.eligible_people(programme=assessed_cohort.programme, on=yesterday).exists()


def test_another_programmes_graduates_are_not_eligible_here(
    assessed_cohort, facilitator, second_assessor, other_programme
):
    trainee = enrol(assessed_cohort)
    submission = submit(trainee, by=facilitator)
    mark(submission, facilitator, "pass")
    mark(submission, second_assessor, "pass")

    assert not selectors.eligible_people(programme=other_programme).exists()


def test_a_mentors_view_of_progress_has_no_files_feedback_or_decisions(
    assessed_cohort, facilitator, second_assessor
):
    trainee = enrol(assessed_cohort)
    session = past_session(assessed_cohort)
    services.attendance_record(session=session, marks={trainee.pk: "present"}, by=facilitator)
    draft = services.draft_record(enrolment=trainee, upload=upload(), by=facilitator)
    services.draft_feedback(draft=draft, feedback="Private words", by=facilitator)
    submission = submit(trainee, by=facilitator)
    mark(submission, facilitator, "pass")
    mark(submission, second_assessor, "referral")

    progress = selectors.progress_for_people(person_ids=[trainee.person_id])[trainee.person_id]

    assert progress.attendance_rate == 100
    assert progress.drafts_received == 1
    assert progress.portfolio_state_label == "With the assessors"
    values = " ".join(str(v) for v in vars(progress).values())
    assert "Private words" not in values
    assert "referral" not in values.lower()
    assert not hasattr(progress, "file")


def test_progress_for_many_mentees_takes_the_same_grouped_queries_however_many(
    cohort, django_assert_num_queries, programme
):
    # The enrolments, then one grouped query each for attendance, drafts,
    # tutorials, submissions and marks: never a subquery per trainee.
    few = [enrol(cohort).person_id for _ in range(2)]
    with django_assert_num_queries(6):
        progress = selectors.progress_for_people(person_ids=few)
    assert set(progress) == set(few)

    many = few + [enrol(cohort).person_id for _ in range(8)]
    with django_assert_num_queries(6):
        progress = selectors.progress_for_people(person_ids=many)
    assert set(progress) == set(many)


def test_the_timeline_shows_each_step_without_an_early_decision(
    assessed_cohort, facilitator, second_assessor, course_lead
):
    trainee = enrol(assessed_cohort)
    draft = services.draft_record(enrolment=trainee, upload=upload("draft.pdf"), by=facilitator)
    services.draft_feedback(draft=draft, feedback="Good start", by=facilitator)
    services.tutorial_record(
        enrolment=trainee, held_on=timezone.localdate(), minutes=30, by=facilitator
    )
    submission = submit(trainee, by=facilitator)
    mark(submission, facilitator, "referral")

    texts = [e.what for e in selectors.enrolment_timeline(user=course_lead, enrolment=trainee)]

    assert any(t.startswith("Enrolled on") for t in texts)
    assert "Draft received (draft.pdf)" in texts
    assert any(t.startswith("Feedback written") for t in texts)
    assert any(t.startswith("Tutorial on") for t in texts)
    assert "Final portfolio received" in texts
    assert "An assessor marked the final portfolio" in texts
    assert not any("referral" in t.lower() for t in texts)

    mark(submission, second_assessor, "referral")
    texts = [e.what for e in selectors.enrolment_timeline(user=course_lead, enrolment=trainee)]
    assert any(t.startswith("Final portfolio assessed: referral") for t in texts)
    assert any(t.startswith("Referred") for t in texts)


def test_the_timeline_hides_a_health_reason_from_a_facilitator(cohort, course_lead, facilitator):
    trainee = enrol(cohort)
    reasons = services.non_completion_reasons_ensure_defaults(programme=cohort.programme)
    health = next(r for r in reasons if r.category == "left_health")
    services.enrolment_close(enrolment=trainee, reason=health, by=course_lead)

    for_lead = [e.what for e in selectors.enrolment_timeline(user=course_lead, enrolment=trainee)]
    for_facilitator = [
        e.what for e in selectors.enrolment_timeline(user=facilitator, enrolment=trainee)
    ]

    assert any("health issues" in t for t in for_lead)
    assert not any("health" in t for t in for_facilitator)
    assert "Did not complete the course" in for_facilitator


def test_the_timeline_takes_a_fixed_number_of_queries(
    assessed_cohort, facilitator, course_lead, django_assert_num_queries
):
    trainee = enrol(assessed_cohort)
    for _ in range(3):
        services.draft_record(enrolment=trainee, upload=upload(), by=facilitator)
        services.tutorial_record(
            enrolment=trainee, held_on=timezone.localdate(), minutes=30, by=facilitator
        )
    submit(trainee, by=facilitator)

    with django_assert_num_queries(7):
        selectors.enrolment_timeline(user=course_lead, enrolment=trainee)


def test_cohort_outcomes_are_counted_by_the_studys_categories(programme, course_lead):
    cohort = CohortFactory(programme=programme)
    reasons = {
        r.category: r for r in services.non_completion_reasons_ensure_defaults(programme=programme)
    }
    for category in ["portfolio_not_submitted", "left_health", "left_personal"]:
        services.enrolment_close(enrolment=enrol(cohort), reason=reasons[category], by=course_lead)
    enrol(cohort)

    row = selectors.cohort_list(user=course_lead).get(pk=cohort.pk)
    assert (row.trainees, row.completed, row.not_completed) == (4, 0, 3)
    assert (row.portfolio_not_completed, row.left) == (1, 2)
    assert selectors.non_completion_breakdown(user=course_lead, cohort=cohort) == [
        ("Portfolio not submitted", 1),
        ("Left: health issues", 1),
        ("Left: personal factors", 1),
    ]


def test_the_grouped_figures_agree_with_the_annotated_ones(
    assessed_cohort, facilitator, second_assessor, course_lead
):
    trainees = [enrol(assessed_cohort) for _ in range(6)]
    for days_ago, marks in ((21, ("present", "late", "absent")), (14, ("authorised", "absent"))):
        session = past_session(assessed_cohort, days_ago=days_ago)
        services.attendance_record(
            session=session,
            marks={t.pk: m for t, m in zip(trainees, marks, strict=False)},
            by=facilitator,
        )
    services.draft_record(enrolment=trainees[0], upload=upload(), by=facilitator)
    services.draft_record(enrolment=trainees[0], upload=upload(), by=facilitator)
    services.tutorial_record(
        enrolment=trainees[1], held_on=timezone.localdate(), minutes=30, by=facilitator
    )
    waiting = submit(trainees[2], by=facilitator)
    mark(waiting, facilitator, "pass")
    referred = submit(trainees[3], by=facilitator)
    mark(referred, facilitator, "referral")
    mark(referred, second_assessor, "referral")
    submit(trainees[4], by=facilitator)
    enrolments = Enrolment.objects.filter(cohort=assessed_cohort).order_by("pk")
    figures = (
        "attended",
        "counted",
        "draft_count",
        "tutorial_count",
        "first_draft_on",
        "final_on",
        "final_late",
        "latest_attempt",
        "latest_status",
        "latest_outcome",
        "resubmission_due",
        "marks_in",
    )

    grouped = selectors.attach_progress(enrolments=list(enrolments))
    annotated = list(selectors.with_progress(enrolments=enrolments))

    assert [[getattr(e, f) for f in figures] for e in grouped] == [
        [getattr(e, f) for f in figures] for e in annotated
    ]
    assert any(e.latest_outcome == "referral" for e in grouped)
