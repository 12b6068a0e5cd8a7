"""Reads for scored interviews: one interview's score sheet, and each
recruitment day's panel totals and rankings per vacancy.

Which panel members bring lived experience of mental distress is special-
category data: only HR and programme leads get it (``can_read_sensitive``);
everyone else gets only how many panels include someone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from deployment.models import (
    Interview,
    InterviewScore,
    Panel,
    PanelChair,
    PanelMember,
    PanelMemberLivedExperience,
    PersonSpecification,
    RecruitmentDay,
    SpecCriterion,
    Vacancy,
)
from deployment.models.interview_scores import SCORE_MAX
from deployment.selectors.common import OUTCOME_RECORDERS, READERS
from deployment.selectors.person_spec import specification_in_force
from peerprog.core.access import can_read_sensitive, get_in_programme_or_404, require_role
from peerprog.core.models import Role, User

LIVED_EXPERIENCE_WARNING = (
    "No one on {panel} is recorded as bringing lived experience of mental distress. "
    "The studies call peer leadership on interview panels essential: add a peer worker or "
    "someone with lived experience to the panel."
)


def lived_experience_warning(*, panel: Panel) -> str:
    return LIVED_EXPERIENCE_WARNING.format(panel=panel.name)


def criteria_for_interview(*, interview: Interview) -> list[SpecCriterion]:
    """The criteria of the specification in force for the interview's vacancy."""
    vacancy = interview.candidate.vacancy
    spec = specification_in_force(vacancy_id=vacancy.pk, post_id=vacancy.post_id)
    return list(spec.criteria.all()) if spec is not None else []


def get_interview_for_scoring(*, user: User, pk: Any) -> Interview:
    require_role(user, *OUTCOME_RECORDERS)
    return get_in_programme_or_404(
        Interview.objects.select_related(
            "day", "panel", "candidate__person", "candidate__vacancy__post__service"
        ),
        user,
        pk,
        "day__programme",
    )


def get_panel_for_setup(*, user: User, pk: Any) -> Panel:
    require_role(user, *OUTCOME_RECORDERS)
    return get_in_programme_or_404(
        Panel.objects.select_related("day", "chair__user"), user, pk, "day__programme"
    )


def panel_members(*, panel: Panel) -> list[PanelMember]:
    """The panel's members, each with ``has_lived_experience``: for HR and
    leads' pages only."""
    return list(
        PanelMember.objects.filter(panel=panel)
        .select_related("service")
        .annotate(
            has_lived_experience=Exists(
                PanelMemberLivedExperience.objects.filter(member=OuterRef("pk"))
            )
        )
        .order_by("pk")
    )


def chair_choices(*, user: User) -> QuerySet[User]:
    """Who may chair a panel: the programme's active HR officers and leads."""
    require_role(user, *OUTCOME_RECORDERS)
    return (
        User.objects.filter(
            programme_id=user.programme_id,
            is_active=True,
            groups__name__in=[Role.HR, Role.PROGRAMME_LEAD],
        )
        .distinct()
        .order_by("full_name", "pk")
    )


@dataclass
class ScoreSheet:
    interview: Interview
    criteria: list[SpecCriterion]
    members: list[PanelMember]
    scores: dict[tuple[int, int], int]
    chair: PanelChair | None
    # None when the reader may not know (not HR or a lead).
    includes_lived_experience: bool | None
    member_totals: dict[int, int] = field(default_factory=dict)
    criterion_totals: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.scores.values())

    @property
    def max_total(self) -> int:
        return len(self.criteria) * len(self.members) * SCORE_MAX

    @property
    def is_complete(self) -> bool:
        return bool(self.criteria and self.members) and len(self.scores) == len(
            self.criteria
        ) * len(self.members)

    @property
    def warning(self) -> str:
        if self.includes_lived_experience is False and self.interview.panel is not None:
            return lived_experience_warning(panel=self.interview.panel)
        return ""


def score_sheet(*, user: User, interview: Interview) -> ScoreSheet:
    """The grid of one interview's scores (criteria by panel members), with
    the totals per member, per criterion and for the panel, in a fixed
    number of queries."""
    require_role(user, *OUTCOME_RECORDERS)
    panel = interview.panel
    criteria = criteria_for_interview(interview=interview)
    members = panel_members(panel=panel) if panel is not None else []
    chair = PanelChair.objects.select_related("user").filter(panel=panel).first() if panel else None
    scores = {
        (row.member_id, row.criterion_id): row.score
        for row in InterviewScore.objects.filter(interview=interview).only(
            "member_id", "criterion_id", "score"
        )
    }
    sheet = ScoreSheet(
        interview=interview,
        criteria=criteria,
        members=members,
        scores=scores,
        chair=chair,
        includes_lived_experience=(
            any(member.has_lived_experience for member in members)  # type: ignore[attr-defined]
            if can_read_sensitive(user) and panel is not None
            else None
        ),
    )
    for (member_id, criterion_id), score in scores.items():
        sheet.member_totals[member_id] = sheet.member_totals.get(member_id, 0) + score
        sheet.criterion_totals[criterion_id] = sheet.criterion_totals.get(criterion_id, 0) + score
    return sheet


