"""The retention page's stored figures (``RetentionFigures``): how a
report and its trend are kept as JSON and read back, and the change mark
they were counted under.

A write to a record the figures count (an appointment, a post, a service, a
cohort, an enrolment, a snapshot) sets a new change mark in the cache
(``figures_changed``); figures counted under another mark, on another day
or more than ``FRESH_FOR`` ago are counted again on the next view. The mark
lives in the cache rather than the database so that a write costs no
query more.

On PostgreSQL every table the figures read is watched by the record of
writes (``peerprog.core.report_changes``): figures counted on the day are
also shown, however old and whatever the mark, while that record's version
is the one read before they were counted, as nothing they read can have
changed since.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction

from deployment.retention import MILESTONES, CurvePoint, RetentionRow, SurvivalCurve

# Figures are counted again once older than this, for the changes no
# receiver hears of (writes of many rows at once) and for the date.
FRESH_FOR = timedelta(minutes=15)
# A mark outlives any figures counted under it.
_MARK_TIMEOUT = 24 * 60 * 60
_EVERY_PROGRAMME = "deployment:retention-figures:all"
# The stored figures' key for the version of the record of writes they were
# counted under.
CHANGES = "changes"


def _key(programme_id: int) -> str:
    return f"deployment:retention-figures:{programme_id}"


def figures_changed(programme_id: int | None = None) -> None:
    """Mark one programme's figures (or every programme's, ``None``) as
    out of date."""
    cache.set(
        _EVERY_PROGRAMME if programme_id is None else _key(programme_id),
        uuid.uuid4().hex,
        timeout=_MARK_TIMEOUT,
    )


def current_mark(programme_id: int, *, create: bool = False) -> str | None:
    """The change mark the programme's figures stand under (one cache
    read); with ``create``, one is set where none is, for figures about to
    be counted. Without a mark (never set, or expired) no figures stand."""
    keys = [_EVERY_PROGRAMME, _key(programme_id)]
    marks = cache.get_many(keys)
    if create and len(marks) < len(keys):
        for name in keys:
            if name not in marks:
                cache.add(name, uuid.uuid4().hex, timeout=_MARK_TIMEOUT)
        marks = cache.get_many(keys)
    if len(marks) < len(keys):
        return None
    return ":".join(str(marks[name])[:19] for name in keys)


def stands(
    *,
    counted_on: date,
    refreshed_at: datetime,
    token: str,
    mark: str | None,
    now: datetime,
    today: date,
    counted_under: Sequence[int] | None = None,
    changes: Sequence[int] | None = None,
) -> bool:
    """Whether stored figures can be shown as they are. ``counted_under``:
    the version of the record of writes read before they were counted (as
    stored with them); ``changes``: its version now (each None where writes
    are not recorded)."""
    if counted_on != today or refreshed_at > now + timedelta(minutes=1):
        return False
    if unchanged_since(counted_under=counted_under, changes=changes):
        return True
    return mark is not None and token == mark and now - FRESH_FOR <= refreshed_at


def unchanged_since(*, counted_under: Sequence[int] | None, changes: Sequence[int] | None) -> bool:
    """Whether the record of writes is at the version figures were counted
    under (``counted_under``, as stored; ``changes``, as read now): then
    nothing the figures read has changed since."""
    if counted_under is None or changes is None:
        return False
    return [int(part) for part in counted_under] == [int(part) for part in changes]


def with_changes(figures: dict[str, Any], version: tuple[int, int] | None) -> dict[str, Any]:
    """``figures`` (``to_stored``) with the version of the record of writes
    read before they were counted (``report_changes.changes_version``)."""
    return {**figures, CHANGES: None if version is None else list(version)}


def _row(row: RetentionRow) -> list[Any]:
    assert row.reached is not None and row.retained is not None
    figures: list[Any] = [row.label, row.appointed, row.still_in_post]
    for months in MILESTONES:
        figures += [row.reached[months], row.retained[months]]
    return figures


def _row_from(figures: list[Any]) -> RetentionRow:
    row = RetentionRow(figures[0], appointed=figures[1], still_in_post=figures[2])
    assert row.reached is not None and row.retained is not None
    for index, months in enumerate(MILESTONES):
        row.reached[months] = figures[3 + 2 * index]
        row.retained[months] = figures[4 + 2 * index]
    return row


def _counts(observations: list[tuple[int, bool, int]]) -> list[int]:
    flat: list[int] = []
    for days, left, people in observations:
        flat += [days, int(left), people]
    return flat


def _counts_from(flat: list[int]) -> list[tuple[int, bool, int]]:
    return [(flat[i], bool(flat[i + 1]), flat[i + 2]) for i in range(0, len(flat), 3)]


def curve_key(cohort_id: int) -> str:
    """A cohort's key among the stored curves (not a number, which a JSON
    path would read as a list's index)."""
    return f"cohort-{cohort_id}"


