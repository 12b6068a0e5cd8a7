"""Peer worker activity as reports: per service and month (a chart and a
table), per peer worker for one month, the dashboard's per-service totals,
and the export of the weeks' lines.

A week counts in the month its Monday falls in. Every figure comes from
grouped queries, so a report costs the same number of queries however
many weeks are recorded. The weeks' notes are not reported or exported:
they are short working notes, not figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, DateField, QuerySet, Sum
from django.db.models.functions import Cast, TruncMonth
from django.http import QueryDict
from django.utils import timezone

from deployment.models import ActivityKind, ActivityLine
from peerprog.core import exports
from peerprog.core.access import scoped
from peerprog.core.charts import Chart
from peerprog.core.exports import Column, ExportSpec
from peerprog.core.kept_queries import kept_rows
from peerprog.core.models import Service, User
from peerprog.core.report_changes import read_unless_changed
from peerprog.dashboard.selectors import READERS

EXPORT = "dashboard.activity"
MONTHS_SHOWN = 6


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_month(value: str | None, *, today: date) -> date:
    """The month asked for (``2026-11``), or this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        chosen = date(year, month, 1)
    except (ValueError, TypeError):
        return month_start(today)
    return min(chosen, month_start(today))


def _lines(user: User) -> QuerySet[ActivityLine]:
    return scoped(ActivityLine.objects.all(), user, "week__programme")


@dataclass
class Totals:
    contacts: int = 0
    minutes: int = 0
    weeks: int = 0

    @property
    def hours(self) -> str:
        return f"{self.minutes / 60:.1f}"


@dataclass
class ServiceMonths:
    service: str
    months: list[Totals] = field(default_factory=list)

    @property
    def total(self) -> Totals:
        return Totals(
            contacts=sum(m.contacts for m in self.months),
            minutes=sum(m.minutes for m in self.months),
        )


@dataclass
class WorkerMonth:
    name: str
    service: str
    totals: Totals
    by_kind: list[int]


@dataclass
class ActivityReport:
    month: date
    months: list[date]
    services: list[ServiceMonths]
    workers: list[WorkerMonth]
    kinds: list[tuple[str, Totals]]
    service_choices: list[Service]
    service: Service | None


def activity_report(*, user: User, month: date, service_id: int | None = None) -> ActivityReport:
    """The months up to ``month`` per service, and ``month`` per peer worker
    and per kind of contact (four queries, however many rows)."""
    months = [add_months(month, -offset) for offset in range(MONTHS_SHOWN - 1, -1, -1)]
    service_choices = list(scoped(Service.objects.order_by("name"), user))
    service = next((s for s in service_choices if s.pk == service_id), None)
    lines = _lines(user).filter(
        week__week_starting__gte=months[0], week__week_starting__lt=add_months(month, 1)
    )
    if service is not None:
        lines = lines.filter(week__appointment__post__service=service)

    per_service: dict[str, dict[date, Totals]] = defaultdict(dict)
    for row in (
        lines.annotate(month=TruncMonth("week__week_starting"))
        .values("month", "week__appointment__post__service__name")
        .annotate(contacts=Sum("contacts"), minutes=Sum("minutes"))
    ):
        per_service[row["week__appointment__post__service__name"]][row["month"]] = Totals(
            contacts=row["contacts"], minutes=row["minutes"]
        )
    services = [
        ServiceMonths(name, [per_service[name].get(m, Totals()) for m in months])
        for name in sorted(per_service)
    ]

    in_month = lines.filter(week__week_starting__gte=month)
    kinds_index = {kind: i for i, kind in enumerate(ActivityKind.values)}
    workers: dict[int, WorkerMonth] = {}
    for row in (
        in_month.values(
            "week__appointment_id",
            "week__appointment__person__first_name",
            "week__appointment__person__preferred_name",
            "week__appointment__person__last_name",
            "week__appointment__post__service__name",
            "kind",
        )
        .annotate(contacts=Sum("contacts"), minutes=Sum("minutes"))
        .order_by()
    ):
        key = row["week__appointment_id"]
        if key not in workers:
            first = (
                row["week__appointment__person__preferred_name"]
                or row["week__appointment__person__first_name"]
            )
            workers[key] = WorkerMonth(
                name=f"{first} {row['week__appointment__person__last_name']}",
                service=row["week__appointment__post__service__name"],
                totals=Totals(),
                by_kind=[0] * len(kinds_index),
            )
        worker = workers[key]
        worker.totals.contacts += row["contacts"]
        worker.totals.minutes += row["minutes"]
        worker.by_kind[kinds_index[row["kind"]]] += row["contacts"]
    for row in (
        in_month.values("week__appointment_id")
        .annotate(weeks=Count("week", distinct=True))
        .order_by()
    ):
        workers[row["week__appointment_id"]].totals.weeks = row["weeks"]

    by_kind = {
        row["kind"]: Totals(contacts=row["contacts"], minutes=row["minutes"])
        for row in in_month.values("kind")
        .annotate(contacts=Sum("contacts"), minutes=Sum("minutes"))
        .order_by()
    }
    return ActivityReport(
        month=month,
        months=months,
        services=services,
        workers=sorted(workers.values(), key=lambda w: (w.service, w.name)),
        kinds=[(label, by_kind.get(kind, Totals())) for kind, label in ActivityKind.choices],
        service_choices=service_choices,
        service=service,
    )


