"""Writes for scored interviews: who chairs a panel, which of its members
bring lived experience of mental distress, and the chair's entry of every
member's score per criterion."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from deployment.models import (
    Interview,
    InterviewScore,
    Panel,
    PanelChair,
    PanelMemberLivedExperience,
)
from deployment.models.interview_scores import SCORE_MAX, SCORE_MIN
from deployment.selectors.interview_scores import criteria_for_interview
from deployment.services.common import DeploymentError, clean_or_refuse
from peerprog.core.models import Role, User

CHAIR_ROLES = (Role.HR, Role.PROGRAMME_LEAD)


@transaction.atomic
def panel_scoring_set(
    *, panel: Panel, chair: User | None, lived_experience: Iterable[int], by: User
) -> Panel:
    """Name the panel's chair (an HR officer or programme lead of the
    programme, who enters the scores) and record which members bring lived
    experience of mental distress. That fact is special-category data: it is
    written here and read only by HR and leads."""
    panel = Panel.objects.select_for_update().select_related("day").get(pk=panel.pk)
    members = {member.pk: member for member in panel.members.all()}
    chosen = set(lived_experience)
    if not chosen <= set(members):
        raise DeploymentError("Choose members of this panel.")
    if chair is not None:
        if chair.programme_id != panel.day.programme_id or not chair.is_active:
            raise DeploymentError("Choose a chair from this programme.")
        if not chair.has_role(*CHAIR_ROLES):
            raise DeploymentError("The chair must be an HR officer or a programme lead.")
    current = PanelChair.objects.filter(panel=panel).first()
    if chair is None and current is not None:
        current.delete()
    elif chair is not None and (current is None or current.user_id != chair.pk):
        record = current or PanelChair(panel=panel)
        record.user = chair
        record.set_by = by
        record.set_at = timezone.now()
        clean_or_refuse(instance=record)
        record.save()
    recorded = {
        row.member_id: row for row in PanelMemberLivedExperience.objects.filter(member__panel=panel)
    }
    for member_id, row in recorded.items():
        if member_id not in chosen:
            row.delete()
    for member_id in sorted(chosen - set(recorded)):
        PanelMemberLivedExperience.objects.create(member=members[member_id], recorded_by=by)
    return panel


def _may_enter(*, interview: Interview, by: User) -> bool:
    """The panel's chair enters its scores; HR, who keep the day's records,
    may enter them on the chair's behalf."""
    chair = PanelChair.objects.filter(panel_id=interview.panel_id).first()
    return by.has_role(Role.HR) or (chair is not None and chair.user_id == by.pk)


@transaction.atomic
def interview_scores_record(
    *, interview: Interview, scores: Mapping[tuple[int, int], int | None], by: User
) -> Interview:
    """Record the panel's scores for one interview: for each (panel member,
    criterion) a score from 0 to 4, or None to leave it unscored. Entered
    by the panel's chair (or HR) for members who have no account. Refused
    once the decision is recorded, so the scores behind it stay as they were."""
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("panel", "candidate__person", "candidate__vacancy__post")
        .get(pk=interview.pk)
    )
    if interview.panel_id is None:
        raise DeploymentError("Give the interview a panel before scoring it.")
    if interview.outcome != Interview.Outcome.PENDING:
        raise DeploymentError(
            "The decision for this interview is recorded, so its scores can no longer change."
        )
    if not _may_enter(interview=interview, by=by):
        raise DeploymentError("Only the panel's chair, or HR, can enter the panel's scores.")
    criteria = {
        criterion.pk: criterion for criterion in criteria_for_interview(interview=interview)
    }
    if not criteria:
        raise DeploymentError(
            "The post has no person specification criteria to score against. Add them first."
        )
    members = set(interview.panel.members.values_list("pk", flat=True))  # type: ignore[union-attr]
    if not members:
        raise DeploymentError("The panel has no members yet.")
    existing = {
        (score.member_id, score.criterion_id): score
        for score in InterviewScore.objects.filter(interview=interview)
    }
    for (member_id, criterion_id), value in scores.items():
        if member_id not in members or criterion_id not in criteria:
            raise DeploymentError("Score only this panel's members against this post's criteria.")
        row = existing.get((member_id, criterion_id))
        if value is None:
            if row is not None:
                row.delete()
            continue
        if not SCORE_MIN <= value <= SCORE_MAX:
            raise DeploymentError(f"Each score is from {SCORE_MIN} to {SCORE_MAX}.")
        if row is not None and row.score == value:
            continue
        row = row or InterviewScore(
            interview=interview, member_id=member_id, criterion=criteria[criterion_id]
        )
        row.score = value
        row.entered_by = by
        row.entered_at = timezone.now()
        clean_or_refuse(instance=row)
        row.save()
    return interview


__all__ = ["CHAIR_ROLES", "interview_scores_record", "panel_scoring_set"]
