"""Reads for a peer worker's own pages: their supervision (who, how often,
the dates of sessions and any summary the supervisor shared), their
development sessions, and their wellbeing plan with who changed it and who
read it.

The self-service pages have already checked that the person or the plan is
the signed-in account's own (``own_or_404``); these read only that
person's records, and never a supervisor's private notes. Each costs a
fixed number of queries however many sessions, changes or reads there are.
Also here: ``plan_changes``, which the supervisor's page uses too, so both
sides see the same story of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType

from peerprog.core.models import Person, ReadLog, User
from peerprog.core.privacy.read_log import ReadKind
from supervision.models import (
    DevelopmentSession,
    SupervisionAssignment,
    SupervisionSession,
    WellbeingPlan,
)
from supervision.selectors.supervising import next_due_on, with_last_session

# The fields whose changes each side sees, in the order of the plan.
PLAN_FIELDS = (
    *WellbeingPlan.SECTIONS,
    "agreed_on",
    "review_due",
    "last_reviewed_on",
)

# How many reads of the plan the peer worker's page lists (newest first).
READS_SHOWN = 50


@dataclass
class PlanChange:
    """One save of a wellbeing plan that changed something either side sees."""

    at: datetime
    by: str
    by_viewer: bool
    what: list[str]
    written: bool = False


def _label(name: str) -> str:
    text = str(WellbeingPlan._meta.get_field(name).verbose_name)
    return text[:1].upper() + text[1:]


def plan_changes(*, plan: WellbeingPlan, viewer: User) -> list[PlanChange]:
    """Who changed which parts of the plan and when, newest first, from the
    plan's history (one query). Saves that changed none of the parts either
    side sees are left out. Says which parts, never what they said."""
    rows = list(
        plan.history.select_related("history_user", "updated_by").order_by(
            "history_date", "history_id"
        )
    )
    changes: list[PlanChange] = []
    before: Any = None
    for row in rows:
        who = row.history_user or row.updated_by
        if before is None:
            what, written = [], True
        else:
            what = [
                _label(name) for name in PLAN_FIELDS if getattr(row, name) != getattr(before, name)
            ]
            written = False
        before = row
        if not what and not written:
            continue
        changes.append(
            PlanChange(
                at=row.history_date,
                by=who.full_name if who is not None else "Someone",
                by_viewer=who is not None and who.pk == viewer.pk,
                what=what,
                written=written,
            )
        )
    changes.reverse()
    return changes


@dataclass
class OwnPlanPage:
    plan: WellbeingPlan
    changes: list[PlanChange]
    reads: list[ReadLog]
    reads_total: int


def own_plan_page(*, plan: WellbeingPlan, user: User) -> OwnPlanPage:
    """The peer worker's own plan with its changes and the reads by anyone
    else (the supervisor, a lead): three queries."""
    others = ReadLog.objects.filter(
        kind=ReadKind.WELLBEING_PLAN,
        content_type=ContentType.objects.get_for_model(WellbeingPlan),
        object_id=plan.pk,
    ).exclude(reader=user)
    reads = list(others.select_related("reader").order_by("-read_at", "-pk")[: READS_SHOWN + 1])
    return OwnPlanPage(
        plan=plan,
        changes=plan_changes(plan=plan, viewer=user),
        reads=reads[:READS_SHOWN],
        reads_total=len(reads) if len(reads) <= READS_SHOWN else others.count(),
    )


@dataclass
class OwnSession:
    held_on: date
    kind: str
    minutes: int
    areas: list[str]
    led_by: str
    summary: str


@dataclass
class OwnSupervisionPage:
    person: Person
    assignment: SupervisionAssignment | None
    next_due_on: date | None
    sessions: list[OwnSession] = field(default_factory=list)
    development: list[DevelopmentSession] = field(default_factory=list)
    plan: WellbeingPlan | None = None


def own_supervision_page(*, person: Person) -> OwnSupervisionPage:
    """A peer worker's own supervision: who supervises them (and covers),
    the agreed frequency and when the next session is due, the sessions they
    attended (date, kind, length, areas, and the summary the supervisor
    shared, if any; never the notes), their development sessions and whether
    they have a wellbeing plan. Four queries."""
    assignment = (
        with_last_session(
            assignments=SupervisionAssignment.objects.filter(person=person, ended_on=None)
        )
        .select_related("supervisor", "cover_supervisor")
        .first()
    )
    sessions = [
        OwnSession(
            held_on=s.held_on,
            kind=s.get_kind_display(),
            minutes=s.minutes,
            areas=s.areas,
            led_by=s.led_by.full_name,
            summary=s.shared_summary,
        )
        for s in SupervisionSession.objects.filter(attendance__person=person)
        .select_related("led_by")
        .only(
            "held_on",
            "kind",
            "minutes",
            "keeping_well",
            "developing_role",
            "shared_summary",
            "led_by__full_name",
        )
        .order_by("-held_on", "-pk")
    ]
    development = list(
        DevelopmentSession.objects.filter(attendees=person)
        .only("held_on", "topic", "minutes")
        .order_by("-held_on", "-pk")
    )
    return OwnSupervisionPage(
        person=person,
        assignment=assignment,
        next_due_on=next_due_on(assignment=assignment) if assignment else None,
        sessions=sessions,
        development=development,
        plan=WellbeingPlan.objects.filter(person=person).only("pk", "review_due").first(),
    )
