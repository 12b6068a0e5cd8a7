"""The programme dashboard for the whole programme, drawn once per refresh.

With no filter the page shows every cohort: adding up 50 cohorts' stored
rows and drawing over a thousand cells on each view cost far more than the
rest of the page. ``dashboard_figures_refresh`` therefore also draws that
page's sections that depend only on the cohorts' figures (the funnel,
reasons and mentors; supervision, induction and training in post;
retention) with the page's own templates (``draw``), and keeps them in
``ProgrammeFigures`` with the cohorts' monthly snapshot sums. The unfiltered
page reads that one row (``stored_page``) when it was drawn from the
cohorts' figures as they are stored now (the same cohorts, names, order and
refresh times), for a reader who sees the reasons as a programme lead does.
Any filter, or any difference, and the page adds up the cohorts' rows as
before, and (unfiltered, for such a reader) keeps the page it drew for the
views that follow (``keep_drawn``). Recruitment days, activity and the
monthly snapshots of people with no cohort stay live.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db.models import Count, Max, Min, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from peerprog.core.kept_queries import kept_rows
from peerprog.core.models import User
from peerprog.core.report_changes import read_unless_changed
from peerprog.dashboard import charts, programme_rows, study_tables
from peerprog.dashboard.models import CohortFigures, ProgrammeFigures
from peerprog.dashboard.selectors.in_post import (
    InterviewFigures,
    interview_counts,
    interview_scope_key,
)
from peerprog.dashboard.selectors.programme import (
    Dashboard,
    SnapshotMonth,
)
from peerprog.dashboard.selectors.scope import ReportScope, report_scope
from peerprog.dashboard.selectors.stored import (
    StoredFigures,
    cohort_snapshot_sums,
    stored_dashboard,
    stored_rows,
    with_months_without_cohort,
)
from training.selectors.common import can_read_health_reasons

# Changed whenever what is drawn changes, so that a page drawn by an older
# version of the code is drawn again rather than shown.
VERSION = 2


@dataclass
class StoredPage:
    """What the dashboard's template reads of a ``Dashboard``, from the
    drawn page, and the page's sections drawn at the refresh."""

    as_of: datetime | None
    interviews: InterviewFigures
    snapshots: list[SnapshotMonth]
    charts: dict[str, charts.Chart]
    rows: dict[str, Any]
    drawn: dict[str, SafeString]


def _cohorts_key(scope: ReportScope) -> list[list[Any]]:
    return [[cohort.pk, cohort.name] for cohort in scope.cohorts]


# The page's sections drawn from the cohorts' figures alone: the funnel,
# reasons and mentors; supervision, induction and training in post; retention.
SECTIONS = {
    "cohorts": "dashboard/_programme_cohorts.html",
    "in_post": "dashboard/_programme_in_post.html",
    "retention": "dashboard/_programme_retention.html",
}


