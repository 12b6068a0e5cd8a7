from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from peerprog.core import storage
from tests.core.factories import UserFactory
from tests.training.factories import assessor, enrol, mark, submit, upload
from training import services
from training.models import (
    Assessment,
    CriterionMark,
    Enrolment,
    NonCompletionReason,
    PortfolioDraft,
    PortfolioSubmission,
    Tutorial,
)
from training.selectors import is_eligible_for_posts, rubric_criteria_for, visible_assessments
from training.services import TrainingError

pytestmark = pytest.mark.django_db


def stored_files() -> list[str]:
    return storage.files_in("drafts") + storage.files_in("final")


def test_a_draft_is_stored_privately_under_a_random_name(cohort, facilitator):
    enrolment = enrol(cohort, last_name="Lovelace")

    draft = services.draft_record(
        enrolment=enrolment, upload=upload("Ada draft 1.pdf"), by=facilitator
    )

    assert draft.file_name == "Ada draft 1.pdf"
    assert draft.file_kind == "pdf"
    assert "Ada" not in draft.file.name and "Lovelace" not in draft.file.name
    assert storage.private_storage.exists(draft.file.name)
    path = Path(storage.configured().path(draft.file.name))
    assert path.is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        draft.file.url  # noqa: B018


def test_feedback_is_written_on_a_draft(cohort, facilitator):
    draft = services.draft_record(enrolment=enrol(cohort), upload=upload(), by=facilitator)

    services.draft_feedback(draft=draft, feedback="Say more about recovery.", by=facilitator)

    draft.refresh_from_db()
    assert draft.feedback == "Say more about recovery."
    assert draft.feedback_by == facilitator
    assert draft.feedback_on == timezone.localdate()


def test_a_tutorial_is_logged(cohort, facilitator):
    enrolment = enrol(cohort)
    services.tutorial_record(
        enrolment=enrolment,
        held_on=timezone.localdate(),
        minutes=45,
        notes="Planned the structure.",
        by=facilitator,
    )
    assert Tutorial.objects.get(enrolment=enrolment).minutes == 45


def test_a_final_portfolio_goes_to_the_cohorts_two_assessors(
    assessed_cohort, facilitator, second_assessor
):
    submission = submit(enrol(assessed_cohort), by=facilitator)

    assert submission.attempt == 1
    assert not submission.is_late
    assert [a.assessor for a in submission.assessments.order_by("slot")] == [
        facilitator,
        second_assessor,
    ]


def test_a_late_final_portfolio_is_flagged_not_refused(assessed_cohort, facilitator):
    enrolment = enrol(assessed_cohort)
    training = assessed_cohort.training
    training.final_due = timezone.localdate() - timedelta(days=3)
    training.draft_due = training.final_due - timedelta(days=30)
    training.save()

    submission = submit(enrolment, by=facilitator)

    assert submission.is_late
    assert submission.due_on == training.final_due


def test_a_second_final_portfolio_is_refused(assessed_cohort, facilitator):
    enrolment = enrol(assessed_cohort)
    submit(enrolment, by=facilitator)
    files_before = stored_files()

    with pytest.raises(TrainingError, match="already received"):
        submit(enrolment, by=facilitator)
    assert PortfolioSubmission.objects.filter(enrolment=enrolment).count() == 1
    assert stored_files() == files_before


def test_a_final_portfolio_without_assessors_is_refused(cohort, facilitator):
    with pytest.raises(TrainingError, match="two assessors"):
        submit(enrol(cohort), by=facilitator)
    assert not PortfolioSubmission.objects.exists()
    assert stored_files() == []


