"""What a peer worker's own supervision page reads, in one query: that the
person record is the account's own, who supervises them (and covers),
how often and when the next session is due, whether they have a wellbeing
plan, the sessions they attended (date, kind, length, areas and the
summary the supervisor shared, never the notes) and their development
sessions.

The parts are one ``UNION ALL`` of plain values (its SQL kept per record,
``kept_rows``), each row carrying its part and its place in that part as
the database orders it. Every part reads only a person record of the
account's own: a record of anyone else's gives no row at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    DateField,
    F,
    IntegerField,
    QuerySet,
    TextField,
    Value,
    Window,
)
from django.db.models.functions import Cast, RowNumber
from django.http import Http404

from peerprog.core.models import Person, User
from selfservice.kept import own_rows
from supervision.models import (
    DevelopmentSession,
    Frequency,
    SupervisionAssignment,
    SupervisionSession,
    WellbeingPlan,
)
from supervision.selectors.supervising import with_last_session

PERSON, ASSIGNMENT, PLAN, SESSION, DEVELOPMENT = 1, 2, 3, 4, 5
COLUMNS = ("part", "place", "day", "since", "number", "one", "two", "three", "well", "role")
_KINDS = dict(SupervisionSession.Kind.choices)
_FREQUENCIES = dict(Frequency.choices)


@dataclass(frozen=True)
class OwnAssignment:
    supervisor_name: str
    cover_name: str
    frequency_label: str


@dataclass(frozen=True)
class OwnPlan:
    pk: int
    review_due: date


@dataclass(frozen=True)
class OwnSession:
    held_on: date
    kind: str
    minutes: int
    areas: list[str]
    led_by: str
    summary: str


@dataclass(frozen=True)
class OwnDevelopment:
    held_on: date
    topic: str
    minutes: int


@dataclass
class SupervisionPage:
    assignment: OwnAssignment | None = None
    next_due_on: date | None = None
    plan: OwnPlan | None = None
    sessions: list[OwnSession] = field(default_factory=list)
    development: list[OwnDevelopment] = field(default_factory=list)


def _typed(value: Any, output: Any) -> Cast:
    """A constant (or nothing) of a column's type, so that every part of
    the union agrees on it."""
    return Cast(Value(value), output)


def _part(queryset: QuerySet[Any], part: int, **columns: Any) -> QuerySet[Any]:
    blank = {
        "place": _typed(1, IntegerField()),
        "day": _typed(None, DateField()),
        "since": _typed(None, DateField()),
        "number": _typed(None, BigIntegerField()),
        "one": _typed(None, TextField()),
        "two": _typed(None, TextField()),
        "three": _typed(None, TextField()),
        "well": _typed(None, BooleanField()),
        "role": _typed(None, BooleanField()),
    }
    return (
        queryset.annotate(part=Value(part, output_field=IntegerField()), **{**blank, **columns})
        .values_list(*COLUMNS)
        .order_by()
    )


def _rows(*, user: int, pk: int) -> QuerySet[Any]:
    user_id = user
    own = {"person_id": pk, "person__user_id": user_id, "person__user__is_active": True}
    person = _part(Person.objects.filter(pk=pk, user_id=user_id, user__is_active=True), PERSON)
    assignment = _part(
        with_last_session(assignments=SupervisionAssignment.objects.filter(ended_on=None, **own)),
        ASSIGNMENT,
        day=F("started_on"),
        since=F("last_session_on"),
        number=F("frequency_days"),
        one=F("supervisor__full_name"),
        two=F("cover_supervisor__full_name"),
    )
    plan = _part(WellbeingPlan.objects.filter(**own), PLAN, day=F("review_due"), number=F("pk"))
    sessions = _part(
        SupervisionSession.objects.filter(
            attendance__person_id=pk,
            attendance__person__user_id=user_id,
            attendance__person__user__is_active=True,
        ),
        SESSION,
        place=Window(RowNumber(), order_by=[F("held_on").desc(), F("pk").desc()]),
        day=F("held_on"),
        number=F("minutes"),
        one=F("kind"),
        two=F("led_by__full_name"),
        three=F("shared_summary"),
        well=F("keeping_well"),
        role=F("developing_role"),
    )
    development = _part(
        DevelopmentSession.objects.filter(
            attendees__id=pk, attendees__user_id=user_id, attendees__user__is_active=True
        ),
        DEVELOPMENT,
        place=Window(RowNumber(), order_by=[F("held_on").desc(), F("pk").desc()]),
        day=F("held_on"),
        number=F("minutes"),
        one=F("topic"),
    )
    return person.union(assignment, plan, sessions, development, all=True)


def _areas(keeping_well: bool, developing_role: bool) -> list[str]:
    # As ``SupervisionSession.areas`` names them.
    names = []
    if keeping_well:
        names.append("Keeping well and in recovery")
    if developing_role:
        names.append("Developing the role")
    return names


def own_supervision_page(*, user: User, pk: Any) -> SupervisionPage:
    """The page of the account's own person record ``pk``; 404 for any
    other record. One query, however many sessions there are."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such record of yours.") from None
    rows = own_rows(name="supervision", build=_rows, user=user.pk, pk=pk)
    page = SupervisionPage()
    found = False
    for part, _place, day, since, number, one, two, three, well, role in sorted(
        rows, key=lambda row: (row[0], row[1])
    ):
        if part == PERSON:
            found = True
        elif part == ASSIGNMENT:
            page.assignment = OwnAssignment(
                supervisor_name=one,
                cover_name=two or "",
                frequency_label=_FREQUENCIES.get(number, str(number)),
            )
            # As ``supervising.next_due_on`` reckons it.
            page.next_due_on = (since or day) + timedelta(days=number)
        elif part == PLAN:
            page.plan = OwnPlan(pk=number, review_due=day)
        elif part == SESSION:
            page.sessions.append(
                OwnSession(
                    held_on=day,
                    kind=_KINDS.get(one, one),
                    minutes=number,
                    areas=_areas(well, role),
                    led_by=two,
                    summary=three,
                )
            )
        else:
            page.development.append(OwnDevelopment(held_on=day, topic=one, minutes=number))
    if not found:
        raise Http404("No such record of yours.")
    return page
