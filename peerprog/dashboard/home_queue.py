"""The programme lead's home-page figures that cannot be counted live within
the page's time: trainees at risk and mentors behind on meetings.

Both rules read every open enrolment's attendance and meetings. The
dashboard's figures refresh (``services.figures``) counts them per cohort
with the same rules as the lists they link to, and the home page reads the
stored counts in one query, saying how old they are. The lists behind the
counts are live.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from deployment.selectors import work as deployment_work
from deployment.selectors import work_in_post
from peerprog.core import work
from peerprog.core.access import scoped
from peerprog.core.kept_queries import count_of
from peerprog.core.models import Programme, Role, User
from peerprog.core.report_changes import counted_row_unless_changed, read_unless_changed
from peerprog.core.work import WorkCount, link
from peerprog.dashboard import home_queue_hr, home_queue_own
from recruitment.models import Cohort
from supervision.models import MentorAssignment
from supervision.selectors import work as supervision_work
from supervision.selectors.compliance import Compliance, compliance_state, has_left, with_mentoring
from training.models import Enrolment
from training.selectors import work as training_work
from training.selectors.progress import AT_RISK_RULES
from training.selectors.records import moderation_queue

# The keys the refresh adds to each cohort's stored figures.
AT_RISK = "home_at_risk"
MENTORS_BEHIND = "home_mentors_behind"


@dataclass(frozen=True)
class _Category:
    """The one annotation ``has_left`` reads."""

    non_completion_category: str | None


def lead_queue_figures(
    *, reader: User, today: date, cohort_ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    """Per cohort id of ``cohort_ids``: how many of its trainees are at risk, and the ids of
    the mentors with one of its trainees behind on meetings. Two queries,
    whatever the number of cohorts or trainees."""
    enrolments = scoped(Enrolment.objects.all(), reader, "cohort__programme")
    first, *others = (
        rule.select(enrolments=enrolments, today=today).order_by().values_list("pk", "cohort_id")
        for rule in AT_RISK_RULES
    )
    at_risk: dict[int, set[int]] = defaultdict(set)
    for pk, cohort_id in first.union(*others):
        at_risk[cohort_id].add(pk)

    mentor_now = MentorAssignment.objects.filter(
        enrolment=OuterRef("pk"), ended_on__isnull=True
    ).values("mentor_id")[:1]
    rows = (
        with_mentoring(enrolments=enrolments.filter(status__in=Enrolment.OPEN))
        .annotate(mentor_now=Subquery(mentor_now))
        .order_by()
        .values_list(
            "cohort_id",
            "mentor_now",
            "status",
            "non_completion_category",
            "meetings_held",
            "meetings_minimum",
            "cohort__training_start",
            "cohort__training_end",
        )
    )
    behind: dict[int, set[int]] = defaultdict(set)
    for cohort_id, mentor, status, category, held, minimum, start, end in rows:
        if mentor is None:
            continue
        state = compliance_state(
            held=held,
            minimum=minimum,
            start=start,
            end=end,
            today=today,
            left=has_left(status=status, annotated=_Category(category)),
        )
        if state == Compliance.BEHIND:
            behind[cohort_id].add(mentor)
    return {
        cohort_id: {AT_RISK: len(at_risk[cohort_id]), MENTORS_BEHIND: sorted(behind[cohort_id])}
        for cohort_id in cohort_ids
    }


def _stored(programme_id: int) -> list[tuple[Any, ...]] | None:
    """Each cohort's stored time, trainees at risk and mentors behind; None
    when a cohort has no stored figures yet, or figures stored before these
    were counted. One query."""
    rows = list(
        Cohort.objects.filter(programme_id=programme_id)
        .order_by()
        .values_list(
            "dashboard_figures__refreshed_at",
            f"dashboard_figures__figures__{AT_RISK}",
            f"dashboard_figures__figures__{MENTORS_BEHIND}",
        )
    )
    if any(refreshed is None or at_risk is None for refreshed, at_risk, _ in rows):
        return None
    return rows


def as_of(moment: datetime, today: date) -> str:
    """ "as of 10:42", or "as of 3 March 2026, 10:42" when not today."""
    local = timezone.localtime(moment)
    if local.date() == today:
        return f"as of {local:%H:%M}"
    return f"as of {local:%-d %B %Y}, {local:%H:%M}"


def lead_figures(*, user: User, today: date) -> tuple[int, int, str]:
    """Trainees at risk, mentors behind on meetings and the figures' age,
    from the stored figures (counted first when a cohort has none yet)."""
    from peerprog.dashboard.services.figures import dashboard_figures_refresh

    rows = read_unless_changed(
        "home_lead_figures", user.programme_id, lambda: _stored(user.programme_id)
    )
    if rows is None:
        # Counted while the lead waits: the dashboard's page is drawn at
        # the next refresh.
        dashboard_figures_refresh(
            programme=Programme.objects.get(pk=user.programme_id), draw_page=False
        )
        rows = _stored(user.programme_id) or []
    at_risk = sum(count or 0 for _, count, _ in rows)
    mentors = {mentor for _, _, behind in rows for mentor in behind or ()}
    oldest = min((refreshed for refreshed, _, _ in rows), default=None)
    return at_risk, len(mentors), as_of(oldest, today) if oldest else ""


def _awaiting_moderation(*, user: User) -> int:
    """The portfolios awaiting the lead's moderation: counted from live
    rows, by a question built once per programme, and kept until a table it
    reads changes."""
    row = counted_row_unless_changed(
        "home_awaiting_moderation",
        user.programme_id,
        lambda: (
            Programme.objects.filter(pk=user.programme_id)
            .order_by()
            .values_list(count_of(moderation_queue(user=user)))
        ),
    )
    return row[0] if row else 0


def lead_queue(*, user: User, today: date) -> list[WorkCount]:
    """The lead's training and mentoring lines: the stored figures in one
    query, the portfolios awaiting moderation (a short live list) in one."""
    at_risk, behind, age = lead_figures(user=user, today=today)
    figures_age = f" (figures {age})." if age else "."
    return [
        WorkCount(
            "Trainees at risk",
            at_risk,
            link("training:at-risk"),
            "Low attendance, no draft, no final portfolio or a referral pending" + figures_age,
            order=30,
        ),
        WorkCount(
            "Portfolios awaiting moderation",
            _awaiting_moderation(user=user),
            link("training:cohorts") + "#moderation-heading",
            "Waiting for your moderation decision.",
            order=40,
        ),
        WorkCount(
            "Mentors behind on meetings",
            behind,
            link("supervision:mentors", "show=behind"),
            "With a mentee behind the minimum for this point in the course" + figures_age,
            order=50,
        ),
    ]


def register() -> None:
    """The lead's lines from training and supervision come from here, and a
    mentor's and a supervisor's from ``home_queue_own``, and all of HR's
    lines from deployment from ``home_queue_hr``."""
    work.replace(Role.PROGRAMME_LEAD, training_work.lead_queue, lead_queue)
    work.replace(Role.PROGRAMME_LEAD, supervision_work.lead_queue, None)
    work.replace(Role.MENTOR, supervision_work.mentor_queue, home_queue_own.mentor_queue)
    work.replace(
        Role.SUPERVISOR, supervision_work.supervisor_queue, home_queue_own.supervisor_queue
    )
    work.replace(Role.HR, deployment_work.hr_queue, home_queue_hr.hr_queue)
    work.replace(Role.HR, work_in_post.hr_in_post_queue, None)
