"""One page of a cohort's trainees for the lead's cohort mentoring page, by
surname, each with their mentor now and their meetings: the page's rows
read as plain values, never whole records.

On PostgreSQL one statement picks the page of trainees (counting the whole
list as it goes) and reads the meetings of those 50 only; elsewhere (the
embedded demo's SQLite) the same rows come through the ORM. Tests hold the
two to the same answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet

from peerprog.core.models import Person
from peerprog.core.prepared import fetch_prepared_named
from peerprog.core.report_changes import read_unless_changed
from recruitment.models import Cohort
from supervision.models import MentorAssignment, MentorMeeting
from supervision.selectors.compliance import (
    MentoringState,
    meetings_expected_by,
    mentoring_annotations,
    mentoring_state,
)
from training.models import Enrolment, NonCompletionReason

PAGE_SIZE = 50
BEHIND = "behind"
UNMENTORED = "unmentored"


@dataclass(frozen=True)
class ListedPerson:
    first_name: str
    preferred_name: str
    last_name: str

    @property
    def display_name(self) -> str:
        return Person.name_shown(self.first_name, self.preferred_name, self.last_name)


@dataclass(frozen=True)
class ListedTrainee:
    """A trainee's enrolment as the list shows it."""

    pk: int
    status: str
    person: ListedPerson


@dataclass(frozen=True)
class ListedMentor:
    pk: int
    full_name: str


@dataclass
class TraineeRow:
    enrolment: ListedTrainee
    # The trainee's mentor now, if any.
    mentor: ListedMentor | None
    mentoring: MentoringState
    last_contact_on: date | None
    next_meeting_on: date | None


class MeetingsHeld:
    """A trainee's meetings read as plain values, as ``mentoring_state``
    reads an annotated enrolment."""

    def __init__(self, *, held: int, minimum: int, category: str | None) -> None:
        self.meetings_held = held
        self.meetings_minimum = minimum
        self.non_completion_category = category


def _row(values: dict[str, Any], *, cohort: Cohort, minimum: int, today: date) -> TraineeRow:
    mentor_id = values["mentor_id"]
    return TraineeRow(
        enrolment=ListedTrainee(
            pk=values["pk"],
            status=values["status"],
            person=ListedPerson(
                values["first_name"], values["preferred_name"], values["last_name"]
            ),
        ),
        mentor=ListedMentor(mentor_id, values["mentor_name"]) if mentor_id is not None else None,
        mentoring=mentoring_state(
            annotated=MeetingsHeld(
                held=values["meetings_held"], minimum=minimum, category=values["category"]
            ),
            cohort=cohort,
            status=values["status"],
            today=today,
        ),
        last_contact_on=values["last_contact_on"],
        next_meeting_on=values["next_meeting_on"],
    )


# Trainees who sat the course: not those who left it (a trainee who did not
# complete only the portfolio keeps their state), as ``has_left`` reads it.
_STAYED = ~Q(status=Enrolment.Status.NOT_COMPLETED) | Q(
    non_completion_reason__category__in=NonCompletionReason.PORTFOLIO_CATEGORIES
)


def listed(*, cohort: Cohort, show: str, expected: int) -> QuerySet[Enrolment]:
    """The cohort's enrolments the list holds: everyone, those behind
    (fewer counted meetings than ``expected`` by now, among those who sat
    the course), or those still on the course without a mentor."""
    enrolments = Enrolment.objects.filter(cohort=cohort)
    if show == BEHIND:
        return enrolments.annotate(
            held=mentoring_annotations(enrolment_ref="pk")["meetings_held"]
        ).filter(_STAYED, held__lt=expected)
    if show == UNMENTORED:
        return enrolments.exclude(status=Enrolment.Status.NOT_COMPLETED).exclude(
            Exists(MentorAssignment.objects.filter(enrolment=OuterRef("pk"), ended_on__isnull=True))
        )
    return enrolments


