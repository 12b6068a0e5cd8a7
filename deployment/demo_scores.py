"""Person specifications and scored interviews for ``seed_demo``.

The study's converted posts get the job description's criteria, and every
interview of the study's recruitment days is scored by its panel, the
appointed candidates highest. Panel A's peer programme lead is recorded as
bringing lived experience; Panel B has no one recorded, so its warning shows.
None of this touches the study's figures (applications, trainees, passes,
appointments, retention). Written once: a second run changes nothing.
"""

from __future__ import annotations

from typing import Any

from deployment.demo import PREFIX
from deployment.models import (
    Interview,
    InterviewScore,
    Panel,
    PersonSpecification,
    Post,
    RecruitmentDay,
)
from deployment.models.posts import PEER_ROLES
from deployment.services import interview_scores as score_services
from deployment.services import person_spec as spec_services

CRITERIA = [
    ("essential", "Lived experience of mental distress and of their own recovery"),
    ("essential", "Passed the peer worker training course and its portfolio"),
    ("essential", "Able to share their own experience safely and with purpose"),
    ("essential", "Understands boundaries, confidentiality and keeping well at work"),
    ("desirable", "Experience of volunteering or group work"),
    ("desirable", "Knows the local community's resources"),
]
# Each outcome's scores per criterion, member by member, in turn.
PATTERNS = {
    Interview.Outcome.APPOINT: (3, 4, 3, 3),
    Interview.Outcome.RESERVE: (3, 2, 3, 2),
    Interview.Outcome.NOT_APPOINTED: (2, 1, 2, 1),
}


def seed_interview_scores(ctx: Any) -> None:
    """The scoring step of ``seed_demo`` (``ctx`` is its DemoContext)."""
    programme = ctx.programme
    posts = list(
        Post.objects.filter(
            programme=programme, position_number__startswith=PREFIX, role__in=PEER_ROLES
        ).order_by("pk")
    )
    if not posts or PersonSpecification.objects.filter(programme=programme).exists():
        return
    hr, lead = ctx.users["hr"], ctx.users["lead"]
    for post in posts:
        for kind, text in CRITERIA:
            spec_services.spec_criterion_add(post=post, kind=kind, text=text, by=hr)
    days = list(RecruitmentDay.objects.filter(programme=programme).order_by("date"))
    scored = 0
    for day in days:
        for panel in Panel.objects.filter(day=day).order_by("name"):
            members = list(panel.members.order_by("pk"))
            with_lived_experience = [m.pk for m in members if m.name == "Priya Shah"]
            score_services.panel_scoring_set(
                panel=panel,
                chair=lead if panel.name == "Panel A" else hr,
                lived_experience=with_lived_experience if panel.name == "Panel A" else [],
                by=hr,
            )
        scored += _score_day(day=day, hr=hr)
    ctx.lines.append(
        f"Interview scores: {len(posts)} person specifications, {scored} interviews scored."
    )


def _score_day(*, day: RecruitmentDay, hr: Any) -> int:
    """Scores for the day's interviews, decided already: written as the
    panel's chair entered them on the day, before the decisions."""
    interviews = Interview.objects.filter(day=day, panel__isnull=False).select_related(
        "candidate__vacancy__post__specification", "panel"
    )
    count = 0
    for index, interview in enumerate(interviews.order_by("starts_at", "pk")):
        spec = getattr(interview.candidate.vacancy.post, "specification", None)
        if spec is None:
            continue
        pattern = PATTERNS.get(interview.outcome, PATTERNS[Interview.Outcome.NOT_APPOINTED])
        members = list(interview.panel.members.order_by("pk"))  # type: ignore[union-attr]
        for c_index, criterion in enumerate(spec.criteria.order_by("position")):
            for m_index, member in enumerate(members):
                InterviewScore.objects.create(
                    interview=interview,
                    member=member,
                    criterion=criterion,
                    score=pattern[(c_index + m_index + index) % len(pattern)],
                    entered_by=hr,
                )
        count += 1
    return count
