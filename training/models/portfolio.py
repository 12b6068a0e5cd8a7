"""The portfolio: drafts with feedback, tutorials, the final submission and
its double-blind assessment against the rubric."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerprog.core.dates import recorded_later
from peerprog.core.history import History
from training.models.course import RubricCriterion
from training.models.enrolment import Enrolment
from training.storage import portfolio_storage


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word document (DOCX)"
    ODT = "odt", "OpenDocument text (ODT)"


class Decision(models.TextChoices):
    PASS = "pass", "Pass"
    REFERRAL = "referral", "Referral"


class PortfolioFile(models.Model):
    """A file kept in private storage under a random name. ``file_name`` is
    the cleaned name shown to staff and used when the file is downloaded."""

    file = models.FileField(storage=portfolio_storage, max_length=300)
    file_name = models.CharField("file name", max_length=120)
    file_kind = models.CharField(max_length=10, choices=FileKind.choices)
    file_size = models.PositiveIntegerField("size in bytes")

    class Meta:
        abstract = True


class PortfolioDraft(PortfolioFile):
    """A draft of the reflective portfolio, received by the facilitator, with
    the feedback written on it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="drafts")
    received_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    feedback = models.TextField(blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback_on = models.DateField(null=True, blank=True)
    # The trainee reads the feedback on their own pages only once the
    # facilitator or a lead has released it.
    feedback_released_at = models.DateTimeField(
        "feedback released to the trainee", null=True, blank=True
    )
    feedback_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = History()

    class Meta:
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback_released_at__isnull=True) | ~Q(feedback=""),
                name="draft_released_feedback_is_written",
                violation_error_message="Only written feedback can be released.",
            )
        ]

    def __str__(self) -> str:
        return f"Draft received {self.received_on:%d %b %Y}"

    @property
    def feedback_is_released(self) -> bool:
        return self.feedback_released_at is not None


class Tutorial(models.Model):
    """An individual tutorial supporting the trainee's writing."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="tutorials")
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        "length in minutes", validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    notes = models.TextField(blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = History()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"Tutorial on {self.held_on:%d %b %Y}"


class PortfolioSubmission(PortfolioFile):
    """The final portfolio (attempt 1) or its resubmission after a referral
    (attempt 2), and the outcome of its assessment."""

    class Status(models.TextChoices):
        AWAITING_MARKS = "awaiting_marks", "Waiting for both assessors"
        IN_MODERATION = "in_moderation", "Assessors disagree: with the lead for moderation"
        DECIDED = "decided", "Decided"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="submissions")
    attempt = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    submitted_on = models.DateField()
    due_on = models.DateField()
    is_late = models.BooleanField("late", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # When it was entered, which may be long after it was received.
    recorded_at = models.DateTimeField("recorded at", default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_MARKS)
    outcome = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderation_reason = models.TextField(blank=True)
    resubmission_due = models.DateField(null=True, blank=True)
    history = History()

    class Meta:
        ordering = ["enrolment", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "attempt"],
                name="submission_once_per_attempt",
                violation_error_message="This portfolio has already been received.",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | ~Q(outcome=""),
                name="submission_decided_has_outcome",
                violation_error_message="A decided portfolio needs an outcome.",
            ),
        ]

    def __str__(self) -> str:
        return "Resubmitted portfolio" if self.attempt == 2 else "Final portfolio"

    @property
    def label(self) -> str:
        return str(self)

    @property
    def recorded_later(self) -> bool:
        """Entered on a later day than the portfolio was received."""
        return recorded_later(happened=self.submitted_on, recorded=self.recorded_at)


class Assessment(models.Model):
    """One assessor's independent mark of one submission. Nobody sees the
    decision until both assessors have marked."""

    submission = models.ForeignKey(
        PortfolioSubmission, on_delete=models.CASCADE, related_name="assessments"
    )
    slot = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(2)])
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portfolio_assessments"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    comments = models.TextField(blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    history = History()

    class Meta:
        ordering = ["submission", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "slot"], name="assessment_slot_unique"),
            models.UniqueConstraint(
                fields=["submission", "assessor"],
                name="assessment_assessor_unique",
                violation_error_message="The two assessors must be different people.",
            ),
            models.CheckConstraint(
                condition=Q(marked_at__isnull=True) | ~Q(decision=""),
                name="assessment_marked_has_decision",
                violation_error_message="A mark needs a decision.",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.slot} of {self.submission}"

    @property
    def is_marked(self) -> bool:
        return self.marked_at is not None


class CriterionMark(models.Model):
    class Level(models.TextChoices):
        MET = "met", "Met"
        PARTLY = "partly", "Partly met"
        NOT_MET = "not_met", "Not met"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="marks")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=10, choices=Level.choices)
    comment = models.TextField(blank=True)
    history = History()

    class Meta:
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="criterion_mark_once_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return self.get_level_display()
