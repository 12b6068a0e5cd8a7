"""The portfolio pipeline: drafts and feedback, tutorials, the final
submission, double-blind assessment, moderation, referral and resubmission."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peerprog.core.access import has_role
from peerprog.core.models import Notification, Role, User
from training.defaults import cohort_training_ensure, rubric_ensure_default
from training.models import (
    Assessment,
    CohortTraining,
    CriterionMark,
    Decision,
    Enrolment,
    NonCompletionReason,
    PortfolioDraft,
    PortfolioSubmission,
    Tutorial,
)
from training.selectors.records import rubric_criteria_for
from training.services.common import TrainingError
from training.services.enrolment import enrolment_move, lock_open_enrolment
from training.services.reasons import default_reason
from training.uploads import CheckedFile, check_portfolio_file

# A draft or portfolio received before the programme used peerprog, brought
# in from its history: the record and its dates, with no file kept here.
NO_FILE = "no file: recorded from the programme's history"
_NO_FILE_FIELDS = ["file", "file_kind"]


def _clean(record: Any) -> None:
    """Validate a draft or submission; one with no file kept here (from the
    history, or removed under the retention schedule) is checked without it."""
    record.full_clean(exclude=None if record.file else _NO_FILE_FIELDS)


def _store(
    instance: Any, upload: UploadedFile | None, checked: CheckedFile | None, folder: str
) -> None:
    """Attach the upload under a random name. The person's name and the
    uploaded name never reach the file system. Without an upload the record
    says it has no file."""
    if upload is None or checked is None:
        instance.file = ""
        instance.file_name = NO_FILE
        instance.file_kind = ""
        instance.file_size = 0
        return
    instance.file_name = checked.name
    instance.file_kind = checked.kind
    instance.file_size = checked.size
    upload.seek(0)
    instance.file.save(f"{folder}/{uuid.uuid4().hex}.{checked.kind}", upload, save=False)


@transaction.atomic
def draft_record(
    *,
    enrolment: Enrolment,
    upload: UploadedFile | None,
    by: User,
    received_on: date | None = None,
) -> PortfolioDraft:
    """Record a draft the facilitator has received, with its file (None: a
    draft received before the programme used peerprog, from its history)."""
    checked = check_portfolio_file(upload) if upload is not None else None
    locked = lock_open_enrolment(enrolment=enrolment)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise TrainingError("A draft cannot be received in the future.")
    draft = PortfolioDraft(enrolment=locked, received_on=received_on, recorded_by=by)
    _store(draft, upload, checked, "drafts")
    try:
        _clean(draft)
        draft.save()
    except Exception:
        if checked is not None:
            draft.file.delete(save=False)
        raise
    return draft


@transaction.atomic
def draft_feedback(
    *, draft: PortfolioDraft, feedback: str, by: User, on: date | None = None
) -> PortfolioDraft:
    """Write or correct the feedback on a draft."""
    lock_open_enrolment(enrolment=draft.enrolment)
    draft = PortfolioDraft.objects.select_for_update().get(pk=draft.pk)
    feedback = feedback.strip()
    if not feedback:
        raise TrainingError("Write some feedback before saving.")
    draft.feedback = feedback
    draft.feedback_by = by
    draft.feedback_on = on or timezone.localdate()
    _clean(draft)
    draft.save()
    return draft


@transaction.atomic
def draft_feedback_release(*, draft: PortfolioDraft, by: User) -> PortfolioDraft:
    """Let the trainee read the feedback on their draft, on their own pages.
    Only the facilitator or a programme lead releases it, once, and only
    when feedback is written. A correction made after the release shows to
    the trainee at once (the history keeps every version). A trainee with an
    active account of their own is told in their notification list."""
    if not has_role(by, Role.PROGRAMME_LEAD, Role.FACILITATOR):
        raise TrainingError("Only the facilitator or a programme lead can release feedback.")
    lock_open_enrolment(enrolment=draft.enrolment)
    draft = PortfolioDraft.objects.select_for_update().get(pk=draft.pk)
    if not draft.feedback:
        raise TrainingError("Write the feedback before releasing it to the trainee.")
    if draft.feedback_is_released:
        raise TrainingError(
            f"This feedback was already released to the trainee on "
            f"{timezone.localtime(draft.feedback_released_at):%-d %B %Y}."
        )
    draft.feedback_released_at = timezone.now()
    draft.feedback_released_by = by
    _clean(draft)
    draft.save()
    person = draft.enrolment.person
    if person.user_id is not None and person.user.is_active:
        # The trainee's own portfolio page (selfservice), by its URL name.
        Notification.objects.get_or_create(
            recipient_id=person.user_id,
            key=f"training.feedback_released:{draft.pk}",
            defaults={
                "title": f"Feedback on your draft of {draft.received_on:%-d %B %Y} is ready "
                "to read.",
                "link": reverse("selfservice:portfolio", kwargs={"pk": draft.enrolment_id}),
            },
        )
    return draft


@transaction.atomic
def tutorial_record(
    *, enrolment: Enrolment, held_on: date, minutes: int, notes: str = "", by: User
) -> Tutorial:
    """Log an individual tutorial with the trainee."""
    locked = lock_open_enrolment(enrolment=enrolment)
    if held_on > timezone.localdate():
        raise TrainingError("Log a tutorial once it has taken place.")
    tutorial = Tutorial(
        enrolment=locked, held_on=held_on, minutes=minutes, notes=notes.strip(), held_by=by
    )
    tutorial.full_clean()
    tutorial.save()
    return tutorial


def _assessor_pair(training: CohortTraining, first: User | None, second: User | None) -> tuple:
    first = first or training.facilitator
    second = second or training.second_assessor
    if first is None or second is None:
        raise TrainingError(
            "Choose the two assessors, or set the cohort's default assessors in its "
            "training settings."
        )
    if first.pk == second.pk:
        raise TrainingError("The two assessors must be different people.")
    programme_id = training.cohort.programme_id
    for assessor in (first, second):
        if assessor.programme_id != programme_id or not has_role(assessor, Role.ASSESSOR):
            raise TrainingError(f"{assessor} is not an assessor in this programme.")
    return first, second


@transaction.atomic
def submission_record(
    *,
    enrolment: Enrolment,
    upload: UploadedFile | None,
    by: User,
    submitted_on: date | None = None,
    first_assessor: User | None = None,
    second_assessor: User | None = None,
) -> PortfolioSubmission:
    """Record the final portfolio, or the resubmission after a referral, and
    give it to two assessors (by default the cohort's facilitator and second
    assessor). Late portfolios are flagged, not refused. A second final
    portfolio, or a resubmission without a referral, is refused. Without an
    upload (None) it records a portfolio received before the programme used
    peerprog, from its history, with no file kept here."""
    checked = check_portfolio_file(upload) if upload is not None else None
    locked = lock_open_enrolment(enrolment=enrolment)
    training = cohort_training_ensure(cohort=locked.cohort)
    submitted_on = submitted_on or timezone.localdate()
    if submitted_on > timezone.localdate():
        raise TrainingError("A portfolio cannot be received in the future.")
    previous = list(PortfolioSubmission.objects.filter(enrolment=locked).order_by("attempt"))
    if locked.status == Enrolment.Status.ACTIVE:
        if previous:
            raise TrainingError(
                f"{locked.person.display_name}'s final portfolio was already received on "
                f"{previous[0].submitted_on:%-d %B %Y}. Only one final portfolio can be recorded."
            )
        attempt, due_on = 1, training.final_due
    else:
        referral = previous[-1] if previous else None
        if referral is None or referral.outcome != Decision.REFERRAL or len(previous) != 1:
            raise TrainingError("A resubmission can only follow a referral.")
        if referral.decided_on and submitted_on < referral.decided_on:
            raise TrainingError(
                "A resubmission cannot be received before the referral it answers "
                f"({referral.decided_on:%-d %B %Y})."
            )
        attempt, due_on = 2, referral.resubmission_due or submitted_on
    first, second = _assessor_pair(training, first_assessor, second_assessor)
    submission = PortfolioSubmission(
        enrolment=locked,
        attempt=attempt,
        submitted_on=submitted_on,
        due_on=due_on,
        is_late=submitted_on > due_on,
        recorded_by=by,
    )
    _store(submission, upload, checked, "final")
    try:
        _clean(submission)
        submission.save()
        for slot, assessor in ((1, first), (2, second)):
            assessment = Assessment(submission=submission, slot=slot, assessor=assessor)
            assessment.full_clean()
            assessment.save()
    except Exception:
        if checked is not None:
            submission.file.delete(save=False)
        raise
    return submission


@transaction.atomic
def submission_assign_assessors(
    *, submission: PortfolioSubmission, first: User, second: User, by: User
) -> PortfolioSubmission:
    """Give the portfolio to other assessors. Only an assessor who has not
    marked yet can be replaced."""
    locked = lock_open_enrolment(enrolment=submission.enrolment)
    submission = PortfolioSubmission.objects.select_for_update().get(pk=submission.pk)
    training = cohort_training_ensure(cohort=locked.cohort)
    first, second = _assessor_pair(training, first, second)
    assessments = {a.slot: a for a in submission.assessments.select_for_update()}
    for slot, assessor in ((1, first), (2, second)):
        assessment = assessments[slot]
        if assessment.assessor_id == assessor.pk:
            continue
        if assessment.is_marked:
            raise TrainingError("An assessor who has already marked cannot be replaced.")
    for slot, assessor in ((1, first), (2, second)):
        assessment = assessments[slot]
        if assessment.assessor_id != assessor.pk and not assessment.is_marked:
            other = assessments[3 - slot]
            if other.assessor_id == assessor.pk:
                raise TrainingError("The two assessors must be different people.")
            assessment.assessor = assessor
            assessment.full_clean(validate_unique=False)
            assessment.save()
    return submission


def _marked_at(on: date | None) -> datetime:
    if on is None or on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(on, time(12, 0)))


def _check_decision_day(on: date | None, submission: PortfolioSubmission, what: str) -> None:
    """A mark or a moderated outcome is dated today or earlier, and not
    before the portfolio was received."""
    if on is None:
        return
    if on > timezone.localdate():
        raise TrainingError(f"{what} cannot be dated in the future.")
    if on < submission.submitted_on:
        raise TrainingError(
            f"{what} cannot be dated before the portfolio was received "
            f"({submission.submitted_on:%-d %B %Y})."
        )


@transaction.atomic
def assessment_mark(
    *,
    assessment: Assessment,
    decision: str,
    levels: Mapping[int, tuple[str, str]],
    comments: str = "",
    by: User,
    on: date | None = None,
) -> Assessment:
    """One assessor's independent mark: a level for every criterion of the
    rubric, and pass or referral. Only the assessor the portfolio was given
    to may mark, once. When both marks are in, agreement settles the
    outcome and disagreement sends the portfolio to the lead to moderate."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.assessor_id != by.pk:
        raise TrainingError("Only the assessor this portfolio was given to can mark it.")
    submission = PortfolioSubmission.objects.select_for_update().get(pk=assessment.submission_id)
    enrolment = lock_open_enrolment(enrolment=submission.enrolment)
    if assessment.is_marked:
        raise TrainingError("You have already marked this portfolio. A mark cannot be changed.")
    if submission.status != PortfolioSubmission.Status.AWAITING_MARKS:
        raise TrainingError("This portfolio is no longer waiting for marks.")
    if decision not in Decision.values:
        raise TrainingError("Choose pass or referral.")
    _check_decision_day(on, submission, "A mark")
    # The settings and the default rubric exist once anything is marked
    # against them; reading them (the mark page) never creates them.
    training = cohort_training_ensure(cohort=enrolment.cohort)
    if training.rubric_id is None:
        rubric_ensure_default(programme=enrolment.cohort.programme)
    criteria = rubric_criteria_for(enrolment=enrolment)
    missing = [c.title for c in criteria if not (levels.get(c.pk) or ("", ""))[0]]
    if missing:
        raise TrainingError("Give a level for every criterion: " + "; ".join(missing) + ".")
    for criterion in criteria:
        level, comment = levels[criterion.pk]
        mark = CriterionMark(
            assessment=assessment, criterion=criterion, level=level, comment=comment.strip()
        )
        mark.full_clean()
        mark.save()
    assessment.decision = decision
    assessment.comments = comments.strip()
    assessment.marked_at = _marked_at(on)
    assessment.full_clean(validate_unique=False)
    assessment.save()

    both = list(submission.assessments.all())
    if all(a.is_marked for a in both):
        decisions = {a.decision for a in both}
        # Settled on the day of the later of the two marks.
        settled_on = max(timezone.localdate(a.marked_at) for a in both)
        if len(decisions) == 1:
            _settle(submission, enrolment, decision=decisions.pop(), on=settled_on)
        else:
            submission.status = PortfolioSubmission.Status.IN_MODERATION
            _clean(submission)
            submission.save()
    return assessment


