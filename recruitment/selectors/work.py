"""Recruitment's part of the lead's work queue on the home page: new
applications, offers awaiting an answer, and application windows opening or
closing soon. One query for all three."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from peerprog.core.access import scoped
from peerprog.core.models import Role, User
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


def lead_queue(*, user: User, today: date) -> list[WorkCount]:
    applications = scoped(Application.objects.all(), user, "cohort__programme")
    # Only the two stages counted, so the database reads them by stage.
    figures = applications.filter(stage__in=(Stage.RECEIVED, Stage.OFFERED)).aggregate(
        received=Count("pk", filter=Q(stage=Stage.RECEIVED)),
        offered=Count("pk", filter=Q(stage=Stage.OFFERED)),
    )
    windows = window_changing(cohorts=scoped(Cohort.objects.all(), user), today=today).count()
    return [
        WorkCount(
            "New applications",
            figures["received"],
            link("recruitment:application-list", f"stage={Stage.RECEIVED}"),
            "Received and not yet shortlisted.",
            order=10,
        ),
        WorkCount(
            "Offers awaiting an answer",
            figures["offered"],
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
