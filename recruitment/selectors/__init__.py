"""Every non-trivial read recruitment makes, scoped to the user's programme.

Leads, HR and admins read recruitment; everyone else is refused here as well
as in the views. Lists and the board cost a fixed number of queries however
many applications there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from peerprog.core.access import get_in_programme_or_404, require_role, scoped
from peerprog.core.kept_queries import kept_rows
from peerprog.core.models import Role, User
from recruitment.models import (
    Application,
    ApplicationMove,
    Cohort,
    InformationEvent,
)
from recruitment.selectors.figure_rows import FigureRows, figure_rows
from recruitment.selectors.letters import (
    application_letters as application_letters,
)
from recruitment.selectors.letters import (
    letter_for_user as letter_for_user,
)
from recruitment.selectors.letters import (
    letters_to_post as letters_to_post,
)
from recruitment.selectors.public import (
    DETAIL_LABELS as DETAIL_LABELS,
)
from recruitment.selectors.public import (
    DetailDifference as DetailDifference,
)
from recruitment.selectors.public import (
    cohort_for_public as cohort_for_public,
)
from recruitment.selectors.public import (
    cohorts_open_for_applications as cohorts_open_for_applications,
)
from recruitment.selectors.public import (
    details_differences as details_differences,
)
from recruitment.selectors.public import (
    programme_for_slug as programme_for_slug,
)
from recruitment.selectors.roles import LEAD as LEAD
from recruitment.selectors.roles import READERS

Stage = Application.Stage

BOARD_COLUMN_LIMIT = 100
BOARD_STAGES = [
    Stage.RECEIVED,
    Stage.SHORTLISTED,
    Stage.INVITED,
    Stage.OFFERED,
    Stage.ACCEPTED,
    Stage.UNSUCCESSFUL,
    Stage.WITHDRAWN,
    Stage.DEFERRED,
]


def _count(stage: str) -> Count:
    return Count("applications", filter=Q(applications__stage=stage))


def cohort_list(*, user: User) -> QuerySet[Cohort]:
    require_role(user, *READERS)
    return (
        scoped(Cohort.objects.all(), user)
        .annotate(
            application_count=Count("applications"),
            accepted_count=_count(Stage.ACCEPTED),
            offered_count=_count(Stage.OFFERED),
        )
        .order_by("-training_start", "name")
    )


def cohort_for_user(*, user: User, pk: Any) -> Cohort:
    require_role(user, *READERS)
    return get_in_programme_or_404(Cohort.objects.select_related("programme"), user, pk)


def cohort_choices(*, user: User) -> QuerySet[Cohort]:
    return scoped(Cohort.objects.all(), user).order_by("-training_start", "name")


def cohort_values(*, user: User) -> list[tuple[int, str]]:
    """The programme's cohorts as (id, name), newest training start first,
    then by name: the application list's order (its SQL kept per programme)."""
    return kept_rows(  # type: ignore[return-value]
        "cohort_values",
        user.programme_id,
        lambda: cohort_choices(user=user).values_list("pk", "name"),
    )


def cohort_name(*, user: User, pk: int) -> str | None:
    """The name of a cohort of the user's programme; None for a cohort of
    another programme or none at all. Any role may ask: later stages'
    exports filtered to a cohort name it for their log."""
    return scoped(Cohort.objects.filter(pk=pk), user).values_list("name", flat=True).first()


@dataclass
class CohortFigures:
    applications: int = 0
    received: int = 0
    shortlisted: int = 0
    invited: int = 0
    offered: int = 0
    accepted: int = 0
    unsuccessful: int = 0
    withdrawn: int = 0
    deferred_out: int = 0
    deferred_in: int = 0
    capacity: int = 0
    unsuccessful_by_reason: list[tuple[str, int]] = field(default_factory=list)
    withdrawn_by_reason: list[tuple[str, int]] = field(default_factory=list)
    deferred_by_reason: list[tuple[str, int]] = field(default_factory=list)

    @property
    def places_taken(self) -> int:
        return self.offered + self.accepted

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)

    @property
    def over_capacity(self) -> int:
        return max(self.places_taken - self.capacity, 0)

    shortlisted_ever: int = 0
    offered_ever: int = 0


def _reached(cohort: Cohort | int, stage: str) -> Q:
    """Applications of the cohort ever moved to ``stage``: a list of ids the
    database reads once and looks each application up in, not a subquery
    per application."""
    moved = ApplicationMove.objects.filter(application__cohort=cohort, to_stage=stage)
    return Q(pk__in=moved.values("application_id"))


