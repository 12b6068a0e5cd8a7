"""Reads behind a cohort's training page and a session's register.

The cohort page shows fifty trainees a page: the cohort's totals are counted
by the database over every trainee, in one grouped query. The register shows
the whole cohort by design, read as plain values in one query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any, TypeVar

from django.db import connection
from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.http import Http404

from peerprog.core.access import require_role
from peerprog.core.kept_queries import kept_statement
from peerprog.core.models import Person, User
from peerprog.core.prepared import fetch_prepared, fetch_prepared_named
from peerprog.core.report_changes import read_unless_changed
from recruitment.models import Cohort
from training.models import (
    Attendance,
    CoFacilitator,
    CohortTraining,
    CourseSession,
    Enrolment,
    NonCompletionReason,
    Rubric,
)
from training.selectors.kept import kept_parts, kept_rows
from training.selectors.progress import (
    PROGRESS_PARAMS,
    attach_progress_at_once,
    progress_sql,
    set_progress,
)
from training.selectors.records import COHORT_READERS, category_label

Status = Enrolment.Status
# The statuses a lead can show on their own, in the order the page lists them.
STATUS_FILTERS = (Status.ACTIVE, Status.REFERRED, Status.COMPLETED, Status.NOT_COMPLETED)
M = TypeVar("M", bound=Model)
# The reporting categories in the order the breakdown lists them.
_CATEGORY_VALUES = tuple(NonCompletionReason.Category.values)


_COHORT = ("id", "programme_id", "name", "training_start", "training_end")
_TRAINING = (
    "id",
    "cohort_id",
    "facilitator_id",
    "second_assessor_id",
    "rubric_id",
    "draft_due",
    "final_due",
    "resubmission_days",
    "attendance_threshold",
)
_RELATED = (
    "training__facilitator__email",
    "training__facilitator__full_name",
    "training__second_assessor__email",
    "training__second_assessor__full_name",
    "training__rubric__name",
)


def _record(model: type[M], values: dict[str, Any]) -> M:
    """A record as read from the database with only these fields loaded
    (the others are read if asked for)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def cohort_with_training(*, user: User, pk: int) -> Cohort:
    """The user's programme's cohort ``pk`` (404 for any other) with its
    training settings, assessors and rubric, read as the cohort page shows
    them in one query."""
    require_role(user, *COHORT_READERS)
    rows = kept_rows(
        name="cohort_with_training",
        key=(user.programme_id, pk),
        build=lambda: _cohort_query(user.programme_id, pk),
    )
    return _cohort_read(rows)


_COHORT_NAMES = (*_COHORT, *(f"training__{name}" for name in _TRAINING), *_RELATED)


def _cohort_query(programme_id: int, pk: int) -> QuerySet:
    return Cohort.objects.filter(programme_id=programme_id, pk=pk).values_list(*_COHORT_NAMES)


def _cohort_read(rows: list[tuple[Any, ...]]) -> Cohort:
    """The cohort of ``_cohort_query``'s row with its training settings,
    assessors and rubric (404 without a row)."""
    if not rows:
        raise Http404("No such record in your programme.")
    row = dict(zip(_COHORT_NAMES, rows[0], strict=True))
    cohort = _record(Cohort, {name: row[name] for name in _COHORT})
    training = None
    if row["training__id"] is not None:
        training = _record(CohortTraining, {name: row[f"training__{name}"] for name in _TRAINING})
        for role in ("facilitator", "second_assessor"):
            if row[f"training__{role}_id"] is not None:
                user_values = {
                    "id": row[f"training__{role}_id"],
                    "email": row[f"training__{role}__email"],
                    "full_name": row[f"training__{role}__full_name"],
                }
                setattr(training, role, _record(User, user_values))
        if training.rubric_id is not None:
            training.rubric = _record(
                Rubric, {"id": training.rubric_id, "name": row["training__rubric__name"]}
            )
        training.cohort = cohort
    # As ``select_related`` leaves it: settings never saved are known absent.
    Cohort.training.related.set_cached_value(cohort, training)
    return cohort