def draw(dashboard: Dashboard, *, months: dict[str, list[int]]) -> dict[str, Any]:
    """The unfiltered page's sections drawn from ``dashboard`` (the stored
    figures of every cohort) by the page's own templates, which escape
    every value, and the cohorts' monthly snapshot sums, as stored in
    ``ProgrammeFigures.page``."""
    scope = dashboard.scope
    context = {
        "scope": scope,
        "dashboard": dashboard,
        "charts": charts.dashboard_charts(dashboard),
        "rows": {
            "funnel": programme_rows.funnel_rows(dashboard),
            "reasons_html": study_tables.rows_html(programme_rows.reason_rows(dashboard)),
            "mentoring_html": programme_rows.divided_rows_html(
                programme_rows.mentoring_rows(dashboard)
            ),
            "retention_html": programme_rows.divided_rows_html(
                programme_rows.retention_rows(dashboard)
            ),
            "funnel_heads": programme_rows.heads_html(f.label for f in dashboard.funnels),
            "reason_heads": programme_rows.heads_html(c.label for c in dashboard.training.columns),
        },
        # The unfiltered page's export links have no filter.
        "export_query": "",
    }
    return {
        "version": VERSION,
        "cohorts": _cohorts_key(scope),
        "health_reasons": can_read_health_reasons(user=scope.user),
        "months": months,
        "sections": {
            key: render_to_string(template, context) for key, template in SECTIONS.items()
        },
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
    reasons otherwise. One query (the page, its stamps and the live
    interview and panel counts) and the live monthly snapshots of people
    with no cohort (one)."""
    user = scope.user
    if scope.narrowed or scope.service is not None or user.programme_id is None:
        return None
    if not can_read_health_reasons(user=user):
        # The page is drawn as a programme lead reads the reasons.
        return None
    found = _page_row(scope)
    if found is None:
        return None
    page, *stamp = found
    kept, now, interviews = stamp[:4], stamp[4:8], stamp[8:]
    if isinstance(page, str):
        page = json.loads(page)
    if (
        kept != now
        or page.get("version") != VERSION
        or page["cohorts"] != _cohorts_key(scope)
        or page["health_reasons"] != can_read_health_reasons(user=user)
    ):
        return None
    snapshots = with_months_without_cohort(scope=scope, months=page["months"])
    holder = _Snapshots(snapshots)
    return StoredPage(
        as_of=stamp[2],
        interviews=InterviewFigures(*interviews),
        snapshots=snapshots,
        charts={"trend": charts.trend_chart(holder)},  # type: ignore[arg-type]
        rows={"snapshots_html": programme_rows.snapshot_rows_html(holder)},  # type: ignore[arg-type]
        drawn={key: _drawn(html) for key, html in page["sections"].items()},
    )


def _page_row(scope: ReportScope) -> tuple[Any, ...] | None:
    """The programme's drawn page, the stamp it was drawn with, the stamp of
    the cohorts' figures now and the live interview and panel counts, in one
    query whose SQL is built once per programme (``kept_rows``)."""
    programme_id = scope.user.programme_id

    def query() -> QuerySet:
        return (
            ProgrammeFigures.objects.filter(programme_id=programme_id)
            .annotate(
                now_cohorts=_stamp_of("cohorts", Count("pk")),
                now_cohort_ids=_stamp_of("cohort_ids", Sum("cohort_id")),
                now_first=_stamp_of("first_refreshed_at", Min("refreshed_at")),
                now_last=_stamp_of("last_refreshed_at", Max("refreshed_at")),
            )
            .order_by()
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
                *interview_counts(scope=scope).values(),
            )
        )

    key = interview_scope_key(scope=scope)
    # Read again only once a table it reads has changed.
    rows = read_unless_changed(
        "stored_dashboard_page", key, lambda: kept_rows("stored_dashboard_page", key, query)
    )
    return rows[0] if rows else None


def _drawn(html: str) -> SafeString:
    """HTML that ``draw`` made, every value in it escaped there."""
    return mark_safe(html)  # noqa: S308


class _Snapshots(NamedTuple):
    """The monthly snapshots, as the trend chart and table read them."""

    snapshots: list[SnapshotMonth]


def keep(*, reader: User, today: date) -> None:
    """Draw and store the whole programme's page from the cohorts' figures
    just stored (``reader``: the refresh's programme lead). Nothing is kept
    for a programme with no cohort."""
    programme_id = reader.programme_id
    assert programme_id is not None
    scope = report_scope(user=reader, today=today)
    rows = stored_rows(scope=scope)
    dashboard = None if rows is None else stored_dashboard(scope=scope, rows=rows)
    if not rows or dashboard is None:
        ProgrammeFigures.objects.filter(programme_id=programme_id).delete()
        return
    keep_drawn(dashboard=dashboard, rows=rows)


def keep_drawn(*, dashboard: Dashboard, rows: dict[int, StoredFigures]) -> None:
    """Store the whole programme's page drawn from ``dashboard``, counted
    from the stored ``rows`` of every cohort, with the stamp of those rows.
    Nothing for a filtered page, one with no cohort, or a reader who sees the
    reasons otherwise than a programme lead (the page is a lead's)."""
    scope = dashboard.scope
    programme_id = scope.user.programme_id
    if (
        scope.narrowed
        or scope.service is not None
        or programme_id is None
        or not rows
        or not can_read_health_reasons(user=scope.user)
    ):
        return
    refreshed = [row.refreshed_at for row in rows.values()]
    stamp = {
        "cohorts": len(rows),
        "cohort_ids": sum(rows),
        "first_refreshed_at": min(refreshed),
        "last_refreshed_at": max(refreshed),
    }
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
