"""What other parts of the product read of a trainee's progress: where a
mentee's course stands for their mentor (attendance and where the portfolio
is, never its contents), and who may apply for paid posts, from when.

The figures themselves (attendance, drafts, submissions) are counted in
``training/selectors/progress.py``; these readers take them from there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from peerprog.core.models import Person, Programme
from training.models import Enrolment, PortfolioSubmission
from training.selectors.progress import attach_progress, attendance_rate


class PortfolioState:
    """Where a trainee's portfolio is, in words; never its contents."""

    NOT_STARTED = "not_started"
    DRAFTING = "drafting"
    WITH_ASSESSORS = "with_assessors"
    IN_MODERATION = "in_moderation"
    REFERRED = "referred"
    PASSED = "passed"
    NOT_COMPLETED = "not_completed"

    LABELS = {
        NOT_STARTED: "No draft yet",
        DRAFTING: "Drafting",
        WITH_ASSESSORS: "With the assessors",
        IN_MODERATION: "Assessors disagree: with the lead",
        REFERRED: "Referred: resubmission due",
        PASSED: "Passed",
        NOT_COMPLETED: "Not completed",
    }


def portfolio_state(*, enrolment: Enrolment) -> str:
    """One of PortfolioState's codes, from ``with_progress``'s annotations."""
    if enrolment.status == Enrolment.Status.COMPLETED:
        return PortfolioState.PASSED
    if enrolment.status == Enrolment.Status.NOT_COMPLETED:
        return PortfolioState.NOT_COMPLETED
    status = getattr(enrolment, "latest_status", None)
    if status == PortfolioSubmission.Status.AWAITING_MARKS:
        return PortfolioState.WITH_ASSESSORS
    if status == PortfolioSubmission.Status.IN_MODERATION:
        return PortfolioState.IN_MODERATION
    if enrolment.status == Enrolment.Status.REFERRED:
        return PortfolioState.REFERRED
    if getattr(enrolment, "draft_count", 0):
        return PortfolioState.DRAFTING
    return PortfolioState.NOT_STARTED


@dataclass(frozen=True)
class TraineeProgress:
    """What a mentor may know of a mentee's course: attendance and where the
    portfolio is. No files, no feedback, no assessors' decisions."""

    enrolment_id: int
    person_id: int
    cohort_id: int
    status: str
    status_label: str
    attendance_rate: int | None
    sessions_attended: int
    sessions_counted: int
    drafts_received: int
    tutorials: int
    final_received_on: date | None
    portfolio_state: str
    portfolio_state_label: str
    passed_on: date | None


def _progress(enrolment: Enrolment) -> TraineeProgress:
    state = portfolio_state(enrolment=enrolment)
    label = PortfolioState.LABELS[state]
    if state == PortfolioState.IN_MODERATION:
        # Whether assessors disagree is not a mentor's business.
        label = PortfolioState.LABELS[PortfolioState.WITH_ASSESSORS]
    return TraineeProgress(
        enrolment_id=enrolment.pk,
        person_id=enrolment.person_id,
        cohort_id=enrolment.cohort_id,
        status=enrolment.status,
        status_label=enrolment.get_status_display(),
        attendance_rate=attendance_rate(enrolment=enrolment),
        sessions_attended=enrolment.attended,
        sessions_counted=enrolment.counted,
        drafts_received=enrolment.draft_count,
        tutorials=enrolment.tutorial_count,
        final_received_on=enrolment.final_on,
        portfolio_state=state if state != PortfolioState.IN_MODERATION else "with_assessors",
        portfolio_state_label=label,
        passed_on=enrolment.passed_on,
    )


def progress_for_people(*, person_ids: Iterable[int]) -> dict[int, TraineeProgress]:
    """Each person's progress on their latest course, keyed by person id, in
    a fixed number of grouped queries however many people. For the mentor's
    page: the caller has already limited ``person_ids`` to the mentor's own
    mentees."""
    latest: dict[int, Enrolment] = {}
    for enrolment in Enrolment.objects.filter(person_id__in=list(person_ids)).order_by(
        "person_id", "-enrolled_at", "-pk"
    ):
        latest.setdefault(enrolment.person_id, enrolment)
    enrolments = attach_progress(enrolments=list(latest.values()))
    return {enrolment.person_id: _progress(enrolment) for enrolment in enrolments}


def progress_for_enrolments(*, enrolment_ids: Iterable[int]) -> dict[int, TraineeProgress]:
    """Progress keyed by enrolment id, in a fixed number of grouped queries."""
    enrolments = attach_progress(
        enrolments=list(Enrolment.objects.filter(pk__in=list(enrolment_ids)))
    )
    return {enrolment.pk: _progress(enrolment) for enrolment in enrolments}


# Eligibility for paid posts: a passed enrolment, from the day of the pass.


def is_eligible_for_posts(*, person: Person, on: date | None = None) -> bool:
    """True when the person passed a course on or before ``on`` (today)."""
    on = on or timezone.localdate()
    return Enrolment.objects.filter(
        person=person, status=Enrolment.Status.COMPLETED, passed_on__lte=on
    ).exists()


def eligible_from(*, person: Person) -> date | None:
    """The first day the person could apply for paid posts, if any."""
    return Enrolment.objects.filter(person=person, status=Enrolment.Status.COMPLETED).aggregate(
        first=Min("passed_on")
    )["first"]


def eligible_people(*, programme: Programme, on: date | None = None) -> QuerySet[Person]:
    """The programme's people eligible to apply for paid posts on ``on``
    (today), each annotated with ``eligible_from``."""
    on = on or timezone.localdate()
    passed = Q(enrolments__status=Enrolment.Status.COMPLETED, enrolments__passed_on__lte=on)
    return (
        Person.objects.filter(programme=programme)
        .annotate(eligible_from=Min("enrolments__passed_on", filter=passed))
        .filter(eligible_from__isnull=False)
        .order_by("last_name", "first_name", "pk")
    )


def eligible_passes(*, programme: Programme, on: date | None = None) -> QuerySet[Enrolment]:
    """The passes that make the programme's people eligible to apply for
    paid posts on ``on`` (today): ``eligible_people``'s rule read from the
    passes alone, so a count over a few hundred passes need not group every
    person in the programme."""
    on = on or timezone.localdate()
    return Enrolment.objects.filter(
        person__programme=programme, status=Enrolment.Status.COMPLETED, passed_on__lte=on
    ).order_by()