@dataclass
class CohortFigures:
    """The cohort's trainees counted by status, and why those who did not
    complete left (by the study's reporting category)."""

    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    breakdown: list[tuple[str, int]] = field(default_factory=list)

    def count(self, status: str | None) -> int:
        """How many trainees the page lists with this filter (None: all)."""
        return self.total if not status else self.by_status.get(status, 0)

    def statuses(self) -> list[tuple[str, str, int]]:
        """Each status a lead can show: its value, its label and its count."""
        return [(s.value, s.label, self.by_status.get(s, 0)) for s in STATUS_FILTERS]


def cohort_figures(*, user: User, cohort: Cohort) -> CohortFigures:
    """Every trainee of the cohort counted by status and, for those who did
    not complete, by reason category: one grouped query.

    For readers who may not see health-related reasons, health issues and
    personal factors are counted together, as the study itself reports them.
    """
    rows = kept_rows(name="cohort_figures", key=cohort.pk, build=lambda: _figures_query(cohort.pk))
    return _figures_read(rows, user=user)


def _figures_query(cohort_id: int) -> QuerySet:
    return (
        Enrolment.objects.filter(cohort_id=cohort_id)
        .order_by()
        .values_list("status", "non_completion_reason__category")
        .annotate(n=Count("pk"))
    )


def _figures_read(rows: list[tuple[Any, ...]], *, user: User) -> CohortFigures:
    """The figures from ``_figures_query``'s rows, as ``user`` may see them."""
    figures = CohortFigures()
    left: dict[str, int] = {}
    for status, category, n in rows:
        figures.total += n
        figures.by_status[status] = figures.by_status.get(status, 0) + n
        if status == Status.NOT_COMPLETED:
            label = category_label(category=category, user=user)
            left[label] = left.get(label, 0) + n
    order = [category_label(category=c, user=user) for c in _CATEGORY_VALUES]
    figures.breakdown = sorted(
        left.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)
    )
    return figures


@dataclass(frozen=True)
class CohortOverview:
    """What the cohort page shows of the cohort as a whole: the cohort with
    its training settings, its trainees' figures and its timetable."""

    cohort: Cohort
    figures: CohortFigures
    sessions: list[CohortSession]


def cohort_overview(*, user: User, pk: int) -> CohortOverview:
    """The user's programme's cohort ``pk`` (404 for any other) as
    ``cohort_with_training`` reads it, with ``cohort_figures`` and
    ``cohort_timetable``: on PostgreSQL in one statement (``kept_parts``),
    its four parts read from live rows and kept until a table they read
    changes (``read_unless_changed``); elsewhere four queries. Nothing of a
    cohort outside the user's programme is returned."""
    require_role(user, *COHORT_READERS)
    programme_id = user.programme_id
    cohort_rows, figure_rows, sessions, co_facilitators = read_unless_changed(
        "cohort_overview",
        (programme_id, pk),
        lambda: kept_parts(
            name="cohort_overview",
            key=(programme_id, pk),
            parts=(
                lambda: _cohort_query(programme_id, pk),
                lambda: _figures_query(pk),
                lambda: _sessions(pk),
                lambda: _co_facilitators(pk),
            ),
        ),
    )
    cohort = _cohort_read(cohort_rows)
    return CohortOverview(
        cohort=cohort,
        figures=_figures_read(figure_rows, user=user),
        sessions=_timetable_read(sessions, co_facilitators),
    )


@dataclass
class CohortTrainee:
    """A trainee on the cohort page, read as plain values; the page sets
    ``link`` and ``attach_progress_at_once`` their figures."""

    pk: int
    status: str
    passed_on: date | None
    name: str
    link: str = ""

    def get_status_display(self) -> str:
        return str(_STATUS_LABELS.get(self.status, self.status))


_STATUS_LABELS = dict(Status.choices)


