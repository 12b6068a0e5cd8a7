"""Supervision's part of the home page's work queue: mentors behind on
meetings (the lead); a mentor's own mentees and the meetings due with them;
a supervisor's own supervision due or overdue and wellbeing plans due for
review. A mentor's or supervisor's figures are about their own people only.

Each rule ("a meeting is due", "supervision is due") is written once here:
the home page counts with it and the filtered list it links to shows the
rows it keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, Subquery

from peerprog.core.access import scoped
from peerprog.core.models import Role, User
from peerprog.core.search import add as search_add
from peerprog.core.work import WorkCount, add, link
from supervision.models import MentorAssignment
from supervision.selectors import search
from supervision.selectors.compliance import (
    Compliance,
    compliance_state,
    has_left,
    with_mentoring,
)
from supervision.selectors.mentoring import MenteeCard, my_mentees
from supervision.selectors.supervising import SuperviseeRow, my_supervisees
from training.models import Enrolment

# How far ahead something counts as "due".
MEETING_NOTICE_DAYS = 7
SUPERVISION_NOTICE_DAYS = 7
PLAN_REVIEW_NOTICE_DAYS = 14

MENTEE_FILTERS = {"due": "Meetings due"}
SUPERVISEE_FILTERS = {"due": "Supervision due or overdue", "plan-review": "Plan review due"}


def meeting_due(*, card: MenteeCard, today: date) -> bool:
    """A meeting is due with this mentee: they are behind the minimum for
    this point in the course, or the planned meeting is within a week (or
    has passed)."""
    if card.enrolment.status not in Enrolment.OPEN:
        return False
    if card.mentoring.state == Compliance.BEHIND:
        return True
    soon = today + timedelta(days=MEETING_NOTICE_DAYS)
    return card.next_meeting_on is not None and card.next_meeting_on <= soon


def supervision_due(*, row: SuperviseeRow, today: date) -> bool:
    soon = today + timedelta(days=SUPERVISION_NOTICE_DAYS)
    return row.overdue or (row.next_due_on is not None and row.next_due_on <= soon)


def plan_review_due(*, row: SuperviseeRow, today: date) -> bool:
    soon = today + timedelta(days=PLAN_REVIEW_NOTICE_DAYS)
    return row.plan_review_due is not None and row.plan_review_due <= soon


def filter_mentees(*, cards: list[MenteeCard], show: str, today: date) -> list[MenteeCard]:
    if show == "due":
        return [card for card in cards if meeting_due(card=card, today=today)]
    return cards


def filter_supervisees(*, rows: list[SuperviseeRow], show: str, today: date) -> list[SuperviseeRow]:
    if show == "due":
        return [row for row in rows if supervision_due(row=row, today=today)]
    if show == "plan-review":
        return [row for row in rows if plan_review_due(row=row, today=today)]
    return rows


def mentors_behind(*, user: User, today: date) -> set[int]:
    """The ids of the programme's mentors with at least one mentee now
    behind on meetings (the lead's list of mentors, filtered): one query,
    whoever is behind, read as plain values."""
    mentor_now = MentorAssignment.objects.filter(
        enrolment=OuterRef("pk"), ended_on__isnull=True
    ).values("mentor_id")[:1]
    enrolments = with_mentoring(
        enrolments=scoped(Enrolment.objects.all(), user, "cohort__programme").filter(
            status__in=Enrolment.OPEN
        )
    ).annotate(mentor_now=Subquery(mentor_now))
    rows = enrolments.values_list(
        "mentor_now",
        "status",
        "non_completion_category",
        "meetings_held",
        "meetings_minimum",
        "cohort__training_start",
        "cohort__training_end",
    )
    return {
        mentor
        for mentor, status, category, held, minimum, start, end in rows
        if mentor is not None
        and compliance_state(
            held=held,
            minimum=minimum,
            start=start,
            end=end,
            today=today,
            left=has_left(status=status, annotated=_Category(category)),
        )
        == Compliance.BEHIND
    }


@dataclass(frozen=True)
class _Category:
    """The one annotation ``has_left`` reads."""

    non_completion_category: str | None


def lead_queue(*, user: User, today: date) -> list[WorkCount]:
    return [
        WorkCount(
            "Mentors behind on meetings",
            len(mentors_behind(user=user, today=today)),
            link("supervision:mentors", "show=behind"),
            "With a mentee behind the minimum for this point in the course.",
            order=50,
        )
    ]


def mentor_queue(*, user: User, today: date) -> list[WorkCount]:
    cards = my_mentees(user=user, today=today)
    return [
        WorkCount("Your mentees", len(cards), link("supervision:my-mentees"), order=10),
        WorkCount(
            "Meetings due",
            len(filter_mentees(cards=cards, show="due", today=today)),
            link("supervision:my-mentees", "show=due"),
            "Behind for this point in the course, or a planned meeting within a week.",
            order=20,
        ),
    ]


def supervisor_queue(*, user: User, today: date) -> list[WorkCount]:
    rows = my_supervisees(user=user, today=today)
    return [
        WorkCount(
            "Supervision due or overdue",
            len(filter_supervisees(rows=rows, show="due", today=today)),
            link("supervision:my-supervisees", "show=due"),
            f"Overdue, or due within {SUPERVISION_NOTICE_DAYS} days.",
            order=10,
        ),
        WorkCount(
            "Wellbeing plans due for review",
            len(filter_supervisees(rows=rows, show="plan-review", today=today)),
            link("supervision:my-supervisees", "show=plan-review"),
            f"Review date passed or within {PLAN_REVIEW_NOTICE_DAYS} days.",
            order=20,
        ),
    ]


def register() -> None:
    add(Role.PROGRAMME_LEAD, lead_queue, order=50)
    add(Role.MENTOR, mentor_queue)
    add(Role.SUPERVISOR, supervisor_queue)
    search_add("Your mentees", search.my_mentees, order=50)
    search_add("Your supervisees", search.my_supervisees, order=60)