def _curve(curve: SurvivalCurve) -> dict[str, Any]:
    steps: list[float] = []
    for step in curve.steps:
        steps += [step.months, step.survival, step.at_risk]
    return {
        "people": curve.people,
        "leavers": curve.leavers,
        "steps": steps,
        "censored": max(curve.censored_months, default=None),
    }


def _curve_from(stored: dict[str, Any]) -> SurvivalCurve:
    flat = stored["steps"]
    censored = stored["censored"]
    return SurvivalCurve(
        steps=tuple(
            CurvePoint(flat[i], flat[i + 1], int(flat[i + 2])) for i in range(0, len(flat), 3)
        ),
        censored_months=() if censored is None else (censored,),
        people=stored["people"],
        leavers=stored["leavers"],
    )


def to_stored(
    report: Any, trend: list[Any], choices: dict[str, list[tuple[int, str]]] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A ``RetentionReport`` and its ``TrendMonth`` list as JSON: the
    figures, and each cohort's people counted by days in post (for its
    curve, read only when the cohort is chosen). ``choices``: the trend's
    drop-down lists (``RetentionTrendFilter.choice_lists``)."""
    figures = {
        "choices": {
            name: [list(choice) for choice in known] for name, known in (choices or {}).items()
        },
        "today": report.today.isoformat(),
        "overall": _row(report.overall),
        "cohorts": [[cohort.cohort_id, _row(cohort.row)] for cohort in report.cohorts],
        "services": [_row(row) for row in report.services],
        "curve": _curve(report.overall_curve),
        "trend": [
            [
                month.month.isoformat(),
                month.appointed,
                month.in_post,
                month.starters,
                month.leavers,
                month.absence_days,
                month.revised_at.isoformat() if month.revised_at else None,
            ]
            for month in trend
        ],
    }
    curves = {
        curve_key(cohort.cohort_id): _counts(cohort.observations) for cohort in report.cohorts
    }
    return figures, curves


def from_stored(
    figures: dict[str, Any], curves: dict[str, Any] | None = None
) -> tuple[Any, list[Any]]:
    """The report and trend ``to_stored`` kept; each cohort's observations
    only where ``curves`` are given (else none)."""
    from deployment.selectors.retention import CohortRetention, RetentionReport, TrendMonth

    curves = curves or {}
    report = RetentionReport(
        today=date.fromisoformat(figures["today"]),
        overall=_row_from(figures["overall"]),
        cohorts=[
            CohortRetention(
                row=_row_from(row),
                observations=_counts_from(curves.get(curve_key(pk), [])),
                cohort_id=pk,
            )
            for pk, row in figures["cohorts"]
        ],
        services=[_row_from(row) for row in figures["services"]],
        stored_curve=_curve_from(figures["curve"]),
    )
    trend = [
        TrendMonth(
            month=date.fromisoformat(month),
            appointed=appointed,
            in_post=in_post,
            starters=starters,
            leavers=leavers,
            absence_days=absence_days,
            revised_at=datetime.fromisoformat(revised) if revised else None,
        )
        for month, appointed, in_post, starters, leavers, absence_days, revised in figures["trend"]
    ]
    return report, trend


def _changed(programme_id: int | None) -> None:
    # Marked at once and again on commit: figures counted in between, from
    # the records as they were before the write, stand under the first
    # mark only.
    figures_changed(programme_id)
    transaction.on_commit(lambda: figures_changed(programme_id))


def _programme_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    _changed(getattr(instance, "programme_id", None))


def _any_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    # An enrolment reaches its programme through its cohort: rather than a
    # query on each save, every programme's figures are counted again.
    if kwargs.get("raw"):
        return
    _changed(None)


def _after_workbook(book: Any) -> None:
    # A workbook's rows may be written many at once, unheard by the receivers.
    figures_changed(book.programme.pk)


def register() -> None:
    """Mark the figures out of date on each write to a record they count,
    and after a workbook is loaded."""
    from django.db.models.signals import post_delete, post_save

    from deployment.models import Appointment, Post, RetentionSnapshot
    from peerprog.core import workbook
    from peerprog.core.models import Service
    from recruitment.models import Cohort
    from training.models import Enrolment

    for model in (Appointment, Post, Service, Cohort, RetentionSnapshot):
        uid = f"retention-figures-{model.__name__}"
        post_save.connect(_programme_changed, sender=model, dispatch_uid=f"{uid}-save")
    for model in (Appointment, Service, Cohort, RetentionSnapshot):
        uid = f"retention-figures-{model.__name__}"
        post_delete.connect(_programme_changed, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(
        _any_changed, sender=Enrolment, dispatch_uid="retention-figures-Enrolment-save"
    )
    post_delete.connect(
        _any_changed, sender=Enrolment, dispatch_uid="retention-figures-Enrolment-delete"
    )
    workbook.register_after_load(_after_workbook)
