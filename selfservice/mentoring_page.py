"""What a trainee's mentoring page reads: their own enrolment with its
mentoring figures and their current mentor in the one query that checks
it is theirs, then their meetings (never the mentor's notes).

Both are plain values whose SQL is kept per enrolment (``kept_rows``): the
figures are read live on every view, only the question is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from peerprog.core.models import Programme, User
from recruitment.models import Cohort
from selfservice.kept import own_rows
from supervision.models import MentorAssignment, MentorMeeting
from supervision.selectors.compliance import mentoring_state, with_mentoring
from supervision.selectors.trainee_meetings import MyMentoring
from training.models import Enrolment

ENROLMENT_COLUMNS = (
    "status",
    "cohort_id",
    "cohort__name",
    "cohort__training_start",
    "cohort__training_end",
    "cohort__programme_id",
    "cohort__programme__name",
    "meetings_held",
    "meetings_minimum",
    "non_completion_category",
    "next_meeting_on",
    "mentor_id",
    "mentor_name",
    "mentor_email",
)
# What the trainee reads of a meeting: never the mentor's notes.
MEETING_COLUMNS = (
    "pk",
    "assignment_id",
    "held_on",
    "minutes",
    "kind",
    "mode",
    "next_meeting_on",
    "trainee_note",
    "trainee_confirmed_at",
)


@dataclass(frozen=True)
class Mentor:
    """What the trainee's page shows of their mentor."""

    full_name: str
    email: str


def _enrolment(*, user: int, pk: int) -> QuerySet[Any]:
    user_id = user
    # The current mentor: the latest started of the enrolment's open
    # assignments.
    current = MentorAssignment.objects.filter(
        enrolment=OuterRef("pk"), ended_on__isnull=True
    ).order_by("-started_on", "-pk")
    return (
        with_mentoring(
            enrolments=Enrolment.objects.filter(
                pk=pk, person__user_id=user_id, person__user__is_active=True
            )
        )
        .annotate(
            mentor_id=Subquery(current.values("mentor_id")[:1]),
            mentor_name=Subquery(current.values("mentor__full_name")[:1]),
            mentor_email=Subquery(current.values("mentor__email")[:1]),
        )
        .values_list(*ENROLMENT_COLUMNS)
    )


def _meetings(*, user: int, pk: int) -> QuerySet[Any]:
    user_id = user
    return (
        MentorMeeting.objects.filter(
            assignment__enrolment_id=pk,
            assignment__enrolment__person__user_id=user_id,
            assignment__enrolment__person__user__is_active=True,
        )
        .order_by("-held_on", "-pk")
        .values_list(*MEETING_COLUMNS)
    )


def my_mentoring_page(*, user: User, pk: Any, today: date | None = None) -> MyMentoring:
    """The account's own enrolment ``pk`` (404 for anyone else's) and its
    mentoring, in two queries whatever the number of meetings."""
    today = today or timezone.localdate()
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such record of yours.") from None
    rows = own_rows(name="mentoring", build=_enrolment, user=user.pk, pk=pk)
    if not rows:
        raise Http404("No such record of yours.")
    values = dict(zip(ENROLMENT_COLUMNS, rows[0], strict=True))
    cohort = Cohort(
        pk=values["cohort_id"],
        name=values["cohort__name"],
        training_start=values["cohort__training_start"],
        training_end=values["cohort__training_end"],
        programme=Programme(
            pk=values["cohort__programme_id"], name=values["cohort__programme__name"]
        ),
    )
    enrolment = Enrolment(pk=pk, status=values["status"], cohort=cohort)
    for name in ("meetings_held", "meetings_minimum", "non_completion_category", "next_meeting_on"):
        setattr(enrolment, name, values[name])
    mentor = (
        Mentor(full_name=values["mentor_name"], email=values["mentor_email"])
        if values["mentor_id"] is not None
        else None
    )
    meetings = [
        MentorMeeting(**dict(zip(MEETING_COLUMNS, row, strict=True)))
        for row in own_rows(name="meetings", build=_meetings, user=user.pk, pk=pk)
    ]
    next_on = values["next_meeting_on"]
    return MyMentoring(
        enrolment=enrolment,
        mentor=mentor,  # type: ignore[arg-type]
        meetings=meetings,
        mentoring=mentoring_state(
            annotated=enrolment, cohort=cohort, status=enrolment.status, today=today
        ),
        next_meeting_on=next_on if mentor and next_on and next_on >= today else None,
    )
