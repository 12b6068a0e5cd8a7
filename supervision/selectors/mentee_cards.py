"""The mentor's own page: a card for each of their mentees now, showing
their course, mentoring state, attendance rate and where their portfolio
is, read as plain values rather than whole records.

On PostgreSQL one statement reads the mentees with their course, meetings
and portfolio, and training's grouped query their attendance; elsewhere (the
embedded demo's SQLite) the same come through the ORM. Tests hold the two
to the same answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from peerprog.core.access import require_role
from peerprog.core.models import Role, User
from supervision.models import DEFAULT_MINIMUM_MEETINGS, MentorAssignment, MentorMeeting
from supervision.selectors.cohort_rows import ListedPerson, MeetingsHeld
from supervision.selectors.compliance import mentoring_annotations, mentoring_state
from supervision.selectors.mentoring import CardProgress, MenteeCard
from training.models import PortfolioDraft, PortfolioSubmission
from training.selectors import (
    PortfolioState,
    attach_attendance,
    attendance_rate,
    portfolio_state,
)

MENTOR = Role.MENTOR


@dataclass(frozen=True)
class ListedCohort:
    pk: int
    name: str
    training_start: date
    training_end: date


@dataclass
class ListedEnrolment:
    """A mentee's enrolment as the card shows it, with what training's
    ``attendance_rate`` and ``portfolio_state`` read (attendance is set by
    ``attach_attendance``)."""

    pk: int
    status: str
    cohort: ListedCohort
    person: ListedPerson
    latest_status: str | None
    draft_count: int
    attended: int = 0
    counted: int = 0


@dataclass(frozen=True)
class ListedMentorship:
    pk: int


def in_one_statement() -> bool:
    """Are the mentees read by the single statement (PostgreSQL only)?"""
    return connection.vendor == "postgresql"


def my_mentee_cards(*, user: User, today: date | None = None) -> list[MenteeCard]:
    """The mentor's mentees now for their own page, whose cards show only
    each mentee's attendance rate and where their portfolio is: the latest
    submission's status and whether any draft came in are read with the
    mentees, and the attendance in one grouped query (training's own),
    rather than every figure of training's progress. Two queries, whatever
    the number of mentees."""
    require_role(user, MENTOR)
    today = today or timezone.localdate()
    if in_one_statement():
        return _cards_in_one_statement(user=user, today=today)
    return _cards_through_orm(user=user, today=today)


def _card(
    *, assignment: object, enrolment: object, held: object, latest: object, today: date
) -> MenteeCard:
    state = portfolio_state(enrolment=enrolment)  # type: ignore[arg-type]
    if state == PortfolioState.IN_MODERATION:
        # Whether assessors disagree is not a mentor's business.
        state = PortfolioState.WITH_ASSESSORS
    return MenteeCard(
        assignment=assignment,  # type: ignore[arg-type]
        enrolment=enrolment,  # type: ignore[arg-type]
        progress=CardProgress(
            attendance_rate=attendance_rate(enrolment=enrolment),  # type: ignore[arg-type]
            portfolio_state_label=PortfolioState.LABELS[state],
        ),
        mentoring=mentoring_state(
            annotated=held,
            cohort=enrolment.cohort,  # type: ignore[attr-defined]
            status=enrolment.status,  # type: ignore[attr-defined]
            today=today,
        ),
        last_contact_on=latest[0],  # type: ignore[index]
        next_meeting_on=latest[1],  # type: ignore[index]
    )


# The mentor's mentees now, by surname, each with their course, the minimum,
# their meetings (counted ones during the course, the latest of any kind and
# the next it planned), the latest submission's status and whether a draft
# came in: one statement, read as values.
_MY_MENTEES = """
SELECT ma.id, e.id, e.status, c.id, c.name, c.training_start, c.training_end,
    COALESCE(cm.minimum_meetings, %(default_minimum)s),
    p.first_name, p.preferred_name, p.last_name, r.category,
    m.held, m.last_on, m.next_on,
    (
        SELECT ps.status FROM training_portfoliosubmission ps
        WHERE ps.enrolment_id = e.id ORDER BY ps.attempt DESC LIMIT 1
    ),
    EXISTS (SELECT 1 FROM training_portfoliodraft d WHERE d.enrolment_id = e.id)
FROM supervision_mentorassignment ma
INNER JOIN training_enrolment e ON e.id = ma.enrolment_id
INNER JOIN recruitment_cohort c ON c.id = e.cohort_id
LEFT OUTER JOIN supervision_cohortmentoring cm ON cm.cohort_id = c.id
INNER JOIN core_person p ON p.id = e.person_id
LEFT OUTER JOIN training_noncompletionreason r ON r.id = e.non_completion_reason_id
CROSS JOIN LATERAL (
    SELECT
        COUNT(*) FILTER (
            WHERE mm.kind IN %(counted)s
            AND mm.held_on >= c.training_start AND mm.held_on <= c.training_end
        ) AS held,
        MAX(mm.held_on) AS last_on,
        (ARRAY_AGG(mm.next_meeting_on ORDER BY mm.held_on DESC, mm.id DESC))[1] AS next_on
    FROM supervision_mentorassignment a
    INNER JOIN supervision_mentormeeting mm ON mm.assignment_id = a.id
    WHERE a.enrolment_id = e.id
) m
WHERE ma.mentor_id = %(user)s AND ma.ended_on IS NULL AND c.programme_id = %(programme)s
ORDER BY p.last_name, p.first_name, ma.id
"""


def _cards_in_one_statement(*, user: User, today: date) -> list[MenteeCard]:
    if user.programme_id is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _MY_MENTEES,
            {
                "user": user.pk,
                "programme": user.programme_id,
                "default_minimum": DEFAULT_MINIMUM_MEETINGS,
                "counted": tuple(str(kind) for kind in MentorMeeting.COUNTED),
            },
        )
        found = cursor.fetchall()
    read = []
    for (
        assignment_id,
        enrolment_id,
        status,
        cohort_id,
        cohort_name,
        start,
        end,
        minimum,
        first_name,
        preferred_name,
        last_name,
        category,
        held,
        last_on,
        next_on,
        latest_status,
        has_draft,
    ) in found:
        enrolment = ListedEnrolment(
            pk=enrolment_id,
            status=status,
            cohort=ListedCohort(cohort_id, cohort_name, start, end),
            person=ListedPerson(first_name, preferred_name, last_name),
            latest_status=latest_status,
            draft_count=int(has_draft),
        )
        read.append(
            (
                ListedMentorship(assignment_id),
                enrolment,
                MeetingsHeld(held=held, minimum=minimum, category=category),
                (last_on, next_on),
            )
        )
    attach_attendance(enrolments=[enrolment for _, enrolment, _, _ in read])  # type: ignore[misc]
    return [
        _card(assignment=a, enrolment=e, held=held, latest=latest, today=today)
        for a, e, held, latest in read
    ]


def _cards_through_orm(*, user: User, today: date) -> list[MenteeCard]:
    latest_status = (
        PortfolioSubmission.objects.filter(enrolment=OuterRef("enrolment_id"))
        .order_by("-attempt")
        .values("status")[:1]
    )
    assignments = list(
        MentorAssignment.objects.filter(
            mentor=user,
            ended_on__isnull=True,
            enrolment__cohort__programme_id=user.programme_id,
        )
        .select_related("enrolment__person", "enrolment__cohort")
        .annotate(
            **mentoring_annotations(enrolment_ref="enrolment_id"),
            latest_submission_status=Subquery(latest_status),
            has_draft=Exists(PortfolioDraft.objects.filter(enrolment=OuterRef("enrolment_id"))),
        )
        .order_by("enrolment__person__last_name", "enrolment__person__first_name", "pk")
    )
    enrolments = attach_attendance(enrolments=[a.enrolment for a in assignments])
    cards = []
    for a, enrolment in zip(assignments, enrolments, strict=True):
        # What ``portfolio_state`` reads of training's progress figures.
        enrolment.latest_status = a.latest_submission_status
        enrolment.draft_count = int(a.has_draft)
        cards.append(
            _card(
                assignment=a,
                enrolment=enrolment,
                held=a,
                latest=(a.last_contact_on, a.next_meeting_on),
                today=today,
            )
        )
    return cards
