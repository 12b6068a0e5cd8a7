"""Deployment's lines of HR's work queue about the first months in post:
inductions in progress, those with an item overdue, and mandatory training
expiring within 30 days."""

from __future__ import annotations

from datetime import date

from deployment.selectors.induction import induction_counts
from deployment.selectors.training_records import EXPIRY_NOTICE_DAYS, training_expiring
from peerprog.core.models import Role, User
from peerprog.core.work import WorkCount, add, link


def hr_in_post_queue(*, user: User, today: date) -> list[WorkCount]:
    counts = induction_counts(user=user, today=today)
    expiring = (
        len(training_expiring(today=today, programme_id=user.programme_id))
        if user.programme_id
        else 0
    )
    return in_post_lines(
        in_progress=counts["in_progress"], overdue=counts["overdue"], expiring=expiring
    )


def in_post_lines(*, in_progress: int, overdue: int, expiring: int) -> list[WorkCount]:
    """The lines from their counts, however they were counted."""
    return [
        WorkCount(
            "Inductions in progress",
            in_progress,
            link("deployment:inductions"),
            "Peer workers offered or in post whose induction checklist is not all done.",
            order=35,
        ),
        WorkCount(
            "Inductions with an item overdue",
            overdue,
            link("deployment:inductions", "show=overdue"),
            "An induction item past its due date and not done.",
            order=36,
        ),
        WorkCount(
            "Training expiring soon",
            expiring,
            link("deployment:training-compliance"),
            f"Mandatory training expiring within {EXPIRY_NOTICE_DAYS} days.",
            order=37,
        ),
    ]


def register() -> None:
    add(Role.HR, hr_in_post_queue)