_FIELDS = (
    "pk",
    "status",
    "first_name",
    "preferred_name",
    "last_name",
    "category",
    "mentor_id",
    "mentor_name",
    "meetings_held",
    "last_contact_on",
    "next_meeting_on",
)


def _rows_through_orm(enrolments: QuerySet[Enrolment], *, offset: int) -> list[dict[str, Any]]:
    annotations = mentoring_annotations(enrolment_ref="pk")
    return list(
        enrolments.annotate(
            current=FilteredRelation(
                "mentor_assignments", condition=Q(mentor_assignments__ended_on__isnull=True)
            ),
            first_name=F("person__first_name"),
            preferred_name=F("person__preferred_name"),
            last_name=F("person__last_name"),
            category=F("non_completion_reason__category"),
            mentor_id=F("current__mentor_id"),
            mentor_name=F("current__mentor__full_name"),
            meetings_held=annotations["meetings_held"],
            last_contact_on=annotations["last_contact_on"],
            next_meeting_on=annotations["next_meeting_on"],
        )
        .order_by("person__last_name", "person__first_name", "pk")
        .values(*_FIELDS)[offset : offset + PAGE_SIZE]
    )


# The page of the list and how many it holds in all, in one statement: the
# page is picked by surname over the trainees' names alone, and only its 50
# trainees' meetings are read (counted ones, the latest of any kind and the
# next one it planned), each through the index of their assignments. Each
# trainee's name is looked up by their id (``OFFSET 0`` keeps the lookup
# apart), rather than every person of the programme read for a hash join.
_PAGE = """
WITH listed AS (
    SELECT e.id, e.status, e.non_completion_reason_id,
        p.first_name, p.preferred_name, p.last_name, COUNT(*) OVER () AS total
    FROM training_enrolment e
    CROSS JOIN LATERAL (
        SELECT x.first_name, x.preferred_name, x.last_name FROM core_person x
        WHERE x.id = e.person_id OFFSET 0
    ) p
    WHERE e.cohort_id = %(cohort)s {condition}
    ORDER BY p.last_name, p.first_name, e.id
    LIMIT %(size)s OFFSET %(offset)s
)
SELECT l.id, l.status, l.first_name, l.preferred_name, l.last_name, r.category,
    a.mentor_id, u.full_name, m.held, m.last_on, m.next_on, l.total
FROM listed l
LEFT OUTER JOIN training_noncompletionreason r ON r.id = l.non_completion_reason_id
LEFT OUTER JOIN supervision_mentorassignment a ON a.enrolment_id = l.id AND a.ended_on IS NULL
LEFT OUTER JOIN core_user u ON u.id = a.mentor_id
CROSS JOIN LATERAL (
    SELECT
        COUNT(*) FILTER (
            WHERE mm.kind = ANY(%(counted)s) AND mm.held_on >= %(start)s AND mm.held_on <= %(end)s
        ) AS held,
        MAX(mm.held_on) AS last_on,
        (ARRAY_AGG(mm.next_meeting_on ORDER BY mm.held_on DESC, mm.id DESC))[1] AS next_on
    FROM supervision_mentorassignment ma
    INNER JOIN supervision_mentormeeting mm ON mm.assignment_id = ma.id
    WHERE ma.enrolment_id = l.id
) m
ORDER BY l.last_name, l.first_name, l.id
"""
_CONDITIONS = {
    "": "",
    BEHIND: """
    AND (
        e.status <> %(not_completed)s
        OR e.non_completion_reason_id IN (
            SELECT id FROM training_noncompletionreason WHERE category = ANY(%(portfolio)s)
        )
    )
    AND (
        SELECT COUNT(*) FROM supervision_mentorassignment ma
        INNER JOIN supervision_mentormeeting mm ON mm.assignment_id = ma.id
        WHERE ma.enrolment_id = e.id AND mm.kind = ANY(%(counted)s)
        AND mm.held_on >= %(start)s AND mm.held_on <= %(end)s
    ) < %(expected)s""",
    UNMENTORED: """
    AND e.status <> %(not_completed)s
    AND NOT EXISTS (
        SELECT 1 FROM supervision_mentorassignment x
        WHERE x.enrolment_id = e.id AND x.ended_on IS NULL
    )""",
}
_PAGES = {show: _PAGE.format(condition=condition) for show, condition in _CONDITIONS.items()}


