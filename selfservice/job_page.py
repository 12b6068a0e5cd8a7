"""What a peer worker's own job page reads, in one query: their
appointment with its post, service, programme and line manager (only if it
is the account's own), the pre-employment checks, the induction checklist
and their absences with the health category of a sickness absence (theirs
to see; never who covered).

The parts are one ``UNION ALL`` of plain values (its SQL kept per
appointment, ``kept_rows``), each row carrying its part and its place in
that part as the database orders it. Every part reads only an appointment
of the account's own: anyone else's gives no row at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    BigIntegerField,
    DateField,
    DateTimeField,
    DecimalField,
    F,
    IntegerField,
    QuerySet,
    TextField,
    Value,
    Window,
)
from django.db.models.functions import Cast, RowNumber
from django.http import Http404

from deployment.models import Absence, AbsenceHealth, Appointment, InductionItem, Post
from deployment.models import PreEmploymentCheck as Check
from deployment.selectors import CheckInWords, check_in_words
from peerprog.core.models import Programme, Service, User
from selfservice.kept import own_rows

APPOINTMENT, CHECK, INDUCTION, ABSENCE = 1, 2, 3, 4
TEXTS = ("t1", "t2", "t3", "t4", "t5", "t6")
COLUMNS = ("part", "place", *TEXTS, "d1", "d2", "at", "hours", "number")
_ABSENCE_KINDS = dict(Absence.Kind.choices)
_HEALTH = dict(AbsenceHealth.Category.choices)


@dataclass(frozen=True)
class InductionLine:
    title: str
    done_on: date | None


@dataclass(frozen=True)
class AbsenceLine:
    kind_label: str
    starts_on: date
    ends_on: date | None
    # The health category of a sickness absence, or empty.
    health_label: str


@dataclass
class MyJob:
    appointment: Appointment
    checks: list[CheckInWords] = field(default_factory=list)
    induction: list[InductionLine] = field(default_factory=list)
    absences: list[AbsenceLine] = field(default_factory=list)


def _typed(output: Any) -> Cast:
    return Cast(Value(None), output)


def _part(queryset: QuerySet[Any], part: int, **columns: Any) -> QuerySet[Any]:
    blank = {
        "place": Cast(Value(1), IntegerField()),
        **{name: _typed(TextField()) for name in TEXTS},
        "d1": _typed(DateField()),
        "d2": _typed(DateField()),
        "at": _typed(DateTimeField()),
        "hours": _typed(DecimalField(max_digits=4, decimal_places=1)),
        "number": _typed(BigIntegerField()),
    }
    return (
        queryset.annotate(part=Value(part, output_field=IntegerField()), **{**blank, **columns})
        .values_list(*COLUMNS)
        .order_by()
    )


def _place(*order: Any) -> Window:
    return Window(RowNumber(), order_by=list(order))


def _rows(*, user: int, pk: int) -> QuerySet[Any]:
    user_id = user
    own = {
        "appointment_id": pk,
        "appointment__person__user_id": user_id,
        "appointment__person__user__is_active": True,
    }
    appointment = _part(
        Appointment.objects.filter(pk=pk, person__user_id=user_id, person__user__is_active=True),
        APPOINTMENT,
        t1=F("post__job_title"),
        t2=F("post__service__name"),
        t3=F("programme__name"),
        t4=F("status"),
        t5=F("contract"),
        t6=F("line_manager__full_name"),
        d1=F("start_date"),
        d2=F("ended_on"),
        at=F("start_confirmed_at"),
        hours=F("hours_per_week"),
        number=F("person_id"),
    )
    checks = _part(
        Check.objects.filter(**own),
        CHECK,
        place=_place(F("kind").asc(), F("pk").asc()),
        t1=F("kind"),
        t2=F("status"),
    )
    induction = _part(
        InductionItem.objects.filter(**own),
        INDUCTION,
        place=_place(F("order").asc(), F("due_days").asc(), F("pk").asc()),
        t1=F("title"),
        d1=F("done_on"),
    )
    absences = _part(
        Absence.objects.filter(**own),
        ABSENCE,
        place=_place(F("starts_on").desc(), F("pk").desc()),
        t1=F("kind"),
        t2=F("health__category"),
        d1=F("starts_on"),
        d2=F("ends_on"),
    )
    return appointment.union(checks, induction, absences, all=True)


def _appointment(pk: int, row: tuple[Any, ...]) -> Appointment:
    job_title, service, programme, status, contract, manager = row[2:8]
    start_date, ended_on, confirmed_at, hours, person_id = row[8:]
    return Appointment(
        pk=pk,
        person_id=person_id,
        status=status,
        contract=contract,
        hours_per_week=hours,
        start_date=start_date,
        start_confirmed_at=confirmed_at,
        ended_on=ended_on,
        post=Post(job_title=job_title, service=Service(name=service)),
        programme=Programme(name=programme),
        line_manager=User(full_name=manager) if manager is not None else None,
    )


def my_job(*, user: User, pk: Any) -> MyJob:
    """The account's own appointment ``pk`` and what its page shows; 404
    for anyone else's. One query, however many checks, items or absences."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such record of yours.") from None
    rows = sorted(
        own_rows(name="job", build=_rows, user=user.pk, pk=pk),
        key=lambda row: (row[0], row[1]),
    )
    if not rows or rows[0][0] != APPOINTMENT:
        raise Http404("No such record of yours.")
    job = MyJob(appointment=_appointment(pk, rows[0]))
    for row in rows[1:]:
        part, text, more, starts, ends = row[0], row[2], row[3], row[8], row[9]
        if part == CHECK:
            job.checks.append(check_in_words(check=Check(kind=text, status=more)))
        elif part == INDUCTION:
            job.induction.append(InductionLine(title=text, done_on=starts))
        else:
            health = _HEALTH.get(more, more) if text == Absence.Kind.SICKNESS and more else ""
            job.absences.append(
                AbsenceLine(
                    kind_label=_ABSENCE_KINDS.get(text, text),
                    starts_on=starts,
                    ends_on=ends,
                    health_label=health,
                )
            )
    return job