def _deferred_in() -> Q:
    """Applications deferred into their cohort from another: the ids the
    deferred applications point to (a short list the database reads once
    from its index), rather than a join of every application of the cohort
    to the one it may come from."""
    deferred = Application.objects.filter(deferred_to__isnull=False)
    return Q(pk__in=deferred.values("deferred_to_id"))


# The stages whose applications are counted by reason, and the reason of each.
REASON_FIELDS = {
    Stage.UNSUCCESSFUL: "unsuccessful_reason",
    Stage.WITHDRAWN: "withdrawal_reason",
    Stage.DEFERRED: "deferral_reason",
}


# The counts of ``_stage_counts``' one row, in order.
STAGE_COUNTS = ("applications", *Stage.values, "deferred_in", "shortlisted_ever", "offered_ever")


def _stage_counts(cohort: Cohort | int) -> QuerySet:
    """One row of the cohort's counts (``STAGE_COUNTS``); none when the
    cohort has no application. Its text depends only on the cohort, so it
    is kept (``kept_queries``) and the counts read live."""
    counts = {
        "applications": Count("pk"),
        **{stage: Count("pk", filter=Q(stage=stage)) for stage in Stage.values},
        "deferred_in": Count("pk", filter=_deferred_in()),
        "shortlisted_ever": Count(
            "pk",
            filter=Q(stage__in=[Stage.SHORTLISTED, Stage.INVITED, Stage.OFFERED, Stage.ACCEPTED])
            | _reached(cohort, Stage.SHORTLISTED),
        ),
        "offered_ever": Count(
            "pk",
            filter=Q(stage__in=[Stage.OFFERED, Stage.ACCEPTED]) | _reached(cohort, Stage.OFFERED),
        ),
    }
    return (
        Application.objects.filter(cohort=cohort)
        .order_by()
        .values("cohort")
        .annotate(**{f"n_{name}": count for name, count in counts.items()})
        .values_list(*(f"n_{name}" for name in STAGE_COUNTS))
    )


def cohort_figures(*, cohort: Cohort, user: User) -> CohortFigures:
    """The cohort at a glance (``cohort_figures_and_events``)."""
    return cohort_figures_and_events(cohort=cohort, user=user)[0]


def cohort_figures_and_events(
    *, cohort: Cohort, user: User
) -> tuple[CohortFigures, list[InformationEvent]]:
    """The cohort at a glance, and its events, in one statement on
    PostgreSQL (``figure_rows``): counts by stage, the unsuccessful,
    withdrawn and deferred applications by reason, and the events (as
    ``event_list`` lists them).

    Besides the count at each stage now, ``shortlisted_ever`` and
    ``offered_ever`` count every application that got at least that far,
    whatever happened next, as a funnel reports it. Reasons that reveal
    health are shown only to those who may read special-category facts;
    others see them counted as "Reason not shown".
    """
    rows = figure_rows(
        key=cohort.pk,
        counts=lambda: _stage_counts(cohort),
        reasons=lambda: _reason_counts(cohort),
        events=lambda: _event_rows(cohort),
    )
    return _figures(cohort, rows, user=user), _events(cohort, rows.events)


# The cohort's own columns, as ``cohort_page`` reads them.
_COHORT_FIELDS = list(Cohort._meta.concrete_fields)
_COHORT_COLUMNS = [field.attname for field in _COHORT_FIELDS]


def cohort_page(*, user: User, pk: int) -> tuple[Cohort, CohortFigures, list[InformationEvent]]:
    """A cohort of the user's programme (``cohort_for_user``: not found
    otherwise), at a glance, with its events (``cohort_figures_and_events``),
    read in one statement on PostgreSQL (``figure_rows``). The figures of a
    cohort not found are counted there too, and never used."""
    require_role(user, *READERS)
    rows = figure_rows(
        key=(pk, user.programme_id),
        record=lambda: scoped(Cohort.objects.filter(pk=pk), user).values_list(*_COHORT_COLUMNS),
        counts=lambda: _stage_counts(pk),
        reasons=lambda: _reason_counts(pk),
        events=lambda: _event_rows(pk),
    )
    if rows.record is None:
        raise Http404("No such record in your programme.")
    # A value read as JSON (a day, a moment) comes as its ISO text.
    cohort = Cohort.from_db(
        connection.alias,
        _COHORT_COLUMNS,
        [field.to_python(value) for field, value in zip(_COHORT_FIELDS, rows.record, strict=True)],
    )
    cohort.programme = user.programme
    return cohort, _figures(cohort, rows, user=user), _events(cohort, rows.events)