def test_both_assessors_agreeing_on_a_pass_makes_the_trainee_eligible(
    assessed_cohort, facilitator, second_assessor
):
    enrolment = enrol(assessed_cohort)
    submission = submit(enrolment, by=facilitator)

    mark(submission, facilitator, "pass")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert not is_eligible_for_posts(person=enrolment.person)

    mark(submission, second_assessor, "pass")

    enrolment.refresh_from_db()
    submission.refresh_from_db()
    assert submission.status == PortfolioSubmission.Status.DECIDED
    assert submission.outcome == "pass"
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.passed_on == timezone.localdate()
    assert is_eligible_for_posts(person=enrolment.person)
    assert CriterionMark.objects.filter(assessment__submission=submission).count() == 2 * len(
        rubric_criteria_for(enrolment=enrolment)
    )


def test_eligibility_starts_on_the_day_of_the_pass(assessed_cohort, facilitator, second_assessor):
    enrolment = enrol(assessed_cohort)
    submission = submit(enrolment, by=facilitator, submitted_on=timezone.localdate())
    pass_day = timezone.localdate()
    mark(submission, facilitator, "pass", on=pass_day)
    mark(submission, second_assessor, "pass", on=pass_day)

    assert not is_eligible_for_posts(person=enrolment.person, on=pass_day - timedelta(days=1))
    assert is_eligible_for_posts(person=enrolment.person, on=pass_day)


def test_disagreement_goes_to_moderation_and_the_leads_reason_is_kept(
    assessed_cohort, facilitator, second_assessor, course_lead
):
    enrolment = enrol(assessed_cohort)
    submission = submit(enrolment, by=facilitator)
    mark(submission, facilitator, "pass")
    mark(submission, second_assessor, "referral")

    submission.refresh_from_db()
    assert submission.status == PortfolioSubmission.Status.IN_MODERATION
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE

    services.submission_moderate(
        submission=submission,
        outcome="pass",
        reason="Criteria met on a second reading of section 3.",
        by=course_lead,
    )

    submission.refresh_from_db()
    enrolment.refresh_from_db()
    assert submission.outcome == "pass"
    assert submission.moderated_by == course_lead
    assert submission.moderation_reason.startswith("Criteria met")
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_moderation_needs_a_reason(assessed_cohort, facilitator, second_assessor, course_lead):
    submission = submit(enrol(assessed_cohort), by=facilitator)
    mark(submission, facilitator, "pass")
    mark(submission, second_assessor, "referral")

    with pytest.raises(TrainingError, match="reason"):
        services.submission_moderate(
            submission=submission, outcome="pass", reason=" ", by=course_lead
        )
    submission.refresh_from_db()
    assert submission.status == PortfolioSubmission.Status.IN_MODERATION


def test_a_lead_who_marked_cannot_moderate(assessed_cohort, programme, facilitator):
    from peerprog.core.models import Role

    lead_assessor = assessor(programme, roles=[Role.PROGRAMME_LEAD, Role.ASSESSOR])
    submission = services.submission_record(
        enrolment=enrol(assessed_cohort),
        upload=upload(),
        by=facilitator,
        first_assessor=facilitator,
        second_assessor=lead_assessor,
    )
    mark(submission, facilitator, "pass")
    mark(submission, lead_assessor, "referral")

    with pytest.raises(TrainingError, match="another programme lead"):
        services.submission_moderate(
            submission=submission, outcome="pass", reason="I think so", by=lead_assessor
        )


def test_moderation_is_refused_when_the_assessors_agreed(
    assessed_cohort, facilitator, second_assessor, course_lead
):
    submission = submit(enrol(assessed_cohort), by=facilitator)
    mark(submission, facilitator, "pass")
    mark(submission, second_assessor, "pass")

    with pytest.raises(TrainingError):
        services.submission_moderate(
            submission=submission, outcome="referral", reason="Changed my mind", by=course_lead
        )


