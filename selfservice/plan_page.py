"""What a peer worker's own wellbeing plan page reads: the plan (only if
it is the account's own), the reads of it by anyone else (the supervisor,
a lead), latest first, and who changed which parts of it and when
(supervision's ``plan_changes``, which the supervisor's page shows too).

The plan and its reads are plain values whose SQL is kept per plan
(``kept_rows``), read live on every view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from peerprog.core.models import ReadLog, User
from peerprog.core.privacy.read_log import ReadKind, ReadPurpose
from selfservice.kept import own_rows
from supervision.models import WellbeingPlan
from supervision.selectors.own import READS_SHOWN, PlanChange, plan_changes

PLAN_COLUMNS = ("person_id", *WellbeingPlan.SECTIONS, "agreed_on", "review_due", "last_reviewed_on")
_PURPOSES = dict(ReadPurpose.choices)


@dataclass(frozen=True)
class PlanRead:
    read_at: datetime
    reader_name: str
    purpose_label: str


@dataclass(frozen=True)
class MyPlanPage:
    plan: WellbeingPlan
    changes: list[PlanChange]
    reads: list[PlanRead]
    reads_total: int


def _plan(*, user: int, pk: int) -> QuerySet[Any]:
    user_id = user
    return WellbeingPlan.objects.filter(
        pk=pk, person__user_id=user_id, person__user__is_active=True
    ).values_list(*PLAN_COLUMNS)


def _others(user_id: int, pk: int) -> QuerySet[ReadLog]:
    """Every read of the plan by anyone but its owner. The plan's content
    type is named rather than given by id, so the SQL kept per process
    never holds an id that a flushed and refilled database (the tests')
    gives anew."""
    meta = WellbeingPlan._meta
    return ReadLog.objects.filter(
        kind=ReadKind.WELLBEING_PLAN,
        content_type__app_label=meta.app_label,
        content_type__model=meta.model_name,
        object_id=pk,
    ).exclude(reader_id=user_id)


def _reads(*, user: int, pk: int) -> QuerySet[Any]:
    user_id = user
    return (
        _others(user_id, pk)
        .order_by("-read_at", "-pk")
        .values_list("read_at", "reader__full_name", "purpose")[: READS_SHOWN + 1]
    )


def my_plan_page(*, user: User, pk: Any) -> MyPlanPage:
    """The account's own plan ``pk`` with its changes and the reads by
    anyone else; 404 for any other plan. Three queries."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such record of yours.") from None
    rows = own_rows(name="plan", build=_plan, user=user.pk, pk=pk)
    if not rows:
        raise Http404("No such record of yours.")
    plan = WellbeingPlan(pk=pk, **dict(zip(PLAN_COLUMNS, rows[0], strict=True)))
    reads = [
        PlanRead(read_at=read_at, reader_name=name, purpose_label=_PURPOSES.get(purpose, purpose))
        for read_at, name, purpose in own_rows(name="plan_reads", build=_reads, user=user.pk, pk=pk)
    ]
    return MyPlanPage(
        plan=plan,
        changes=plan_changes(plan=plan, viewer=user),
        reads=reads[:READS_SHOWN],
        reads_total=len(reads) if len(reads) <= READS_SHOWN else _others(user.pk, pk).count(),
    )
