"""What a trainee's course page reads: their own enrolment with its cohort
and their calendar feed's token, in the one query that checks it is
theirs, then the cohort's timetable with their own mark in each session's
register (nobody else's marks, no facilitators' names, no reasons).

Both are plain values whose SQL is kept per enrolment (``kept_rows``),
read live on every view; the timetable's rows are drawn here from one
pattern rather than by a template loop, every value from outside escaped
once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from peerprog.core.models import CalendarFeed, Programme, User
from recruitment.models import Cohort
from selfservice.kept import own_rows
from supervision.tables import MONTHS
from training.models import Attendance, CourseSession, Enrolment

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ENROLMENT_COLUMNS = (
    "status",
    "cohort_id",
    "cohort__name",
    "cohort__training_start",
    "cohort__training_end",
    "cohort__programme_id",
    "cohort__programme__name",
    "feed_token",
)
# What a trainee sees of a session, and their own mark.
SESSION_COLUMNS = ("title", "date", "starts_at", "minutes", "place", "is_online", "status", "mark")
_MARKS = dict(Attendance.Status.choices)
_ROW = (
    "\n      <tr{muted}>\n"
    "        <td>{title}</td>\n"
    "        <td>{day}</td>\n"
    "        <td>{starts} to {ends}</td>\n"
    "        <td>{place}</td>\n"
    "        <td>{mark}</td>\n"
    "      </tr>\n    "
)


@dataclass(frozen=True)
class MyCourse:
    enrolment: Enrolment
    # The calendar feed's token, or empty when there is none.
    feed_token: str


@dataclass(frozen=True)
class MyTimetable:
    rows: SafeString
    count: int
    attended: int
    recorded: int


def _enrolment(*, user: int, pk: int) -> QuerySet[Any]:
    user_id = user
    feed = CalendarFeed.objects.filter(person=OuterRef("person_id")).order_by("pk")
    return (
        Enrolment.objects.filter(pk=pk, person__user_id=user_id, person__user__is_active=True)
        .annotate(feed_token=Subquery(feed.values("token")[:1]))
        .values_list(*ENROLMENT_COLUMNS)
    )


def _sessions(*, enrolment: int, cohort: int) -> QuerySet[Any]:
    enrolment_id, cohort_id = enrolment, cohort
    mark = Attendance.objects.filter(session=OuterRef("pk"), enrolment_id=enrolment_id)
    return (
        CourseSession.objects.filter(cohort_id=cohort_id)
        .annotate(mark=Subquery(mark.values("status")[:1]))
        .order_by("date", "starts_at", "pk")
        .values_list(*SESSION_COLUMNS)
    )


def my_course(*, user: User, pk: Any) -> MyCourse:
    """The account's own enrolment ``pk`` with its cohort; 404 for anyone
    else's."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such record of yours.") from None
    rows = own_rows(name="course", build=_enrolment, user=user.pk, pk=pk)
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
    return MyCourse(
        enrolment=Enrolment(pk=pk, status=values["status"], cohort=cohort),
        feed_token=values["feed_token"] or "",
    )


def _day(value: date) -> str:
    """As the ``date`` filter writes "l j F Y" (Saturday 3 March 2026)."""
    return f"{DAYS[value.weekday()]} {value.day} {MONTHS[value.month]} {value.year}"


def my_timetable(*, enrolment: Enrolment) -> MyTimetable:
    """The cohort's sessions in order, each with this trainee's mark (or
    none), drawn as the timetable's rows: one query."""
    rows = own_rows(
        name="timetable", build=_sessions, enrolment=enrolment.pk, cohort=enrolment.cohort.pk
    )
    drawn = []
    attended = recorded = 0
    for title, day, starts_at, minutes, place, is_online, status, mark in rows:
        cancelled = status == CourseSession.Status.CANCELLED
        title = escape(title)
        where = escape(place or "")
        if is_online:
            where += " or online" if place else "online"
        if mark is not None:
            recorded += 1
            attended += mark in Attendance.ATTENDED
            said = escape(_MARKS.get(mark, mark))
        else:
            said = "Not held" if cancelled else "Not recorded"
        ends = datetime.combine(day, starts_at) + timedelta(minutes=minutes)
        drawn.append(
            _ROW.format(
                muted=' class="text-muted"' if cancelled else "",
                title=(
                    f'<del>{title}</del> <span class="badge text-bg-secondary">Cancelled</span>'
                    if cancelled
                    else title
                ),
                day=_day(day),
                starts=_clock(starts_at),
                ends=_clock(ends.time()),
                place=where,
                mark=said,
            )
        )
    # Every part of each row is escaped above or is our own markup.
    return MyTimetable(
        rows=mark_safe("".join(drawn)),  # noqa: S308
        count=len(drawn),
        attended=attended,
        recorded=recorded,
    )


def _clock(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"