def test_a_referral_sets_a_resubmission_deadline_and_a_pass_on_resubmission_completes(
    assessed_cohort, facilitator, second_assessor
):
    enrolment = enrol(assessed_cohort)
    first = submit(enrolment, by=facilitator)
    mark(first, facilitator, "referral")
    mark(first, second_assessor, "referral")

    first.refresh_from_db()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.REFERRED
    assert first.resubmission_due == timezone.localdate() + timedelta(days=28)

    second = submit(enrolment, by=facilitator)
    assert second.attempt == 2
    assert second.due_on == first.resubmission_due
    mark(second, facilitator, "pass")
    mark(second, second_assessor, "pass")

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_a_second_referral_ends_the_course_as_portfolio_incomplete(
    assessed_cohort, facilitator, second_assessor
):
    enrolment = enrol(assessed_cohort)
    for _ in range(2):
        submission = submit(enrolment, by=facilitator)
        mark(submission, facilitator, "referral")
        mark(submission, second_assessor, "referral")

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.NOT_COMPLETED
    assert (
        enrolment.non_completion_reason.category
        == NonCompletionReason.Category.PORTFOLIO_INCOMPLETE
    )
    assert enrolment.ended_on == timezone.localdate()
    assert not is_eligible_for_posts(person=enrolment.person)


def test_a_resubmission_without_a_referral_is_refused(
    assessed_cohort, facilitator, second_assessor
):
    enrolment = enrol(assessed_cohort)
    submission = submit(enrolment, by=facilitator)
    mark(submission, facilitator, "pass")
    mark(submission, second_assessor, "pass")

    with pytest.raises(TrainingError, match="already ended"):
        submit(enrolment, by=facilitator)


def test_a_mark_from_someone_who_is_not_the_assessor_is_refused(
    assessed_cohort, facilitator, programme
):
    submission = submit(enrol(assessed_cohort), by=facilitator)
    stranger = assessor(programme, "Another Assessor")
    assessment = submission.assessments.get(slot=1)

    with pytest.raises(TrainingError, match="Only the assessor"):
        services.assessment_mark(assessment=assessment, decision="pass", levels={}, by=stranger)
    assessment.refresh_from_db()
    assert not assessment.is_marked
    assert not CriterionMark.objects.exists()


def test_a_mark_cannot_be_given_twice(assessed_cohort, facilitator):
    submission = submit(enrol(assessed_cohort), by=facilitator)
    mark(submission, facilitator, "pass")

    with pytest.raises(TrainingError, match="already marked"):
        mark(submission, facilitator, "referral")
    assert submission.assessments.get(slot=1).decision == "pass"


def test_a_mark_needs_a_level_for_every_criterion(assessed_cohort, facilitator):
    submission = submit(enrol(assessed_cohort), by=facilitator)
    assessment = submission.assessments.get(assessor=facilitator)
    criteria = rubric_criteria_for(enrolment=submission.enrolment)

    with pytest.raises(TrainingError, match="every criterion"):
        services.assessment_mark(
            assessment=assessment,
            decision="pass",
            levels={criteria[0].pk: ("met", "")},
            by=facilitator,
        )
    assert not CriterionMark.objects.exists()


def test_a_decision_on_a_closed_enrolment_is_refused(
    assessed_cohort, facilitator, second_assessor, course_lead
):
    enrolment = enrol(assessed_cohort)
    submission = submit(enrolment, by=facilitator)
    reason = services.non_completion_reasons_ensure_defaults(programme=assessed_cohort.programme)[3]
    services.enrolment_close(enrolment=enrolment, reason=reason, by=course_lead)

    with pytest.raises(TrainingError, match="already ended"):
        mark(submission, facilitator, "pass")
    with pytest.raises(TrainingError, match="already ended"):
        services.draft_record(enrolment=enrolment, upload=upload(), by=facilitator)
    with pytest.raises(TrainingError, match="already ended"):
        services.tutorial_record(
            enrolment=enrolment, held_on=timezone.localdate(), minutes=30, by=facilitator
        )
    assert not Assessment.objects.filter(marked_at__isnull=False).exists()
    assert not PortfolioDraft.objects.exists()