def _figures(cohort: Cohort, rows: FigureRows, *, user: User) -> CohortFigures:
    counts = dict(zip(STAGE_COUNTS, rows.counted or (0,) * len(STAGE_COUNTS), strict=True))
    figures = CohortFigures(
        applications=counts["applications"],
        received=counts[Stage.RECEIVED],
        shortlisted=counts[Stage.SHORTLISTED],
        invited=counts[Stage.INVITED],
        offered=counts[Stage.OFFERED],
        accepted=counts[Stage.ACCEPTED],
        unsuccessful=counts[Stage.UNSUCCESSFUL],
        withdrawn=counts[Stage.WITHDRAWN],
        deferred_out=counts[Stage.DEFERRED],
        deferred_in=counts["deferred_in"],
        capacity=cohort.capacity,
    )
    figures.shortlisted_ever = counts["shortlisted_ever"]
    figures.offered_ever = counts["offered_ever"]
    by_reason = _by_reason(rows.reasons, may_see_health=user.has_role(Role.PROGRAMME_LEAD, Role.HR))
    figures.unsuccessful_by_reason = by_reason[Stage.UNSUCCESSFUL]
    figures.withdrawn_by_reason = by_reason[Stage.WITHDRAWN]
    figures.deferred_by_reason = by_reason[Stage.DEFERRED]
    return figures


# Each reason field's label, flag and order, as ``_reason_counts`` reads them.
_REASON_COLUMNS = [
    f"{name}__{part}"
    for name in REASON_FIELDS.values()
    for part in ("label", "reveals_health", "order")
]


def _reason_counts(cohort: Cohort | int) -> QuerySet:
    """The cohort's applications counted by stage and reason, for each stage
    of ``REASON_FIELDS``, in one grouped query: a row per stage and reason,
    with each reason field's label, flag and order (``_REASON_COLUMNS``)."""
    return (
        Application.objects.filter(cohort=cohort, stage__in=list(REASON_FIELDS))
        .values("stage", *_REASON_COLUMNS)
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("stage", *_REASON_COLUMNS, "n")
    )


def _by_reason(
    rows: list[tuple[Any, ...]], *, may_see_health: bool
) -> dict[str, list[tuple[str, int]]]:
    """The counts by reason (the rows of ``_reason_counts``) for each stage
    of ``REASON_FIELDS``, in the reason list's order; reasons that reveal
    health are counted together as "Reason not shown" for readers who may
    not see them."""
    # Where each reason field's label, flag and order start in a row.
    at = {name: 1 + 3 * index for index, name in enumerate(REASON_FIELDS.values())}
    found: dict[str, list[tuple[Any, str, bool, int]]] = {stage: [] for stage in REASON_FIELDS}
    for row in rows:
        start = at[REASON_FIELDS[row[0]]]
        label, reveals_health, order = row[start : start + 3]
        found[row[0]].append((order, label, reveals_health, row[-1]))
    result = {}
    for stage, reasons in found.items():
        counts: dict[str, int] = {}
        # The list's order; no reason recorded last, as the database sorts nulls.
        for _, label, reveals_health, n in sorted(
            reasons, key=lambda r: (r[0] is None, r[0] or 0, r[1] is None, r[1] or "")
        ):
            shown = label or "No reason recorded"
            if reveals_health and not may_see_health:
                shown = "Reason not shown"
            counts[shown] = counts.get(shown, 0) + n
        result[stage] = list(counts.items())
    return result


# The columns of ``_event_rows``, in order.
_EVENT_COLUMNS = ("pk", "kind", "held_on", "starts_at", "place", "notes", "attendee_count")


def _event_rows(cohort: Cohort | int) -> QuerySet:
    """The cohort's events as ``event_list`` lists them, a row of
    ``_EVENT_COLUMNS`` and its position in that list each."""
    return (
        event_list(cohort=cohort)
        .annotate(position=Window(RowNumber(), order_by=[F("held_on"), F("starts_at"), F("pk")]))
        .values_list(*_EVENT_COLUMNS, "position")
    )


