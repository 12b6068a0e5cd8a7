"""HR's lines of the home page about the first months in post, with the
inductions in progress and those with an item overdue counted together in
one query over deployment's list of inductions in progress (rather than one
query each)."""

from __future__ import annotations

from datetime import date

from deployment.selectors.induction import inductions_in_progress
from deployment.selectors.training_records import EXPIRY_NOTICE_DAYS, training_expiring
from peerprog.core.models import User
from peerprog.core.work import WorkCount, link


def hr_in_post_queue(*, user: User, today: date) -> list[WorkCount]:
    overdue = [n for (n,) in inductions_in_progress(user=user, today=today).values_list("overdue")]
    counts = {"in_progress": len(overdue), "overdue": sum(1 for n in overdue if n)}
    expiring = (
        len(training_expiring(today=today, programme_id=user.programme_id))
        if user.programme_id
        else 0
    )
    return [
        WorkCount(
            "Inductions in progress",
            counts["in_progress"],
            link("deployment:inductions"),
            "Peer workers offered or in post whose induction checklist is not all done.",
            order=35,
        ),
        WorkCount(
            "Inductions with an item overdue",
            counts["overdue"],
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
