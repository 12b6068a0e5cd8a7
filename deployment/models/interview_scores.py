"""Interviews scored against the person specification: the panel's chair,
which panel members have lived experience of mental distress (special-
category data), and a score per criterion per panel member."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from deployment.models.person_spec import SpecCriterion
from deployment.models.recruitment_day import Interview, Panel, PanelMember
from peerprog.core.history import History

# The scale every criterion is scored on: 0 no evidence, 1 limited,
# 2 meets the criterion, 3 meets it well, 4 exceeds it.
SCORE_MIN = 0
SCORE_MAX = 4
SCORE_WORDS = {
    0: "No evidence",
    1: "Limited evidence",
    2: "Meets the criterion",
    3: "Meets it well",
    4: "Exceeds it",
}


class PanelChair(models.Model):
    """The user who chairs a panel and enters its scores for members who
    have no account."""

    panel = models.OneToOneField(Panel, on_delete=models.CASCADE, related_name="chair")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    history = History()

    def __str__(self) -> str:
        return f"{self.user} chairs {self.panel}"


class PanelMemberLivedExperience(models.Model):
    """A panel member who brings lived experience of mental distress to the
    panel. Special-category data about the member: only HR and programme
    leads see who; reports only count panels that include someone."""

    member = models.OneToOneField(
        PanelMember, on_delete=models.CASCADE, related_name="lived_experience"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        verbose_name = "panel member's lived experience"

    def __str__(self) -> str:
        return "Lived experience recorded"


class InterviewScore(models.Model):
    """One panel member's score for one criterion in one interview."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(SpecCriterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["criterion__position", "criterion_id", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "member", "criterion"],
                name="interview_score_once_per_member_and_criterion",
                violation_error_message="This member has already scored this criterion.",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX),
                name="interview_score_on_the_scale",
                violation_error_message=f"A score is from {SCORE_MIN} to {SCORE_MAX}.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} for {self.criterion}"