@transaction.atomic
def submission_moderate(
    *,
    submission: PortfolioSubmission,
    outcome: str,
    reason: str,
    by: User,
    on: date | None = None,
) -> PortfolioSubmission:
    """The lead's decision when the two assessors disagree, with the reason
    kept. A lead who marked this portfolio cannot moderate it."""
    submission = PortfolioSubmission.objects.select_for_update().get(pk=submission.pk)
    enrolment = lock_open_enrolment(enrolment=submission.enrolment)
    if not has_role(by, Role.PROGRAMME_LEAD):
        raise TrainingError("Only a programme lead can moderate a portfolio.")
    if submission.status != PortfolioSubmission.Status.IN_MODERATION:
        raise TrainingError("This portfolio is not waiting for moderation.")
    if submission.assessments.filter(assessor=by).exists():
        raise TrainingError(
            "You marked this portfolio, so another programme lead must moderate it."
        )
    if outcome not in Decision.values:
        raise TrainingError("Choose pass or referral.")
    if not reason.strip():
        raise TrainingError("Give the reason for the moderated outcome.")
    _check_decision_day(on, submission, "A moderated outcome")
    marked = [timezone.localdate(a.marked_at) for a in submission.assessments.all() if a.marked_at]
    if on is not None and marked and on < max(marked):
        raise TrainingError(
            f"A moderated outcome cannot be dated before the second mark ({max(marked):%-d %B %Y})."
        )
    submission.moderated_by = by
    submission.moderation_reason = reason.strip()
    return _settle(submission, enrolment, decision=outcome, on=on or timezone.localdate())


def _settle(
    submission: PortfolioSubmission, enrolment: Enrolment, *, decision: str, on: date
) -> PortfolioSubmission:
    """Apply an outcome: a pass completes the course and makes the person
    eligible for posts from that day; a first referral sets a resubmission
    deadline; a second referral ends the course as portfolio incomplete."""
    submission.status = PortfolioSubmission.Status.DECIDED
    submission.outcome = decision
    submission.decided_on = on
    if decision == Decision.PASS:
        enrolment_move(enrolment=enrolment, to=Enrolment.Status.COMPLETED, passed_on=on)
    elif submission.attempt == 1:
        training = cohort_training_ensure(cohort=enrolment.cohort)
        submission.resubmission_due = on + timedelta(days=training.resubmission_days)
        enrolment_move(enrolment=enrolment, to=Enrolment.Status.REFERRED)
    else:
        reason = default_reason(
            programme=enrolment.cohort.programme,
            category=NonCompletionReason.Category.PORTFOLIO_INCOMPLETE,
        )
        enrolment_move(
            enrolment=enrolment,
            to=Enrolment.Status.NOT_COMPLETED,
            non_completion_reason=reason,
            ended_on=on,
        )
    _clean(submission)
    submission.save()
    return submission
