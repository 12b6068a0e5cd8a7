"""HR's lines of the home page, all eight counted in one query.

Deployment writes each rule once (``deployment.selectors.work`` for checks,
starts, absences, posts and reserve entries; ``induction`` and
``training_records`` for the first months in post) and uses it for the list
each line links to. Here every rule becomes one count of a single row, so
the database is asked once rather than six times. Building that query costs
more than running it and it differs only by programme and day, so its text
is kept (``peerprog.core.kept_queries``) and run live on every view.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from deployment.models import Appointment, Post, ReserveEntry
from deployment.selectors import work as deployment_work
from deployment.selectors.induction import inductions_in_progress
from deployment.selectors.training_records import expiring_records
from deployment.selectors.work_in_post import in_post_lines
from peerprog.core.access import scoped
from peerprog.core.kept_queries import count_of
from peerprog.core.models import Programme, User
from peerprog.core.report_changes import counted_row_unless_changed
from peerprog.core.work import WorkCount

# The order of the counts in the query's one row.
COUNTS = (
    "checks",
    "starting",
    "uncovered",
    "advertise",
    "lapsing",
    "in_progress",
    "overdue",
    "expiring",
)


def _counts_query(*, user: User, today: date) -> QuerySet:
    """One row counting HR's lines for the user's programme on ``today``,
    from deployment's rules."""
    appointments = scoped(Appointment.objects.all(), user)
    in_progress = inductions_in_progress(user=user, today=today).order_by()
    counts = [
        count_of(
            deployment_work.appointments_needing(appointments=appointments, need=need, today=today)
        )
        for need in ("checks", "starting", "uncovered")
    ] + [
        count_of(deployment_work.posts_to_advertise(posts=scoped(Post.objects.all(), user))),
        count_of(
            deployment_work.reserves_lapsing(
                entries=scoped(ReserveEntry.objects.all(), user), today=today
            )
        ),
        count_of(Appointment.objects.filter(pk__in=in_progress.values("pk"))),
        count_of(Appointment.objects.filter(pk__in=in_progress.filter(overdue__gt=0).values("pk"))),
        count_of(expiring_records(today=today, programme_id=user.programme_id)),
    ]
    return Programme.objects.filter(pk=user.programme_id).order_by().values_list(*counts)


def hr_counts(*, user: User, today: date) -> dict[str, int]:
    """Each of HR's counts for the user's programme. One query."""
    row = counted_row_unless_changed(
        "hr_home", (user.programme_id, today), lambda: _counts_query(user=user, today=today)
    )
    return dict(zip(COUNTS, row or (0,) * len(COUNTS), strict=True))


def hr_queue(*, user: User, today: date) -> list[WorkCount]:
    """HR's lines from deployment, counted in one query."""
    counts = hr_counts(user=user, today=today) if user.programme_id else dict.fromkeys(COUNTS, 0)
    return deployment_work.hr_lines(figures=counts, today=today) + in_post_lines(
        in_progress=counts["in_progress"], overdue=counts["overdue"], expiring=counts["expiring"]
    )