def cohort_trainees(*, cohort: Cohort, status: str | None = None) -> QuerySet:
    """The cohort's trainees (those with one status, if given), by surname,
    as plain values: the page shows fifty of them at a time (through
    ``trainees_shown``), each with the figures of ``attach_progress``."""
    queryset = Enrolment.objects.filter(cohort=cohort)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("person__last_name", "person__first_name", "pk").values_list(
        "pk",
        "status",
        "passed_on",
        "person__first_name",
        "person__preferred_name",
        "person__last_name",
    )


def cohort_trainee_rows(
    *, cohort: Cohort, status: str | None, start: int, size: int
) -> list[tuple[Any, ...]]:
    """One page of ``cohort_trainees``: ``size`` rows from ``start``. On
    PostgreSQL the cohort's query (for this filter) is prepared once per
    database connection and run for each page, its rows read live: planning
    it cost the page about as much as running it. Elsewhere the ORM's
    slice."""
    if connection.vendor != "postgresql":
        shown = cohort_trainees(cohort=cohort, status=status)[start : start + size]
        return [tuple(row) for row in shown]
    sql, params = kept_statement(
        "cohort_trainees",
        (cohort.pk, status or ""),
        lambda: cohort_trainees(cohort=cohort, status=status).query.sql_with_params(),
    )
    return fetch_prepared(sql=f"{sql} LIMIT %s OFFSET %s", params=params, args=(size, start))


def trainees_shown(*, rows: Iterable[tuple[Any, ...]]) -> list[CohortTrainee]:
    """The rows of ``cohort_trainees`` the page shows, as trainees."""
    return [
        CohortTrainee(
            pk=pk,
            status=status,
            passed_on=passed_on,
            name=Person.name_shown(first, preferred, last),
        )
        for pk, status, passed_on, first, preferred, last in rows
    ]


def cohort_trainees_with_progress(
    *, cohort: Cohort, status: str | None, start: int, size: int
) -> list[CohortTrainee]:
    """One page of the cohort's trainees (``cohort_trainee_rows``) as
    ``trainees_shown`` gives them, each with the figures
    ``attach_progress_at_once`` sets. On PostgreSQL one statement: the
    page, each trainee's name looked up by the person's key (a join would
    read every person), then its trainees' figures grouped over that page
    only, prepared once per database connection for each kind of filter
    and run on live rows, kept until a table it reads changes; elsewhere
    the page's query and then its figures (``test_cohort_page`` holds the
    two equal)."""
    if connection.vendor != "postgresql":
        rows = cohort_trainee_rows(cohort=cohort, status=status, start=start, size=size)
        return attach_progress_at_once(enrolments=trainees_shown(rows=rows))
    values = {"cohort": cohort.pk, "size": size, "start": start, **PROGRESS_PARAMS}
    if status:
        values["status"] = status
    rows = read_unless_changed(
        "cohort_trainees_with_progress",
        (cohort.pk, status, start, size),
        lambda: fetch_prepared_named(sql=_with_progress(filtered=bool(status)), params=values),
    )
    trainees = trainees_shown(rows=[row[:6] for row in rows])
    for trainee, row in zip(trainees, rows, strict=True):
        # The row's figures follow its place on the page and enrolment id.
        set_progress(enrolment=trainee, figures=row[8:])
    return trainees


def _with_progress(*, filtered: bool) -> str:
    """The page of ``cohort_trainees`` (of the cohort ``%(cohort)s``, with
    the status ``%(status)s`` if ``filtered``) with each trainee's
    figures, in the page's order."""
    enrolment = connection.ops.quote_name(Enrolment._meta.db_table)
    person = connection.ops.quote_name(Person._meta.db_table)
    status = " AND e.status = %(status)s" if filtered else ""
    figures = progress_sql(page="page", among="= ANY(ARRAY(SELECT id FROM page))")
    # Our own SQL and table names; the values stay parameters. The page is
    # read first and once; its rows keep their place.
    return (
        "WITH page AS MATERIALIZED ("  # noqa: S608
        "SELECT shown.*, row_number() OVER () AS place FROM ("
        "SELECT e.id, e.status, e.passed_on, p.first_name, p.preferred_name, p.last_name"
        f" FROM {enrolment} e CROSS JOIN LATERAL (SELECT first_name, preferred_name, last_name"
        f" FROM {person} WHERE id = e.person_id OFFSET 0) AS p"
        f" WHERE e.cohort_id = %(cohort)s{status}"
        " ORDER BY p.last_name, p.first_name, e.id LIMIT %(size)s OFFSET %(start)s"
        ") AS shown)"
        " SELECT page.*, figures.* FROM page"
        f" JOIN ({figures}) AS figures ON figures.id = page.id"
        " ORDER BY page.place"
    )