def test_nobody_sees_a_decision_before_both_are_in(
    assessed_cohort, facilitator, second_assessor, course_lead
):
    submission = submit(enrol(assessed_cohort), by=facilitator)
    mark(submission, facilitator, "referral")
    submission = PortfolioSubmission.objects.prefetch_related("assessments").get(pk=submission.pk)

    assert visible_assessments(user=course_lead, submission=submission) == []
    assert [a.assessor for a in visible_assessments(user=facilitator, submission=submission)] == [
        facilitator
    ]
    own = visible_assessments(user=second_assessor, submission=submission)
    assert [(a.assessor, a.decision) for a in own] == [(second_assessor, "")]

    mark(submission, second_assessor, "pass")
    submission = PortfolioSubmission.objects.prefetch_related("assessments").get(pk=submission.pk)
    assert len(visible_assessments(user=course_lead, submission=submission)) == 2
    assert len(visible_assessments(user=second_assessor, submission=submission)) == 2


def test_a_lead_who_is_an_assessor_sees_only_their_own_mark_until_both_are_in(
    assessed_cohort, programme, facilitator
):
    from peerprog.core.models import Role

    lead_assessor = assessor(programme, roles=[Role.PROGRAMME_LEAD, Role.ASSESSOR])
    submission = services.submission_record(
        enrolment=enrol(assessed_cohort),
        upload=upload(),
        by=facilitator,
        first_assessor=facilitator,
        second_assessor=lead_assessor,
    )
    mark(submission, facilitator, "pass")
    mark_own = Assessment.objects.get(submission=submission, assessor=lead_assessor)
    submission = PortfolioSubmission.objects.prefetch_related("assessments").get(pk=submission.pk)

    assert visible_assessments(user=lead_assessor, submission=submission) == [mark_own]


def test_a_portfolio_can_be_given_to_another_assessor_before_marking(
    assessed_cohort, facilitator, second_assessor, course_lead, programme
):
    submission = submit(enrol(assessed_cohort), by=facilitator)
    replacement = assessor(programme, "Replacement Assessor")

    services.submission_assign_assessors(
        submission=submission, first=facilitator, second=replacement, by=course_lead
    )
    assert submission.assessments.get(slot=2).assessor == replacement

    mark(submission, replacement, "pass")
    other = assessor(programme, "Late Arrival")
    with pytest.raises(TrainingError, match="already marked"):
        services.submission_assign_assessors(
            submission=submission, first=facilitator, second=other, by=course_lead
        )


def test_assessors_must_hold_the_assessor_role(assessed_cohort, facilitator, programme):
    not_an_assessor = UserFactory(programme=programme)
    with pytest.raises(TrainingError, match="not an assessor"):
        services.submission_record(
            enrolment=enrol(assessed_cohort),
            upload=upload(),
            by=facilitator,
            second_assessor=not_an_assessor,
        )


def test_a_referred_trainee_who_leaves_is_recorded_as_not_completed(
    assessed_cohort, facilitator, second_assessor, course_lead
):
    enrolment = enrol(assessed_cohort)
    submission = submit(enrolment, by=facilitator)
    mark(submission, facilitator, "referral")
    mark(submission, second_assessor, "referral")
    reasons = services.non_completion_reasons_ensure_defaults(programme=assessed_cohort.programme)
    study = next(r for r in reasons if r.category == "left_further_study")

    services.enrolment_close(enrolment=enrolment, reason=study, by=course_lead)

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.NOT_COMPLETED
    assert enrolment.non_completion_reason == study


def test_a_finished_enrolment_cannot_move_back(assessed_cohort, facilitator, second_assessor):
    from training.services.enrolment import enrolment_move

    enrolment = enrol(assessed_cohort)
    submission = submit(enrolment, by=facilitator)
    mark(submission, facilitator, "pass")
    mark(submission, second_assessor, "pass")
    enrolment.refresh_from_db()

    with pytest.raises(TrainingError, match="cannot become referred"):
        enrolment_move(enrolment=enrolment, to=Enrolment.Status.REFERRED)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
