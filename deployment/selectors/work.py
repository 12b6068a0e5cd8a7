"""Deployment's part of the HR officer's work queue on the home page:
pre-employment checks outstanding, starts this month, absences without
cover, converted posts not yet advertised, and reserve entries about to
lapse. Each rule is written once here and used both for the count and for
the filtered list it links to."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from deployment.models import Absence, Appointment, Post, PreEmploymentCheck, ReserveEntry, Vacancy
from deployment.selectors import search
from peerprog.core.access import scoped
from peerprog.core.models import Role, User
from peerprog.core.search import add as search_add
from peerprog.core.work import WorkCount, add, link

# The appointment list's extra filters ("?status=checks"), with their labels.
NEEDS = {
    "checks": "Checks outstanding",
    "starting": "Starting this month",
    "uncovered": "Absent now without cover",
}
# A reserve entry "about to lapse" stops standing within this many days.
LAPSE_DAYS = 30


def _month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    return first, next_first - timedelta(days=1)


def _conditions(today: date) -> dict[str, Q]:
    first, last = _month(today)
    outstanding = PreEmploymentCheck.objects.filter(appointment=OuterRef("pk")).exclude(
        status=PreEmploymentCheck.Status.CLEARED
    )
    uncovered = Absence.objects.filter(
        appointment=OuterRef("pk"), starts_on__lte=today, cover=Absence.Cover.NONE
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return {
        "checks": Q(status=Appointment.Status.OFFERED) & Q(Exists(outstanding)),
        "starting": Q(status__in=Appointment.ACTIVE, start_date__range=(first, last)),
        "uncovered": Q(status=Appointment.Status.IN_POST) & Q(Exists(uncovered)),
    }


def appointments_needing(
    *, appointments: QuerySet[Appointment], need: str, today: date
) -> QuerySet[Appointment]:
    """The appointments (of those given) that need HR for ``need``."""
    return appointments.filter(_conditions(today)[need])


def posts_to_advertise(*, posts: QuerySet[Post]) -> QuerySet[Post]:
    """Vacant posts made by a conversion that have no open vacancy."""
    open_vacancy = Vacancy.objects.filter(post=OuterRef("pk"), status=Vacancy.Status.OPEN)
    return posts.filter(converted_from__isnull=False, status=Post.Status.VACANT).exclude(
        Exists(open_vacancy)
    )


def reserves_lapsing(*, entries: QuerySet[ReserveEntry], today: date) -> QuerySet[ReserveEntry]:
    """Entries still standing whose time on the list ends within
    ``LAPSE_DAYS`` days."""
    return entries.filter(
        status=ReserveEntry.Status.STANDING,
        stands_until__range=(today, today + timedelta(days=LAPSE_DAYS)),
    )


def hr_queue(*, user: User, today: date) -> list[WorkCount]:
    conditions = _conditions(today)
    figures = scoped(Appointment.objects.all(), user).aggregate(
        **{need: Count("pk", filter=condition) for need, condition in conditions.items()}
    )
    figures["advertise"] = posts_to_advertise(posts=scoped(Post.objects.all(), user)).count()
    figures["lapsing"] = reserves_lapsing(
        entries=scoped(ReserveEntry.objects.all(), user), today=today
    ).count()
    return hr_lines(figures=figures, today=today)


def hr_lines(*, figures: dict[str, int], today: date) -> list[WorkCount]:
    """HR's lines from their counts (``checks``, ``starting``,
    ``uncovered``, ``advertise`` and ``lapsing``), however they were
    counted."""
    first, _ = _month(today)
    return [
        WorkCount(
            "Checks outstanding",
            figures["checks"],
            link("deployment:appointments", "status=checks"),
            "Offers with a pre-employment check not yet cleared.",
            order=10,
        ),
        WorkCount(
            "Starts this month",
            figures["starting"],
            link("deployment:appointments", "status=starting"),
            f"Start dates in {first:%B %Y}.",
            order=20,
        ),
        WorkCount(
            "Absences without cover",
            figures["uncovered"],
            link("deployment:appointments", "status=uncovered"),
            "Peer workers absent today with no cover arranged.",
            order=30,
        ),
        WorkCount(
            "Converted posts not advertised",
            figures["advertise"],
            link("deployment:posts", "advertise=needed"),
            "Vacant peer posts from a conversion with no open vacancy.",
            order=40,
        ),
        WorkCount(
            "Reserve entries about to lapse",
            figures["lapsing"],
            link("deployment:reserve", "show=lapsing"),
            f"Standing for {LAPSE_DAYS} days or fewer.",
            order=50,
        ),
    ]


def register() -> None:
    add(Role.HR, hr_queue)
    search_add("Posts", search.posts, order=40)
