"""The programme dashboard for the whole programme, drawn once per refresh.

With no filter the page shows every cohort: adding up 50 cohorts' stored
rows and drawing over a thousand cells on each view cost far more than the
rest of the page. ``dashboard_figures_refresh`` therefore also draws that
page's tables and charts from the figures it has just stored (``draw``) and
keeps them in ``ProgrammeFigures``; the unfiltered page reads that one row
(``stored_page``) when it was drawn from the cohorts' figures as they are
stored now (the same cohorts, names, order and refresh times) for a reader
who sees the same reasons. Any filter, or any difference, and the page adds
up the cohorts' rows as before. Recruitment days, activity and the monthly
snapshots of people with no cohort stay live.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db.models import Count, Max, Min, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString, mark_safe

from peerprog.core.models import User
from peerprog.dashboard import charts, programme_rows, study_tables
from peerprog.dashboard.models import CohortFigures, ProgrammeFigures
from peerprog.dashboard.selectors.in_post import (
    InductionFigures,
    InterviewFigures,
    TrainingFigures,
    interview_figures,
)
from peerprog.dashboard.selectors.programme import (
    Dashboard,
    SnapshotMonth,
    SupervisionCoverage,
)
from peerprog.dashboard.selectors.scope import ReportScope, report_scope
from peerprog.dashboard.selectors.stored import (
    cohort_snapshot_sums,
    stored_dashboard,
    stored_rows,
    with_months_without_cohort,
)
from training.selectors.common import can_read_health_reasons

# Changed whenever what is drawn changes, so that a page drawn by an older
# version of the code is drawn again rather than shown.
VERSION = 1


class DrawnRow(NamedTuple):
    """A row of a table as the template loops over it."""

    label: str
    cells_html: SafeString


@dataclass
class StoredPage:
    """What the dashboard's template reads of a ``Dashboard``, from the
    drawn page."""

    as_of: datetime | None
    supervision: SupervisionCoverage
    induction: InductionFigures
    in_post_training: TrainingFigures
    interviews: InterviewFigures
    curves: bool
    snapshots: list[SnapshotMonth]
    charts: dict[str, charts.Chart]
    rows: dict[str, Any]


def _cohorts_key(scope: ReportScope) -> list[list[Any]]:
    return [[cohort.pk, cohort.name] for cohort in scope.cohorts]


def draw(dashboard: Dashboard, *, months: dict[str, list[int]]) -> dict[str, Any]:
    """The unfiltered page's tables (as HTML, every value escaped) and
    charts from ``dashboard`` (the stored figures of every cohort), and the
    cohorts' monthly snapshot sums, as stored in ``ProgrammeFigures.page``."""
    scope = dashboard.scope
    drawn = charts.dashboard_charts(dashboard)
    induction = dashboard.induction
    training = dashboard.in_post_training
    supervision = dashboard.supervision
    return {
        "version": VERSION,
        "cohorts": _cohorts_key(scope),
        "health_reasons": can_read_health_reasons(user=scope.user),
        "supervision": [
            supervision.in_post,
            supervision.with_supervisor,
            supervision.within_frequency,
        ],
        "induction": [
            induction.in_post,
            induction.complete,
            induction.in_progress,
            induction.overdue,
        ],
        "training": [training.in_post, training.courses, training.compliant, training.expiring],
        "curves": bool(dashboard.curves),
        "months": months,
        "charts": {
            key: {
                "kind": chart.kind,
                "title": chart.title,
                "description": chart.description,
                # As text: the database keeps JSON objects' keys in an order
                # of its own, and the page shows them in the chart's.
                "data": json.dumps(chart.data),
            }
            for key, chart in drawn.items()
            if key != "trend"
        },
        "funnel": [
            [row.label, str(row.cells_html)] for row in programme_rows.funnel_rows(dashboard)
        ],
        "reasons_html": study_tables.rows_html(programme_rows.reason_rows(dashboard)),
        "mentoring_html": programme_rows.divided_rows_html(
            programme_rows.mentoring_rows(dashboard)
        ),
        "retention_html": programme_rows.divided_rows_html(
            programme_rows.retention_rows(dashboard)
        ),
        "funnel_heads": programme_rows.heads_html(f.label for f in dashboard.funnels),
        "reason_heads": programme_rows.heads_html(c.label for c in dashboard.training.columns),
    }


def cohort_stamp(programme_id: int) -> dict[str, Any]:
    """The programme's stored cohort rows as a page is kept with them: how
    many, the sum of their cohorts' ids, their first and last refresh."""
    return CohortFigures.objects.filter(programme_id=programme_id).aggregate(
        cohorts=Count("pk"),
        cohort_ids=Coalesce(Sum("cohort_id"), 0),
        first_refreshed_at=Min("refreshed_at"),
        last_refreshed_at=Max("refreshed_at"),
    )


