"""The course: templates of topics, a cohort's training settings and
timetable, and the rubric portfolios are assessed against."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from peerprog.core.history import History
from peerprog.core.models import Programme
from recruitment.models import Cohort


class CourseTemplate(models.Model):
    """An ordered list of topics a cohort's timetable is generated from."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="course_templates"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_archived = models.BooleanField("archived", default=False)
    history = History()

    class Meta:
        ordering = ["is_archived", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="course_template_name_unique_in_programme",
                violation_error_message="There is already a course template with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CourseTopic(models.Model):
    template = models.ForeignKey(CourseTemplate, on_delete=models.CASCADE, related_name="topics")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    default_minutes = models.PositiveSmallIntegerField(
        "default length in minutes",
        default=150,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    is_archived = models.BooleanField("archived", default=False)
    history = History()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Rubric(models.Model):
    """The criteria a final portfolio is assessed against. Criteria that have
    been used are archived, never deleted, so old marks keep their meaning."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rubrics")
    name = models.CharField(max_length=200)
    is_archived = models.BooleanField("archived", default=False)
    history = History()

    class Meta:
        ordering = ["is_archived", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="rubric_name_unique_in_programme",
                violation_error_message="There is already a rubric with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, help_text="What assessors look for.")
    is_archived = models.BooleanField("archived", default=False)
    history = History()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "rubric criteria"

    def __str__(self) -> str:
        return self.title


class CohortTraining(models.Model):
    """Training's own settings for a recruitment cohort: who runs and assesses
    the course, the portfolio deadlines and the thresholds of the at-risk list."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="training")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The course facilitator, by default the first assessor.",
    )
    second_assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="By default the trust lead for social inclusion.",
    )
    rubric = models.ForeignKey(
        Rubric, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    draft_due = models.DateField(
        "mid-course draft due", help_text="Trainees with no draft by this day are at risk."
    )
    final_due = models.DateField("final portfolio due")
    resubmission_days = models.PositiveSmallIntegerField(
        "days allowed for a resubmission",
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        "attendance threshold (%)",
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Trainees attending less than this share of sessions are at risk.",
    )
    history = History()

    class Meta:
        verbose_name = "cohort training settings"
        verbose_name_plural = "cohort training settings"

    def __str__(self) -> str:
        return f"Training settings of {self.cohort}"

    @staticmethod
    def default_dates(cohort: Cohort) -> tuple[date, date]:
        """Draft due half-way through the course; final two weeks after it ends."""
        middle = cohort.training_start + (cohort.training_end - cohort.training_start) / 2
        return middle, cohort.training_end + timedelta(days=14)


class CourseSession(models.Model):
    """One session of a cohort's timetable."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="course_sessions")
    topic = models.ForeignKey(
        CourseTopic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    date = models.DateField()
    starts_at = models.TimeField("start time")
    minutes = models.PositiveSmallIntegerField(
        "length in minutes", validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    place = models.CharField(max_length=200, blank=True, help_text="Room and building.")
    is_online = models.BooleanField("online", default=False)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField("why it was cancelled", max_length=200, blank=True)
    history = History()

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        indexes = [models.Index(fields=["cohort", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_online=True) | ~models.Q(place=""),
                name="course_session_has_place_or_is_online",
                violation_error_message="Give a place, or say that the session is online.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d %b %Y})"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.date, self.starts_at) + timedelta(minutes=self.minutes)


class CoFacilitator(models.Model):
    """Someone who helps deliver a session: a service user, a professional or
    an experienced peer worker. Often not a user of peerprog."""

    class Kind(models.TextChoices):
        SERVICE_USER = "service_user", "Service user"
        PROFESSIONAL = "professional", "Professional"
        PEER_WORKER = "peer_worker", "Experienced peer worker"

    session = models.ForeignKey(
        CourseSession, on_delete=models.CASCADE, related_name="co_facilitators"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    history = History()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
