"""The trainee's timeline, read from the audit trail (django-simple-history):
every recorded step of their course, who took it and when.

Costs one query per kind of record and one for the names of staff, however
long the course. Assessors' decisions appear only once both are in, and
health-related reasons only for readers allowed to see them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peerprog.core.models import User
from training.models import (
    Assessment,
    Decision,
    Enrolment,
    NonCompletionReason,
    PortfolioDraft,
    PortfolioSubmission,
    Tutorial,
)
from training.selectors.common import can_read_health_reasons


@dataclass(frozen=True)
class TimelineEvent:
    when: datetime
    what: str
    who: str


def _pairs(rows: Iterable[Any]) -> Iterable[tuple[Any | None, Any]]:
    """Each history row with the previous row of the same record."""
    previous: dict[int, Any] = {}
    for row in rows:
        yield previous.get(row.id), row
        previous[row.id] = row


def _history(model: Any, **filters: Any) -> list[Any]:
    return list(model.history.filter(**filters).order_by("id", "history_date", "history_id"))


def enrolment_timeline(*, user: User, enrolment: Enrolment) -> list[TimelineEvent]:
    raw: list[tuple[datetime, str, int | None]] = []
    decisions = dict(Decision.choices)

    reasons = {r.pk: r for r in NonCompletionReason.objects.filter(enrolments=enrolment)}
    for before, row in _pairs(_history(Enrolment, id=enrolment.pk)):
        if before is None:
            raw.append((row.history_date, f"Enrolled on {enrolment.cohort}", row.history_user_id))
            continue
        if before.status == row.status:
            continue
        if row.status == Enrolment.Status.COMPLETED:
            text = f"Passed: eligible to apply for paid posts from {row.passed_on:%-d %B %Y}"
        elif row.status == Enrolment.Status.REFERRED:
            text = "Referred: the portfolio is to be resubmitted"
        elif row.status == Enrolment.Status.NOT_COMPLETED:
            reason = reasons.get(row.non_completion_reason_id)
            if reason is None or (reason.reveals_health and not can_read_health_reasons(user=user)):
                text = "Did not complete the course"
            else:
                text = f"Did not complete the course: {reason.label}"
        else:
            text = f"Status changed to {Enrolment.Status(row.status).label.lower()}"
        raw.append((row.history_date, text, row.history_user_id))

    for before, row in _pairs(_history(PortfolioDraft, enrolment_id=enrolment.pk)):
        if before is None:
            raw.append((row.history_date, f"Draft received ({row.file_name})", row.history_user_id))
        elif row.feedback and row.feedback != before.feedback:
            verb = "Feedback written" if not before.feedback else "Feedback changed"
            raw.append(
                (
                    row.history_date,
                    f"{verb} on the draft of {row.received_on:%-d %B %Y}",
                    row.history_user_id,
                )
            )

    for before, row in _pairs(_history(Tutorial, enrolment_id=enrolment.pk)):
        if before is None:
            raw.append(
                (
                    row.history_date,
                    f"Tutorial on {row.held_on:%-d %B %Y} ({row.minutes} minutes)",
                    row.history_user_id,
                )
            )

    submissions = _history(PortfolioSubmission, enrolment_id=enrolment.pk)
    for before, row in _pairs(submissions):
        name = "Resubmitted portfolio" if row.attempt == 2 else "Final portfolio"
        if before is None:
            late = " (late)" if row.is_late else ""
            raw.append((row.history_date, f"{name} received{late}", row.history_user_id))
            continue
        if before.status == row.status:
            continue
        if row.status == PortfolioSubmission.Status.IN_MODERATION:
            text = f"{name}: the assessors disagree, so the lead moderates"
        elif row.status == PortfolioSubmission.Status.DECIDED:
            how = " after moderation" if row.moderated_by_id else ""
            text = f"{name} assessed{how}: {decisions.get(row.outcome, row.outcome).lower()}"
            if row.outcome == Decision.REFERRAL and row.resubmission_due:
                text += f", resubmission due {row.resubmission_due:%-d %B %Y}"
        else:
            continue
        raw.append((row.history_date, text, row.history_user_id))

    attempts = {row.id: row.attempt for row in submissions}
    for before, row in _pairs(_history(Assessment, submission_id__in=list(attempts))):
        if row.marked_at and (before is None or not before.marked_at):
            name = "resubmitted" if attempts.get(row.submission_id) == 2 else "final"
            # The decision itself is never on the timeline: it shows on the
            # portfolio only to those allowed to see it.
            raw.append(
                (row.history_date, f"An assessor marked the {name} portfolio", row.assessor_id)
            )

    ids = {who for _, _, who in raw if who}
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    events = [
        TimelineEvent(when=when, what=what, who=names.get(who, "") if who else "")
        for when, what, who in raw
    ]
    return sorted(events, key=lambda e: e.when, reverse=True)
