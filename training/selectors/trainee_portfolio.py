"""The trainee's own view of their portfolio, for their own pages.

What a trainee reads here is narrower than what staff read: feedback on a
draft only once the facilitator (or a lead) has released it, and the
decision on a portfolio only once it is decided, that is once both
assessors have marked and agreed or the lead has moderated. One assessor's
mark, the assessors' comments and the moderation are never shown. Every
record is read through ``own_or_404``, so another person's enrolment, draft
or file is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from peerprog.core.access import own_or_404
from peerprog.core.models import User
from training.models import Decision, Enrolment, PortfolioDraft, PortfolioSubmission
from training.selectors.records import cohort_training_for

ENDED = (
    "Your course has ended, so nothing more can be handed in here. "
    "Your portfolio stays on this page for you to read."
)


@dataclass(frozen=True)
class DraftForTrainee:
    pk: int
    received_on: date
    file_name: str
    file_size: int
    handed_in_by_trainee: bool
    # Empty until the feedback is released.
    feedback: str
    feedback_on: date | None


@dataclass(frozen=True)
class SubmissionForTrainee:
    pk: int
    label: str
    submitted_on: date
    due_on: date
    is_late: bool
    file_name: str
    file_size: int
    handed_in_by_trainee: bool
    # Empty until the portfolio is decided (both marks in, any moderation done).
    outcome: str
    outcome_label: str
    decided_on: date | None
    resubmission_due: date | None

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)

    @property
    def is_referral(self) -> bool:
        return self.outcome == Decision.REFERRAL


@dataclass(frozen=True)
class TraineePortfolio:
    enrolment: Enrolment
    draft_due: date
    final_due: date
    resubmission_due: date | None
    drafts: list[DraftForTrainee]
    submissions: list[SubmissionForTrainee]
    # Why nothing can be handed in (None when drafts can be).
    upload_refusal: str | None
    # Why the final portfolio cannot be handed in (None when it can).
    hand_in_refusal: str | None

    @property
    def is_resubmission(self) -> bool:
        return self.enrolment.status == Enrolment.Status.REFERRED


def own_enrolment(*, user: User, pk: Any) -> Enrolment:
    """One of the account's own enrolments, or 404."""
    return own_or_404(Enrolment.objects.select_related("cohort", "person"), user, pk)


def own_draft(*, user: User, pk: Any) -> PortfolioDraft:
    """A draft of one of the account's own portfolios, or 404."""
    return own_or_404(PortfolioDraft.objects.all(), user, pk, field="enrolment__person")


def own_submission(*, user: User, pk: Any) -> PortfolioSubmission:
    """A final or resubmitted portfolio of the account's own, or 404."""
    return own_or_404(PortfolioSubmission.objects.all(), user, pk, field="enrolment__person")


def _draft(draft: PortfolioDraft, user_id: int) -> DraftForTrainee:
    released = draft.feedback_is_released
    return DraftForTrainee(
        pk=draft.pk,
        received_on=draft.received_on,
        file_name=draft.file_name,
        file_size=draft.file_size,
        handed_in_by_trainee=draft.recorded_by_id == user_id,
        feedback=draft.feedback if released else "",
        feedback_on=draft.feedback_on if released else None,
    )


def _submission(submission: PortfolioSubmission, user_id: int) -> SubmissionForTrainee:
    # A portfolio is decided only after both marks (and, when they
    # disagree, the lead's moderation); the count guards the rule again.
    decided = (
        submission.status == PortfolioSubmission.Status.DECIDED
        and submission.marked == 2  # type: ignore[attr-defined]
        and bool(submission.outcome)
    )
    return SubmissionForTrainee(
        pk=submission.pk,
        label=submission.label,
        submitted_on=submission.submitted_on,
        due_on=submission.due_on,
        is_late=submission.is_late,
        file_name=submission.file_name,
        file_size=submission.file_size,
        handed_in_by_trainee=submission.recorded_by_id == user_id,
        outcome=submission.outcome if decided else "",
        outcome_label=submission.get_outcome_display() if decided else "",
        decided_on=submission.decided_on if decided else None,
        resubmission_due=submission.resubmission_due if decided else None,
    )


def _hand_in_refusal(
    enrolment: Enrolment, submissions: list[SubmissionForTrainee], assessors_set: bool
) -> str | None:
    if not enrolment.is_open:
        return ENDED
    if enrolment.status == Enrolment.Status.ACTIVE and submissions:
        return "Your final portfolio has been handed in. It cannot be replaced."
    if enrolment.status == Enrolment.Status.REFERRED and len(submissions) != 1:
        return "Your resubmitted portfolio has been handed in. It cannot be replaced."
    if not assessors_set:
        return (
            "Your final portfolio cannot be handed in here yet: the assessors have not "
            "been chosen. Ask your facilitator how to hand it in."
        )
    return None


def trainee_portfolio(*, user: User, enrolment: Enrolment) -> TraineePortfolio:
    """The trainee's portfolio page: three queries (settings, drafts,
    submissions) however many drafts there are."""
    training = cohort_training_for(cohort=enrolment.cohort)
    drafts = [
        _draft(d, user.pk)
        for d in PortfolioDraft.objects.filter(enrolment=enrolment).order_by("received_on", "pk")
    ]
    submissions = [
        _submission(s, user.pk)
        for s in PortfolioSubmission.objects.filter(enrolment=enrolment)
        .annotate(marked=Count("assessments", filter=Q(assessments__marked_at__isnull=False)))
        .order_by("attempt")
    ]
    resubmission_due = next(
        (s.resubmission_due for s in submissions if s.is_referral and s.resubmission_due), None
    )
    return TraineePortfolio(
        enrolment=enrolment,
        draft_due=training.draft_due,
        final_due=training.final_due,
        resubmission_due=resubmission_due,
        drafts=drafts,
        submissions=submissions,
        upload_refusal=None if enrolment.is_open else ENDED,
        hand_in_refusal=_hand_in_refusal(
            enrolment,
            submissions,
            assessors_set=bool(training.facilitator_id and training.second_assessor_id),
        ),
    )