def _rows_in_one_statement(
    *, cohort: Cohort, show: str, expected: int, offset: int
) -> tuple[list[dict[str, Any]], int | None]:
    """The page's rows and how many the whole list holds (``None`` when the
    page is empty: beyond the list's end, or the list is empty)."""
    # Prepared once per connection (one statement for each list): planning
    # it cost more than running it for a page of 50.
    # Read again only once a table it reads has changed.
    params = {
        "cohort": cohort.pk,
        "size": PAGE_SIZE,
        "offset": offset,
        "counted": [str(kind) for kind in MentorMeeting.COUNTED],
        "start": cohort.training_start,
        "end": cohort.training_end,
        "not_completed": str(Enrolment.Status.NOT_COMPLETED),
        "portfolio": [str(c) for c in NonCompletionReason.PORTFOLIO_CATEGORIES],
        "expected": expected,
    }
    found = read_unless_changed(
        "cohort_mentoring_page",
        (cohort.pk, show, offset, cohort.training_start, cohort.training_end, expected),
        lambda: fetch_prepared_named(sql=_PAGES[show], params=params),
    )
    rows = [dict(zip(_FIELDS, values[:-1], strict=True)) for values in found]
    return rows, (found[0][-1] if found else None)


def trainee_page(
    *, cohort: Cohort, minimum: int, show: str, page: Any, count: int | None, today: date
) -> Page:
    """The page of the cohort's list (``show``: everyone, ``"behind"`` or
    ``"unmentored"``) holding ``TraineeRow``s. ``count`` is how many the
    list holds if known exactly; otherwise (stored figures, which may be a
    few seconds behind a change) it is counted with the page."""
    expected = meetings_expected_by(
        start=cohort.training_start, end=cohort.training_end, minimum=minimum, today=today
    )
    if in_one_statement():
        # The page asked for, if the list reaches it (when the count is not
        # known, any page may); otherwise the list is counted and its last
        # page read.
        number = _number(page, count=PAGE_SIZE * 10**6 if count is None else count)
        values, total = _rows_in_one_statement(
            cohort=cohort, show=show, expected=expected, offset=(number - 1) * PAGE_SIZE
        )
        if total is None and number > 1:
            if count is None:
                count = listed(cohort=cohort, show=show, expected=expected).count()
            number = _number(page, count=count)
            values, total = _rows_in_one_statement(
                cohort=cohort, show=show, expected=expected, offset=(number - 1) * PAGE_SIZE
            )
        count = total or 0
    else:
        enrolments = listed(cohort=cohort, show=show, expected=expected)
        if count is None:
            count = enrolments.count()
        number = _number(page, count=count)
        values = _rows_through_orm(enrolments, offset=(number - 1) * PAGE_SIZE)
    # The page's rows are read above: the paginator only numbers the pages.
    paginator = Paginator((), PAGE_SIZE)
    paginator.count = count
    shown = paginator.get_page(number)
    shown.object_list = [_row(v, cohort=cohort, minimum=minimum, today=today) for v in values]
    return shown


def in_one_statement() -> bool:
    """Is the page read by the single statement (PostgreSQL only)?"""
    return connection.vendor == "postgresql"


def _number(page: Any, *, count: int) -> int:
    """The page's number as the paginator reads ``?page=`` for a list of
    ``count``: the last page for one beyond it, the first for no number."""
    paginator = Paginator((), PAGE_SIZE)
    paginator.count = count
    return paginator.get_page(page).number
