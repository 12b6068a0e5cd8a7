"""Recruitment's part of the lead's work queue on the home page: new
applications, offers awaiting an answer, and application windows opening or
closing soon. One query for all three, its text kept per programme and day
(``peerprog.core.kept_queries``)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from peerprog.core.access import scoped
from peerprog.core.kept_queries import count_of
from peerprog.core.models import Programme, Role, User
from peerprog.core.report_changes import counted_row_unless_changed
from peerprog.core.search import add as search_add
from peerprog.core.work import WorkCount, add, link
from recruitment.models import Application, Cohort
from recruitment.selectors import search

Stage = Application.Stage
# A window "opening or closing soon" opens or closes within this many days.
WINDOW_DAYS = 14


def window_changing(*, cohorts: QuerySet[Cohort], today: date) -> QuerySet[Cohort]:
    """Cohorts whose application window opens or closes in the next
    ``WINDOW_DAYS`` days (today included)."""
    soon = today + timedelta(days=WINDOW_DAYS)
    return cohorts.filter(
        Q(applications_open__range=(today, soon)) | Q(applications_close__range=(today, soon))
    )


def _counts_query(*, user: User, today: date) -> QuerySet:
    applications = scoped(Application.objects.all(), user, "cohort__programme")
    return (
        Programme.objects.filter(pk=user.programme_id)
        .order_by()
        .values_list(
            count_of(applications.filter(stage=Stage.RECEIVED)),
            count_of(applications.filter(stage=Stage.OFFERED)),
            count_of(window_changing(cohorts=scoped(Cohort.objects.all(), user), today=today)),
        )
    )


def lead_queue(*, user: User, today: date) -> list[WorkCount]:
    received, offered, windows = (
        counted_row_unless_changed(
            "recruitment_lead_home",
            (user.programme_id, today),
            lambda: _counts_query(user=user, today=today),
        )
        if user.programme_id
        else None
    ) or (0, 0, 0)
    return [
        WorkCount(
            "New applications",
            received,
            link("recruitment:application-list", f"stage={Stage.RECEIVED}"),
            "Received and not yet shortlisted.",
            order=10,
        ),
        WorkCount(
            "Offers awaiting an answer",
            offered,
            link("recruitment:application-list", f"stage={Stage.OFFERED}"),
            "Offered a place; no acceptance yet.",
            order=20,
        ),
        WorkCount(
            "Application windows opening or closing",
            windows,
            link("recruitment:cohort-list", "window=soon"),
            f"Within the next {WINDOW_DAYS} days.",
            order=60,
        ),
    ]


def register() -> None:
    add(Role.PROGRAMME_LEAD, lead_queue, order=10)
    search_add("Applications", search.applications, order=20)
