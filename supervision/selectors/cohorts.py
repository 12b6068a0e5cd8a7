"""The lead's mentoring figures: each cohort's summary, counted by grouped
queries over all its trainees (or read from the programme's stored figures,
which the same count keeps), with a page of its trainees; and the overview
of every cohort's figures."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Least
from django.http import Http404
from django.utils import timezone

from peerprog.core.access import get_in_programme_or_404, require_role, scoped
from peerprog.core.kept_queries import kept_rows
from peerprog.core.models import Role, User
from recruitment.models import Cohort
from supervision.models import CohortMentoring, MentorAssignment
from supervision.selectors import cohort_rows
from supervision.selectors.cohort_rows import TraineeRow
from supervision.selectors.compliance import (
    Compliance,
    mentoring_annotations,
    mentoring_state,
)
from supervision.selectors.mentoring import minimum_meetings
from training.models import Enrolment

LEAD = Role.PROGRAMME_LEAD


@dataclass
class CohortSummary:
    cohort: Cohort
    minimum: int
    rows: list[TraineeRow]
    mentors: int = 0
    mentors_with_several: int = 0
    without_mentor: int = 0
    states: dict[str, int] = field(default_factory=dict)
    page: Page | None = None
    # When the figures were stored (``None``: counted for this view).
    as_of: datetime | None = None

    @property
    def state_counts(self) -> list[tuple[str, str, int]]:
        return [(s, Compliance.LABELS[s], self.states.get(s, 0)) for s in Compliance.ORDER]

    @property
    def trainees(self) -> int:
        return sum(self.states.values())


# The cohort page's lists besides everyone: ``?show=<key>``.
TRAINEE_FILTERS = {cohort_rows.BEHIND: "Behind", cohort_rows.UNMENTORED: "Without a mentor"}


def cohort_summary(
    *, user: User, cohort: Cohort, page: Any = None, show: str = "", today: date | None = None
) -> CohortSummary:
    """The cohort's mentoring figures over all its trainees, counted by the
    database, and one page of its trainees (``show``: only those behind, or
    only those without a mentor) by surname, each with their mentor and
    mentoring state. The same number of queries whatever the size."""
    require_role(user, LEAD)
    today = today or timezone.localdate()
    (summary,) = _figures([cohort], today=today)
    # Figures counted for this view have counted the list already. Stored
    # ones may be a few seconds behind a change: the list is counted with
    # its page.
    count = None
    if summary.as_of is None:
        count = {
            cohort_rows.BEHIND: summary.states.get(Compliance.BEHIND, 0),
            cohort_rows.UNMENTORED: summary.without_mentor,
        }.get(show, summary.trainees)
    shown = cohort_rows.trainee_page(
        cohort=cohort, minimum=summary.minimum, show=show, page=page, count=count, today=today
    )
    summary.rows = list(shown.object_list)
    summary.page = shown
    return summary


OVERVIEW_PAGE_SIZE = 50


@dataclass
class MentoringOverview:
    page: Page
    summaries: list[CohortSummary]

    @property
    def as_of(self) -> datetime | None:
        return figures_as_of(summaries=self.summaries)


def _held_counts(cohort_ids: list[int]) -> QuerySet:
    """How many trainees of each cohort had each number of counted meetings,
    by whether they have a mentor now, status and non-completion category:
    rows per such group, never one per trainee. Meetings beyond the minimum
    change nobody's state, so a trainee who had more counts as having had
    the minimum: the groups stay few however many meetings are logged."""
    annotations = mentoring_annotations(enrolment_ref="pk")
    return (
        Enrolment.objects.filter(cohort_id__in=cohort_ids)
        .annotate(
            held=Least(
                annotations["meetings_held"],
                annotations["meetings_minimum"],
                output_field=IntegerField(),
            ),
            mentored=Exists(
                MentorAssignment.objects.filter(enrolment=OuterRef("pk"), ended_on__isnull=True)
            ),
        )
        .order_by()
        .values("cohort_id", "held", "mentored", "status", "non_completion_reason__category")
        .annotate(n=Count("pk"))
    )


def _summaries(cohorts: list[Cohort], *, today: date) -> list[CohortSummary]:
    """Each cohort's mentoring figures (without the rows), counted by two
    grouped queries whatever the number of trainees: rows per group of
    trainees and per mentor, never one per trainee."""
    ids = [c.pk for c in cohorts]
    states: dict[int, Counter[str]] = {pk: Counter() for pk in ids}
    loads: dict[int, list[int]] = {pk: [] for pk in ids}
    without: dict[int, int] = {}
    if ids:
        by_pk = {c.pk: c for c in cohorts}
        for bucket in _held_counts(ids):
            cohort = by_pk[bucket["cohort_id"]]
            bucket["meetings_held"] = bucket["held"]
            bucket["meetings_minimum"] = minimum_meetings(cohort=cohort)
            bucket["non_completion_category"] = bucket["non_completion_reason__category"]
            state = mentoring_state(
                annotated=_Bucket(bucket), cohort=cohort, status=bucket["status"], today=today
            )
            states[cohort.pk][state.state] += bucket["n"]
            if not bucket["mentored"] and bucket["status"] != Enrolment.Status.NOT_COMPLETED:
                without[cohort.pk] = without.get(cohort.pk, 0) + bucket["n"]
        # A row per mentor of each cohort with how many of its trainees
        # they mentor now.
        for cohort_id, n in (
            MentorAssignment.objects.filter(enrolment__cohort_id__in=ids, ended_on__isnull=True)
            .order_by()
            .values("enrolment__cohort_id", "mentor_id")
            .annotate(n=Count("pk"))
            .values_list("enrolment__cohort_id", "n")
        ):
            loads[cohort_id].append(n)
    return [
        CohortSummary(
            cohort=cohort,
            minimum=minimum_meetings(cohort=cohort),
            rows=[],
            mentors=len(loads[cohort.pk]),
            mentors_with_several=sum(1 for n in loads[cohort.pk] if n > 1),
            without_mentor=without.get(cohort.pk, 0),
            states=dict(states[cohort.pk]),
        )
        for cohort in cohorts
    ]


# Where the programme's stored figures keep each cohort's mentoring summary
# (``summaries_to_store``): the site's refresh stores them on the cohort's
# ``dashboard_figures`` row, read here through the cohort.
_STORED = "stored"


def summaries_to_store(*, cohort_ids: list[int], today: date) -> dict[int, dict[str, Any]]:
    """Each cohort's mentoring figures as the programme's stored figures
    keep them (JSON-safe), counted today by the same grouped queries the
    pages count with: for the refresh of the stored figures."""
    cohorts = list(Cohort.objects.filter(pk__in=cohort_ids).select_related("mentoring"))
    return {
        summary.cohort.pk: {
            "minimum": summary.minimum,
            "mentors": summary.mentors,
            "mentors_with_several": summary.mentors_with_several,
            "without_mentor": summary.without_mentor,
            "states": summary.states,
        }
        for summary in _summaries(cohorts, today=today)
    }


def with_stored_figures(*, cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """The cohorts with their stored mentoring figures and when they were
    counted, read in the same query (``None`` where none are stored)."""
    return cohorts.annotate(
        **{
            _STORED: FilteredRelation(
                "dashboard_figures", condition=Q(dashboard_figures__programme=F("programme"))
            )
        },
        stored_summary=KeyTransform("mentoring_summary", f"{_STORED}__figures"),
        stored_on=F(f"{_STORED}__counted_on"),
        stored_at=F(f"{_STORED}__refreshed_at"),
    )


def _cohort_with_figures(*, user: User, pk: Any) -> QuerySet[Cohort]:
    return with_stored_figures(
        cohorts=scoped(Cohort.objects.select_related("mentoring"), user).filter(pk=pk)
    )


# What the cohort's page reads of the cohort and of its mentoring minimum.
_COHORT_FIELDS = ("id", "programme_id", "name", "training_start", "training_end")
_MENTORING_FIELDS = ("id", "cohort_id", "minimum_meetings")


def cohort_with_figures_for_lead(*, user: User, pk: Any) -> Cohort:
    """The cohort for its mentoring page, with its mentoring minimum and
    its stored figures. The query's SQL is built once per programme and
    cohort (``kept_rows``) and run live; the cohort holds the fields the
    page reads (others are read if asked for)."""
    require_role(user, LEAD)
    if not cohort_rows.in_one_statement():
        return get_in_programme_or_404(
            with_stored_figures(cohorts=Cohort.objects.select_related("mentoring")), user, pk
        )
    if not isinstance(pk, int):
        raise Http404("No such record in your programme.")
    found = kept_rows(
        "cohort_with_figures",
        (user.programme_id, pk),
        lambda: _cohort_with_figures(user=user, pk=pk).values_list(*_LISTED),
    )
    if not found:
        raise Http404("No such record in your programme.")
    (values,) = found
    return _cohort_from(values)


# A cohort with its mentoring minimum and stored figures, as
# ``with_stored_figures`` reads them (``_LISTED``).
_LISTED = (
    *_COHORT_FIELDS,
    *(f"mentoring__{name}" for name in _MENTORING_FIELDS),
    "stored_summary",
    "stored_on",
    "stored_at",
)


def _cohort_from(values: tuple[Any, ...]) -> Cohort:
    """The cohort of a row of ``_LISTED``, holding the fields the mentoring
    pages read (others are read if asked for)."""
    cohort = Cohort.from_db(connection.alias, _COHORT_FIELDS, values[:5])
    mentoring = None
    if values[5] is not None:
        mentoring = CohortMentoring.from_db(connection.alias, _MENTORING_FIELDS, values[5:8])
        mentoring._state.fields_cache["cohort"] = cohort
    # As ``select_related`` leaves it: no minimum set reads as none.
    cohort._state.fields_cache["mentoring"] = mentoring
    figures = values[8]
    cohort.stored_summary = json.loads(figures) if isinstance(figures, str) else figures  # type: ignore[attr-defined]
    cohort.stored_on, cohort.stored_at = values[9], values[10]  # type: ignore[attr-defined]
    return cohort


def _figures(cohorts: list[Cohort], *, today: date) -> list[CohortSummary]:
    """Each cohort's mentoring figures from the stored ones (read with the
    cohorts by ``with_stored_figures``), which spare counting every trainee
    on each view; those of a cohort with none stored, or stored on another
    day or under another minimum, are counted from the records (two grouped
    queries)."""
    summaries: dict[int, CohortSummary] = {}
    for cohort in cohorts:
        figures = getattr(cohort, "stored_summary", None)
        minimum = minimum_meetings(cohort=cohort)
        if (
            figures
            and getattr(cohort, "stored_on", None) == today
            and figures["minimum"] == minimum
        ):
            summaries[cohort.pk] = CohortSummary(
                cohort=cohort,
                minimum=minimum,
                rows=[],
                mentors=figures["mentors"],
                mentors_with_several=figures["mentors_with_several"],
                without_mentor=figures["without_mentor"],
                states=figures["states"],
                as_of=cohort.stored_at,  # type: ignore[attr-defined]
            )
    missing = [c for c in cohorts if c.pk not in summaries]
    for summary in _summaries(missing, today=today):
        summaries[summary.cohort.pk] = summary
    return [summaries[c.pk] for c in cohorts]


def figures_as_of(*, summaries: list[CohortSummary]) -> datetime | None:
    """When the oldest of the stored figures shown were counted."""
    return min((s.as_of for s in summaries if s.as_of is not None), default=None)


def _with_trainees(user: User) -> QuerySet[Cohort]:
    """The programme's cohorts with trainees, newest first, with their
    mentoring minimum and stored figures."""
    with_trainees = Enrolment.objects.values("cohort_id")
    return (
        with_stored_figures(cohorts=scoped(Cohort.objects.filter(pk__in=with_trainees), user))
        .select_related("mentoring")
        .order_by("-training_start", "name", "pk")
    )


def mentoring_overview(
    *, user: User, page: Any = None, today: date | None = None
) -> MentoringOverview:
    """A page of the cohorts with trainees, newest first, each with its
    mentoring figures (without the rows), all counted by grouped queries:
    the same number of queries whatever the number of trainees."""
    require_role(user, LEAD)
    today = today or timezone.localdate()
    if not cohort_rows.in_one_statement() or user.programme_id is None:
        paginator = Paginator(_with_trainees(user), OVERVIEW_PAGE_SIZE)
        shown = paginator.get_page(page)
        cohorts = list(shown.object_list)
    else:
        # The count and the page through SQL kept per programme (and page),
        # run live: building them in the ORM cost more than running them.
        counted = kept_rows(
            "mentoring_overview_count",
            user.programme_id,
            lambda: (
                scoped(Cohort.objects.filter(pk__in=Enrolment.objects.values("cohort_id")), user)
                .order_by()
                .values("programme_id")
                .annotate(n=Count("pk"))
                .values_list("n")
            ),
        )
        paginator = Paginator((), OVERVIEW_PAGE_SIZE)
        paginator.count = counted[0][0] if counted else 0
        shown = paginator.get_page(page)
        offset = (shown.number - 1) * OVERVIEW_PAGE_SIZE
        cohorts = [
            _cohort_from(values)
            for values in kept_rows(
                "mentoring_overview_page",
                (user.programme_id, offset),
                lambda: _with_trainees(user).values_list(*_LISTED)[
                    offset : offset + OVERVIEW_PAGE_SIZE
                ],
            )
        ]
    summaries = _figures(cohorts, today=today)
    shown.object_list = summaries
    return MentoringOverview(page=shown, summaries=summaries)


class _Bucket:
    """A grouped row read as ``mentoring_state`` reads an annotated
    enrolment, so the one rule decides the state of the whole group."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