def _stamp_of(field: str, aggregate: Any) -> Subquery:
    rows = (
        CohortFigures.objects.filter(programme_id=OuterRef("programme_id"))
        .order_by()
        .values("programme_id")
        .annotate(value=aggregate)
        .values("value")
    )
    return Subquery(rows, output_field=ProgrammeFigures._meta.get_field(field))


def stored_page(*, scope: ReportScope) -> StoredPage | None:
    """The whole programme's page as drawn at the last refresh, or None: a
    filter chosen, no page drawn, or drawn from other stored figures (a
    cohort added, renamed or refreshed since) or for a reader who sees the
    reasons otherwise. One query, and the live parts (three)."""
    user = scope.user
    if scope.narrowed or scope.service is not None or user.programme_id is None:
        return None
    found = (
        ProgrammeFigures.objects.filter(programme_id=user.programme_id)
        .annotate(
            now_cohorts=_stamp_of("cohorts", Count("pk")),
            now_cohort_ids=_stamp_of("cohort_ids", Sum("cohort_id")),
            now_first=_stamp_of("first_refreshed_at", Min("refreshed_at")),
            now_last=_stamp_of("last_refreshed_at", Max("refreshed_at")),
        )
        .values_list(
            "page",
            "cohorts",
            "cohort_ids",
            "first_refreshed_at",
            "last_refreshed_at",
            "now_cohorts",
            "now_cohort_ids",
            "now_first",
            "now_last",
        )
        .first()
    )
    if found is None:
        return None
    page, *stamp = found
    kept, now = stamp[:4], stamp[4:]
    if (
        kept != now
        or page.get("version") != VERSION
        or page["cohorts"] != _cohorts_key(scope)
        or page["health_reasons"] != can_read_health_reasons(user=user)
    ):
        return None
    snapshots = with_months_without_cohort(scope=scope, months=page["months"])
    holder = _Snapshots(snapshots)
    drawn = {
        key: charts.Chart(
            key=key,
            kind=chart["kind"],
            title=chart["title"],
            description=chart["description"],
            data=json.loads(chart["data"]),
        )
        for key, chart in page["charts"].items()
    }
    drawn["trend"] = charts.trend_chart(holder)  # type: ignore[arg-type]
    return StoredPage(
        as_of=stamp[2],
        supervision=SupervisionCoverage(*page["supervision"]),
        induction=InductionFigures(*page["induction"]),
        in_post_training=TrainingFigures(*page["training"]),
        interviews=interview_figures(scope=scope),
        curves=page["curves"],
        snapshots=snapshots,
        charts=drawn,
        rows={
            "funnel": [DrawnRow(label, _drawn(cells)) for label, cells in page["funnel"]],
            **{
                key: _drawn(page[key])
                for key in (
                    "reasons_html",
                    "mentoring_html",
                    "retention_html",
                    "funnel_heads",
                    "reason_heads",
                )
            },
            "snapshots_html": programme_rows.snapshot_rows_html(holder),  # type: ignore[arg-type]
        },
    )


def _drawn(html: str) -> SafeString:
    """HTML that ``draw`` made, every value in it escaped there."""
    return mark_safe(html)  # noqa: S308


class _Snapshots(NamedTuple):
    """The monthly snapshots, as the trend chart and table read them."""

    snapshots: list[SnapshotMonth]


def keep(*, reader: User, today: date) -> None:
    """Draw and store the whole programme's page from the cohorts' figures
    just stored (``reader``: the refresh's programme lead), with the stamp
    of the cohort rows it was drawn from. Nothing is kept for a programme
    with no cohort."""
    programme_id = reader.programme_id
    assert programme_id is not None
    stamp = cohort_stamp(programme_id)
    scope = report_scope(user=reader, today=today)
    rows = stored_rows(scope=scope)
    dashboard = None if rows is None else stored_dashboard(scope=scope, rows=rows)
    if not stamp["cohorts"] or rows is None or dashboard is None:
        ProgrammeFigures.objects.filter(programme_id=programme_id).delete()
        return
    # One statement whether or not a page was kept before.
    ProgrammeFigures.objects.bulk_create(
        [
            ProgrammeFigures(
                programme_id=programme_id,
                page=draw(dashboard, months=cohort_snapshot_sums(rows=rows)),
                **stamp,
            )
        ],
        update_conflicts=True,
        unique_fields=["programme"],
        update_fields=["page", *stamp],
    )