def _events(cohort: Cohort, rows: list[tuple[Any, ...]]) -> list[InformationEvent]:
    """The events of ``_event_rows``, in their order; a day or a time read as
    JSON comes as its ISO text."""
    events = []
    for pk, kind, held_on, starts_at, place, notes, attendee_count, _ in sorted(
        rows, key=lambda row: row[-1]
    ):
        event = InformationEvent(
            pk=pk,
            cohort=cohort,
            kind=kind,
            held_on=held_on if isinstance(held_on, date) else date.fromisoformat(held_on),
            starts_at=time.fromisoformat(starts_at) if isinstance(starts_at, str) else starts_at,
            place=place,
            notes=notes,
        )
        event.attendee_count = attendee_count
        events.append(event)
    return events


def event_list(*, cohort: Cohort | int) -> QuerySet[InformationEvent]:
    return (
        InformationEvent.objects.filter(cohort=cohort)
        .annotate(attendee_count=Count("attendees"))
        .order_by("held_on", "starts_at", "pk")
    )


def event_for_user(*, user: User, pk: Any) -> InformationEvent:
    require_role(user, *LEAD)
    return get_in_programme_or_404(
        InformationEvent.objects.select_related("cohort"), user, pk, field="cohort__programme"
    )


def _application_base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "person", "cohort", "unsuccessful_reason", "withdrawal_reason", "deferral_reason"
    )


def application_list(*, user: User) -> QuerySet[Application]:
    """Every application in the programme, newest cohorts first."""
    require_role(user, *READERS)
    return scoped(_application_base(), user, "cohort__programme").order_by(
        "-cohort__training_start",
        "cohort__name",
        "person__last_name",
        "person__first_name",
        "pk",
    )


def application_for_user(*, user: User, pk: Any) -> Application:
    require_role(user, *READERS)
    queryset = _application_base().select_related(
        "cohort__programme", "deferred_to__cohort", "deferred_from__cohort"
    )
    return get_in_programme_or_404(queryset, user, pk, field="cohort__programme")


def applications_for_bulk(*, user: User, ids: list[int]) -> list[Application]:
    """The chosen applications of the user's programme, locked in order."""
    require_role(user, *LEAD)
    return list(
        scoped(Application.objects.select_related("person"), user, "cohort__programme")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def application_timeline(*, application: Application) -> QuerySet[ApplicationMove]:
    return ApplicationMove.objects.filter(application=application).select_related("by")


# What a board card shows: the name, how it arrived, the reason for an
# unsuccessful application and the cohort a deferred one moved to.
BOARD_CARD_FIELDS = (
    "pk",
    "stage",
    "arrived",
    "person__first_name",
    "person__preferred_name",
    "person__last_name",
    "unsuccessful_reason_id",
    "unsuccessful_reason__label",
    "unsuccessful_reason__reveals_health",
    "deferred_to_id",
    "deferred_to__cohort__name",
)


@dataclass
class BoardColumn:
    stage: str
    label: str
    count: int
    # Each card as plain values of ``BOARD_CARD_FIELDS``.
    cards: list[dict[str, Any]]
    quick_moves: list[tuple[str, str]] = field(default_factory=list)
    # The cards as the page draws them (``recruitment.list_rows.board_cards``).
    cards_html: str = ""

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


def board(*, user: User, cohort: Cohort) -> list[BoardColumn]:
    """The cohort's applications by stage, in two queries whatever their
    number: counts per stage, and the cards (the first hundred per column,
    by name, using a window function, so a cohort of thousands stays one
    quick page)."""
    require_role(user, *READERS)
    counts = dict(
        Application.objects.filter(cohort=cohort)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    cards = (
        Application.objects.filter(cohort=cohort)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("stage")],
                order_by=[F("person__last_name").asc(), F("person__first_name").asc(), F("pk")],
            )
        )
        .filter(position__lte=BOARD_COLUMN_LIMIT)
        .order_by("person__last_name", "person__first_name", "pk")
        .values(*BOARD_CARD_FIELDS)
    )
    by_stage: dict[str, list[dict[str, Any]]] = {stage: [] for stage in BOARD_STAGES}
    for card in cards:
        by_stage[card["stage"]].append(card)
    return [
        BoardColumn(
            stage=stage,
            label=Stage(stage).label,
            count=counts.get(stage, 0),
            cards=by_stage[stage],
        )
        for stage in BOARD_STAGES
    ]