@dataclass
class RankedInterview:
    rank: str
    interview: Interview
    total: int
    max_total: int
    is_complete: bool


@dataclass
class VacancyRanking:
    vacancy: Vacancy
    rows: list[RankedInterview]


@dataclass
class PanelSummary:
    panel: Panel
    member_count: int
    # None for readers who may not know which panels include someone.
    includes_lived_experience: bool | None

    @property
    def warning(self) -> str:
        return (
            lived_experience_warning(panel=self.panel)
            if self.includes_lived_experience is False
            else ""
        )


@dataclass
class DayScores:
    day: RecruitmentDay
    rankings: list[VacancyRanking]
    panels: list[PanelSummary]
    panels_with_lived_experience: int


def _ranks(totals: list[int]) -> list[str]:
    """Competition ranking of totals already sorted high to low: equal
    totals share a rank, shown with "=" (1, 2=, 2=, 4)."""
    return [
        f"{totals.index(total) + 1}{'=' if totals.count(total) > 1 else ''}" for total in totals
    ]


def day_scores(*, user: User, day: RecruitmentDay) -> DayScores:
    """Each vacancy's candidates on the day ranked by their panel's total,
    and each panel's make-up: in six queries however many interviews."""
    require_role(user, *READERS)
    interviews = list(
        Interview.objects.filter(day=day)
        .select_related("panel", "candidate__person", "candidate__vacancy__post__service")
        .order_by("candidate__vacancy_id", "starts_at", "pk")
    )
    totals = {
        row["interview_id"]: (row["total"] or 0, row["count"])
        for row in InterviewScore.objects.filter(interview__day=day)
        .values("interview_id")
        .annotate(total=Sum("score"), count=Count("pk"))
    }
    panels = list(
        Panel.objects.filter(day=day)
        .annotate(
            member_count=Count("members", distinct=True),
            lived_count=Count(
                "members", filter=Q(members__lived_experience__isnull=False), distinct=True
            ),
        )
        .order_by("name", "pk")
    )
    members_of = {panel.pk: panel.member_count for panel in panels}  # type: ignore[attr-defined]
    vacancy_ids = {i.candidate.vacancy_id for i in interviews}
    post_ids = {i.candidate.vacancy.post_id for i in interviews}
    specs = list(
        PersonSpecification.objects.filter(Q(vacancy_id__in=vacancy_ids) | Q(post_id__in=post_ids))
        .annotate(criterion_count=Count("criteria"))
        .only("pk", "vacancy_id", "post_id")
    )
    by_vacancy = {spec.vacancy_id: spec.criterion_count for spec in specs if spec.vacancy_id}  # type: ignore[attr-defined]
    by_post = {spec.post_id: spec.criterion_count for spec in specs if spec.post_id}  # type: ignore[attr-defined]
    grouped: dict[int, list[RankedInterview]] = defaultdict(list)
    vacancies: dict[int, Vacancy] = {}
    for interview in interviews:
        vacancy = interview.candidate.vacancy
        vacancies[vacancy.pk] = vacancy
        criteria = by_vacancy.get(vacancy.pk, by_post.get(vacancy.post_id, 0))
        members = members_of.get(interview.panel_id or 0, 0)
        total, count = totals.get(interview.pk, (0, 0))
        grouped[vacancy.pk].append(
            RankedInterview(
                rank="",
                interview=interview,
                total=total,
                max_total=criteria * members * SCORE_MAX,
                is_complete=bool(criteria and members) and count == criteria * members,
            )
        )
    rankings = []
    for vacancy_id, rows in grouped.items():
        rows.sort(key=lambda row: (-row.total, row.interview.candidate.person.last_name))
        for row, rank in zip(rows, _ranks([row.total for row in rows]), strict=True):
            row.rank = rank
        rankings.append(VacancyRanking(vacancy=vacancies[vacancy_id], rows=rows))
    may_know = can_read_sensitive(user)
    summaries = [
        PanelSummary(
            panel=panel,
            member_count=panel.member_count,  # type: ignore[attr-defined]
            includes_lived_experience=(panel.lived_count > 0) if may_know else None,  # type: ignore[attr-defined]
        )
        for panel in panels
    ]
    return DayScores(
        day=day,
        rankings=rankings,
        panels=summaries,
        panels_with_lived_experience=sum(1 for p in panels if p.lived_count > 0),  # type: ignore[attr-defined]
    )