def activity_chart(report: ActivityReport) -> Chart:
    """Contacts per month, one bar per service."""
    labels = [f"{m:%B %Y}" for m in report.months]
    if report.services:
        busiest = max(report.services, key=lambda s: s.total.contacts)
        words = (
            f"Contacts per month from {labels[0]} to {labels[-1]} in "
            f"{len(report.services)} service{'s' if len(report.services) != 1 else ''}; "
            f"the most in {busiest.service} ({busiest.total.contacts})."
        )
    else:
        words = f"No activity is recorded from {labels[0]} to {labels[-1]}."
    return Chart(
        key="activity",
        kind="bar",
        title="Contacts per month, by service",
        description=f"Bar chart. {words}",
        data={
            "labels": labels,
            "datasets": [
                {"label": s.service, "data": [m.contacts for m in s.months]}
                for s in report.services
            ],
            "yTitle": "Contacts",
        },
    )


@dataclass(frozen=True)
class ServiceTotal:
    service: str
    last_month: Totals
    this_month: Totals


def dashboard_totals(*, user: User, today: date) -> list[ServiceTotal]:
    """Each service's contacts and minutes last month and this month so far
    (one query)."""
    this_month = month_start(today)
    last_month = add_months(this_month, -1)
    rows: dict[str, dict[date, Totals]] = defaultdict(dict)
    if user.programme_id is None:
        return []

    def query() -> QuerySet:
        return (
            _lines(user)
            .filter(week__week_starting__gte=last_month, week__week_starting__lte=today)
            .annotate(month=Cast(TruncMonth("week__week_starting"), DateField()))
            .values("month", "week__appointment__post__service__name")
            .annotate(contacts=Sum("contacts"), minutes=Sum("minutes"))
            .values_list("month", "week__appointment__post__service__name", "contacts", "minutes")
        )

    # The query's SQL is built once per programme and day (``kept_rows``).
    # Read again only once a table it reads has changed.
    key = (user.programme_id, today)
    for month, service, contacts, minutes in read_unless_changed(
        "dashboard_activity_totals",
        key,
        lambda: kept_rows("dashboard_activity_totals", key, query),
    ):
        rows[service][month] = Totals(contacts=contacts, minutes=minutes)
    return [
        ServiceTotal(
            service=name,
            last_month=rows[name].get(last_month, Totals()),
            this_month=rows[name].get(this_month, Totals()),
        )
        for name in sorted(rows)
    ]


# The export: one row per line of a week.


def export_rows(user: User, params: QueryDict) -> QuerySet[ActivityLine]:
    lines = _lines(user).select_related(
        "week__appointment__person", "week__appointment__post__service"
    )
    month = params.get("month")
    if month:
        start = parse_month(month, today=timezone.localdate())
        lines = lines.filter(
            week__week_starting__gte=start, week__week_starting__lt=add_months(start, 1)
        )
    service = params.get("service")
    if service and service.isdigit():
        lines = lines.filter(week__appointment__post__service_id=int(service))
    return lines.order_by("week__week_starting", "week__appointment_id", "pk")


def describe(user: User, params: QueryDict) -> list[tuple[str, str]]:
    words = []
    if params.get("month"):
        words.append(("Month", params["month"]))
    service = params.get("service")
    if service and service.isdigit():
        found = scoped(Service.objects.filter(pk=int(service)), user).first()
        words.append(("Service", found.name if found else "Not found"))
    return words


def _person(line: ActivityLine) -> Any:
    return line.week.appointment.person


def register() -> None:
    exports.register(
        ExportSpec(
            key=EXPORT,
            title="Peer worker activity",
            roles=READERS,
            columns=[
                Column("First name", lambda x: _person(x).preferred_name or _person(x).first_name),
                Column("Last name", lambda x: _person(x).last_name),
                Column("Service", lambda x: x.week.appointment.post.service.name),
                Column("Week starting", lambda x: x.week.week_starting),
                Column("Kind of contact", lambda x: x.get_kind_display()),
                Column("Setting", lambda x: x.get_setting_display()),
                Column("Contacts", lambda x: x.contacts),
                Column("Minutes", lambda x: x.minutes),
            ],
            rows=export_rows,
            describe=describe,
            url_name="dashboard:activity-export",
        )
    )
