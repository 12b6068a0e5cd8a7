"""The mentoring minimum, written once.

A cohort sets how many mentor meetings each trainee should have between the
first and last day of the course (``CohortMentoring.minimum_meetings``, 3 by
default). Only meetings count, not shadowing or other contact, and only
those held during the course. At any day a trainee is:

* **met**: they have had the minimum;
* **behind**: they have had fewer than the share of the minimum that the
  part of the course already gone calls for (with 3 in 12 weeks: 1 by the
  end of week 4, 2 by the end of week 8, 3 by the last day), or the course
  is over without the minimum;
* **on track**: otherwise.

A trainee who left the programme has no state of their own ("ended"); one who
did not complete only because of the portfolio sat the course, and keeps theirs. The
mentor's page, the lead's cohort summary and the reminders all read these
functions; nothing else decides who is behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from supervision.models import DEFAULT_MINIMUM_MEETINGS, MentorMeeting
from training.models import Enrolment, NonCompletionReason


class Compliance:
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MET = "met"
    ENDED = "ended"

    LABELS = {
        ON_TRACK: "On track",
        BEHIND: "Behind for this point in the course",
        MET: "Minimum met",
        ENDED: "Left the course",
    }
    BADGES = {
        ON_TRACK: "text-bg-light border",
        BEHIND: "text-bg-warning",
        MET: "text-bg-success",
        ENDED: "text-bg-secondary",
    }
    ORDER = (BEHIND, ON_TRACK, MET, ENDED)


def meetings_expected_by(*, start: date, end: date, minimum: int, today: date) -> int:
    """How many meetings the course so far calls for on ``today``: the
    minimum's share of the days gone, rounded down."""
    total = max((end - start).days, 1)
    gone = min(max((today - start).days, 0), total)
    return minimum * gone // total


def compliance_state(
    *, held: int, minimum: int, start: date, end: date, today: date, left: bool = False
) -> str:
    if left:
        return Compliance.ENDED
    if held >= minimum:
        return Compliance.MET
    if held < meetings_expected_by(start=start, end=end, minimum=minimum, today=today):
        return Compliance.BEHIND
    return Compliance.ON_TRACK


def _counted_meetings(enrolment_ref: str) -> QuerySet[MentorMeeting]:
    return MentorMeeting.objects.filter(
        assignment__enrolment=OuterRef(enrolment_ref),
        kind__in=MentorMeeting.COUNTED,
        held_on__gte=OuterRef(_sibling(enrolment_ref, "cohort__training_start")),
        held_on__lte=OuterRef(_sibling(enrolment_ref, "cohort__training_end")),
    )


def _sibling(enrolment_ref: str, path: str) -> str:
    """``enrolment_id`` (on an assignment) leads to ``enrolment__<path>``;
    ``pk`` (on an enrolment) to ``<path>``."""
    return path if enrolment_ref == "pk" else f"enrolment__{path}"


def mentoring_annotations(*, enrolment_ref: str = "pk") -> dict[str, object]:
    """The annotations ``compliance_of`` reads, for a queryset of enrolments
    (``"pk"``) or of mentor assignments (``"enrolment_id"``)."""
    counted = (
        _counted_meetings(enrolment_ref)
        .order_by()
        .values("assignment__enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    every = MentorMeeting.objects.filter(assignment__enrolment=OuterRef(enrolment_ref))
    return {
        "meetings_held": Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
        "meetings_minimum": Coalesce(
            _sibling(enrolment_ref, "cohort__mentoring__minimum_meetings"),
            Value(DEFAULT_MINIMUM_MEETINGS),
        ),
        "last_contact_on": Subquery(
            every.order_by().values("assignment__enrolment").annotate(d=Max("held_on")).values("d")
        ),
        "non_completion_category": F(_sibling(enrolment_ref, "non_completion_reason__category")),
        "next_meeting_on": Subquery(
            every.order_by("-held_on", "-pk").values("next_meeting_on")[:1]
        ),
    }


def with_mentoring(*, enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Enrolments annotated with their counted meetings and minimum, in the
    same single query whatever their number."""
    return enrolments.select_related("cohort").annotate(**mentoring_annotations(enrolment_ref="pk"))


def has_left(*, status: str, annotated: object) -> bool:
    """Did the trainee leave the programme (rather than not complete only the
    portfolio)? Reads ``mentoring_annotations``' non-completion category."""
    if status != Enrolment.Status.NOT_COMPLETED:
        return False
    category = getattr(annotated, "non_completion_category", None)
    return category not in NonCompletionReason.PORTFOLIO_CATEGORIES


def compliance_of(*, enrolment: Enrolment, today: date | None = None) -> str:
    """The enrolment's state, from ``with_mentoring``'s annotations (or the
    same annotations made on its mentor assignment)."""
    today = today or timezone.localdate()
    return compliance_state(
        held=enrolment.meetings_held,
        minimum=enrolment.meetings_minimum,
        start=enrolment.cohort.training_start,
        end=enrolment.cohort.training_end,
        today=today,
        left=has_left(status=enrolment.status, annotated=enrolment),
    )


@dataclass(frozen=True)
class MentoringState:
    held: int
    minimum: int
    expected: int
    state: str

    @property
    def label(self) -> str:
        return Compliance.LABELS[self.state]

    @property
    def badge(self) -> str:
        return Compliance.BADGES[self.state]


def mentoring_state(
    *, annotated: object, cohort: object, status: str, today: date
) -> MentoringState:
    """The full picture for a page: held, minimum, expected by now, state.
    ``annotated`` carries ``mentoring_annotations``."""
    held = annotated.meetings_held  # type: ignore[attr-defined]
    minimum = annotated.meetings_minimum  # type: ignore[attr-defined]
    start, end = cohort.training_start, cohort.training_end  # type: ignore[attr-defined]
    return MentoringState(
        held=held,
        minimum=minimum,
        expected=meetings_expected_by(start=start, end=end, minimum=minimum, today=today),
        state=compliance_state(
            held=held,
            minimum=minimum,
            start=start,
            end=end,
            today=today,
            left=has_left(status=status, annotated=annotated),
        ),
    )


def _in_state(
    enrolments: QuerySet[Enrolment], state: str, today: date | None
) -> QuerySet[Enrolment]:
    today = today or timezone.localdate()
    ids = [
        e.pk
        for e in with_mentoring(enrolments=enrolments)
        if compliance_of(enrolment=e, today=today) == state
    ]
    return enrolments.filter(pk__in=ids)


def mentoring_behind(
    *, enrolments: QuerySet[Enrolment], today: date | None = None
) -> QuerySet[Enrolment]:
    """The enrolments (of those given) behind the mentoring minimum on
    ``today``: for the lead's lists and the reminders."""
    return _in_state(enrolments, Compliance.BEHIND, today)


def mentoring_met(
    *, enrolments: QuerySet[Enrolment], today: date | None = None
) -> QuerySet[Enrolment]:
    return _in_state(enrolments, Compliance.MET, today)


def mentoring_on_track(
    *, enrolments: QuerySet[Enrolment], today: date | None = None
) -> QuerySet[Enrolment]:
    return _in_state(enrolments, Compliance.ON_TRACK, today)
