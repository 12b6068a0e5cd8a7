"""A mentor's and a supervisor's own lines of the home page, counted in one
query each.

Supervision's lists of a mentor's mentees and a supervisor's supervisees
read each person's progress, appointment and record for their pages; the
home page needs only two counts of each, so it reads only the figures the
rules look at and applies the same rules (``supervision.selectors.work``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db.models import F, Q
from django.utils import timezone

from peerprog.core.models import User
from peerprog.core.work import WorkCount, link
from supervision.models import MentorAssignment, SupervisionAssignment
from supervision.selectors import work as supervision_work
from supervision.selectors.compliance import (
    MentoringState,
    compliance_state,
    has_left,
    meetings_expected_by,
    mentoring_annotations,
)
from supervision.selectors.mentoring import MenteeCard
from supervision.selectors.supervising import (
    SuperviseeRow,
    is_overdue,
    next_due_on,
    with_last_session,
)


@dataclass(frozen=True)
class _Annotated:
    """The one annotation ``has_left`` reads."""

    non_completion_category: str | None


@dataclass(frozen=True)
class _Enrolment:
    """The one field of an enrolment ``meeting_due`` reads."""

    status: str


def _mentee_cards(*, user: User, today: date) -> list[MenteeCard]:
    """The mentor's mentees now, as the cards ``meeting_due`` reads: their
    enrolment's status, mentoring state and next meeting only. One query."""
    rows = (
        MentorAssignment.objects.filter(
            mentor=user,
            ended_on__isnull=True,
            enrolment__cohort__programme_id=user.programme_id,
        )
        .annotate(**mentoring_annotations(enrolment_ref="enrolment_id"))
        .order_by()
        .values_list(
            "enrolment__status",
            "non_completion_category",
            "meetings_held",
            "meetings_minimum",
            "enrolment__cohort__training_start",
            "enrolment__cohort__training_end",
            "next_meeting_on",
        )
    )
    cards = []
    for status, category, held, minimum, start, end, next_meeting_on in rows:
        state = MentoringState(
            held=held,
            minimum=minimum,
            expected=meetings_expected_by(start=start, end=end, minimum=minimum, today=today),
            state=compliance_state(
                held=held,
                minimum=minimum,
                start=start,
                end=end,
                today=today,
                left=has_left(status=status, annotated=_Annotated(category)),
            ),
        )
        cards.append(
            MenteeCard(
                assignment=cast(Any, None),
                enrolment=cast(Any, _Enrolment(status)),
                progress=None,
                mentoring=state,
                last_contact_on=None,
                next_meeting_on=next_meeting_on,
            )
        )
    return cards


def mentor_queue(*, user: User, today: date) -> list[WorkCount]:
    cards = _mentee_cards(user=user, today=today)
    due = supervision_work.filter_mentees(cards=cards, show="due", today=today)
    return [
        WorkCount("Your mentees", len(cards), link("supervision:my-mentees"), order=10),
        WorkCount(
            "Meetings due",
            len(due),
            link("supervision:my-mentees", "show=due"),
            "Behind for this point in the course, or a planned meeting within a week.",
            order=20,
        ),
    ]


def _supervisee_rows(*, user: User, today: date) -> list[SuperviseeRow]:
    """The supervisor's supervisees now (theirs or covered), as the rows the
    due rules read: when supervision is next due, whether it is overdue and
    when the wellbeing plan is due for review. One query."""
    assignments = with_last_session(
        assignments=SupervisionAssignment.objects.filter(
            Q(supervisor=user) | Q(cover_supervisor=user),
            ended_on__isnull=True,
            person__programme_id=user.programme_id,
        )
    ).annotate(plan_review_due=F("person__wellbeing_plan__review_due"))
    return [
        SuperviseeRow(
            person=cast(Any, None),
            assignment=None,
            appointment=None,
            last_session_on=a.last_session_on,
            next_due_on=next_due_on(assignment=a),
            overdue=is_overdue(assignment=a, today=today),
            plan_review_due=a.plan_review_due,
        )
        for a in assignments.order_by()
    ]


def supervisor_queue(*, user: User, today: date) -> list[WorkCount]:
    rows = _supervisee_rows(user=user, today=today or timezone.localdate())
    notice = supervision_work.SUPERVISION_NOTICE_DAYS
    review = supervision_work.PLAN_REVIEW_NOTICE_DAYS
    return [
        WorkCount(
            "Supervision due or overdue",
            len(supervision_work.filter_supervisees(rows=rows, show="due", today=today)),
            link("supervision:my-supervisees", "show=due"),
            f"Overdue, or due within {notice} days.",
            order=10,
        ),
        WorkCount(
            "Wellbeing plans due for review",
            len(supervision_work.filter_supervisees(rows=rows, show="plan-review", today=today)),
            link("supervision:my-supervisees", "show=plan-review"),
            f"Review date passed or within {review} days.",
            order=20,
        ),
    ]
