"""Training's part of the home page's work queue: trainees at risk and
portfolios awaiting moderation (the lead), today's and this week's sessions
(the facilitator, their own only), portfolios to mark (the assessor, their
own only). Each source costs a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from peerprog.core.access import require_role, scoped
from peerprog.core.models import Role, User
from peerprog.core.search import add as search_add
from peerprog.core.work import WorkCount, add, link
from training.models import CourseSession, Enrolment
from training.selectors import search
from training.selectors.progress import AT_RISK_RULES
from training.selectors.records import assessor_queue, moderation_queue

SESSION_PERIODS = {"today": "Today", "week": "This week", "coming": "From today on"}


def week_of(*, today: date) -> tuple[date, date]:
    """Monday to Sunday of the week holding ``today``."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def period_dates(*, when: str, today: date) -> tuple[date, date | None]:
    if when == "today":
        return today, today
    if when == "week":
        return week_of(today=today)
    return today, None


def facilitator_sessions(*, user: User) -> QuerySet[CourseSession]:
    """The sessions this user facilitates, in their programme: one query."""
    require_role(user, Role.FACILITATOR)
    return (
        scoped(CourseSession.objects.all(), user, "cohort__programme")
        .filter(facilitator=user)
        .select_related("cohort")
        .order_by("date", "starts_at", "pk")
    )


def my_sessions(*, user: User, when: str, today: date) -> QuerySet[CourseSession]:
    """The facilitator's sessions of a period (``SESSION_PERIODS``), leaving
    out cancelled ones."""
    first, last = period_dates(when=when, today=today)
    sessions = facilitator_sessions(user=user).filter(
        date__gte=first, status=CourseSession.Status.SCHEDULED
    )
    return sessions.filter(date__lte=last) if last else sessions


def at_risk_count(*, enrolments: QuerySet[Enrolment], today: date) -> int:
    """How many enrolments break at least one at-risk rule: counted by the
    database in one query over the rules' UNION."""
    first, *others = (
        rule.select(enrolments=enrolments, today=today).order_by().values("pk")
        for rule in AT_RISK_RULES
    )
    return first.union(*others).count()


def lead_queue(*, user: User, today: date) -> list[WorkCount]:
    open_enrolments = scoped(Enrolment.objects.all(), user, "cohort__programme")
    return [
        WorkCount(
            "Trainees at risk",
            at_risk_count(enrolments=open_enrolments, today=today),
            link("training:at-risk"),
            "Low attendance, no draft, no final portfolio or a referral pending.",
            order=30,
        ),
        WorkCount(
            "Portfolios awaiting moderation",
            moderation_queue(user=user).count(),
            link("training:cohorts") + "#moderation-heading",
            "Waiting for your moderation decision.",
            order=40,
        ),
    ]


def facilitator_queue(*, user: User, today: date) -> list[WorkCount]:
    monday, sunday = week_of(today=today)
    scheduled = Q(status=CourseSession.Status.SCHEDULED)
    figures = facilitator_sessions(user=user).aggregate(
        today=Count("pk", filter=scheduled & Q(date=today)),
        week=Count("pk", filter=scheduled & Q(date__range=(monday, sunday))),
    )
    return [
        WorkCount(
            "Your sessions today",
            figures["today"],
            link("training:my-sessions", "when=today"),
            order=10,
        ),
        WorkCount(
            "Your sessions this week",
            figures["week"],
            link("training:my-sessions", "when=week"),
            f"{monday:%-d %B} to {sunday:%-d %B %Y}.",
            order=20,
        ),
    ]


def assessor_work(*, user: User, today: date) -> list[WorkCount]:
    return [
        WorkCount(
            "Portfolios to mark",
            assessor_queue(user=user).count(),
            link("training:assessor-queue"),
            "Final portfolios waiting for your mark.",
            order=10,
        )
    ]


def register() -> None:
    add(Role.PROGRAMME_LEAD, lead_queue, order=30)
    add(Role.FACILITATOR, facilitator_queue)
    add(Role.ASSESSOR, assessor_work)
    search_add("Trainees", search.trainees, order=30)