# The timetable


@dataclass
class CohortSession:
    """A session on the cohort's timetable, read as plain values: its
    facilitator's and co-facilitators' names as people see them, and how
    many marks its register holds. The page sets ``links``."""

    pk: int
    title: str
    date: date
    starts_at: time
    minutes: int
    place: str
    is_online: bool
    status: str
    cancel_reason: str
    facilitator: str
    marked: int
    co_facilitators: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)

    @property
    def is_cancelled(self) -> bool:
        return self.status == CourseSession.Status.CANCELLED


_KIND_LABELS = dict(CoFacilitator.Kind.choices)


def cohort_timetable(*, cohort: Cohort) -> list[CohortSession]:
    """The cohort's sessions by date and time, each with its facilitators
    and the number of marks on its register: two queries, as plain values."""
    sessions = kept_rows(name="cohort_timetable", key=cohort.pk, build=lambda: _sessions(cohort.pk))
    if not sessions:
        return []
    co_facilitators = kept_rows(
        name="cohort_co_facilitators", key=cohort.pk, build=lambda: _co_facilitators(cohort.pk)
    )
    return _timetable_read(sessions, co_facilitators)


def _timetable_read(
    sessions: list[tuple[Any, ...]], co_facilitators: list[tuple[Any, ...]]
) -> list[CohortSession]:
    """The sessions of ``_sessions``' rows, each with its co-facilitators
    of ``_co_facilitators``' rows."""
    timetable = [
        CohortSession(
            pk=pk,
            title=title,
            date=on,
            starts_at=starts_at,
            minutes=minutes,
            place=place,
            is_online=is_online,
            status=status,
            cancel_reason=cancel_reason,
            # As a user is shown: their full name, else their address.
            facilitator=(full_name or email) if facilitator_id else "",
            marked=marked,
        )
        for (
            pk,
            title,
            on,
            starts_at,
            minutes,
            place,
            is_online,
            status,
            cancel_reason,
            facilitator_id,
            full_name,
            email,
            marked,
        ) in sessions
    ]
    by_pk = {session.pk: session for session in timetable}
    for session_id, name, kind in co_facilitators:
        # As a co-facilitator is shown: "Name (Kind)".
        by_pk[session_id].co_facilitators.append(f"{name} ({_KIND_LABELS.get(kind, kind)})")
    return timetable


def _co_facilitators(cohort_id: int) -> QuerySet:
    return (
        CoFacilitator.objects.filter(session__cohort_id=cohort_id)
        .order_by("pk")
        .values_list("session_id", "name", "kind")
    )


def _sessions(cohort_id: int) -> QuerySet:
    return (
        CourseSession.objects.filter(cohort_id=cohort_id)
        .order_by("date", "starts_at", "pk")
        .values_list(
            "pk",
            "title",
            "date",
            "starts_at",
            "minutes",
            "place",
            "is_online",
            "status",
            "cancel_reason",
            "facilitator_id",
            "facilitator__full_name",
            "facilitator__email",
        )
        # Counted per session: grouping the sessions by every mark costs more.
        .annotate(marked=_marks_on_register())
    )


def _marks_on_register() -> Subquery:
    """The number of marks on each session's register, as a column. The
    marks are counted by their session (never empty), which the index of
    marks by session holds, so the database need not read each mark."""
    marks = (
        Attendance.objects.filter(session=OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("session_id"), function="COUNT"))
        .values("n")[:1]
    )
    return Subquery(marks, output_field=IntegerField())
