"""Enrolments (a trainee on a cohort's course), why some do not complete,
and the attendance register."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerprog.core.history import History
from peerprog.core.models import Person, ReasonBase
from recruitment.models import Application, Cohort
from training.models.course import CourseSession


class NonCompletionReason(ReasonBase):
    """Why a trainee did not complete the course, in the programme's words,
    mapped to the study's fixed reporting categories. The health and personal
    categories reveal health: special-category data."""

    class Category(models.TextChoices):
        PORTFOLIO_INCOMPLETE = "portfolio_incomplete", "Portfolio incomplete"
        PORTFOLIO_NOT_SUBMITTED = "portfolio_not_submitted", "Portfolio not submitted"
        LEFT_PAID_EMPLOYMENT = "left_paid_employment", "Left: paid employment elsewhere"
        LEFT_FURTHER_STUDY = "left_further_study", "Left: further study"
        LEFT_OTHER_VOLUNTEERING = "left_other_volunteering", "Left: other volunteering"
        LEFT_HEALTH = "left_health", "Left: health issues"
        LEFT_PERSONAL = "left_personal", "Left: personal factors"

    PORTFOLIO_CATEGORIES = (Category.PORTFOLIO_INCOMPLETE, Category.PORTFOLIO_NOT_SUBMITTED)
    HEALTH_CATEGORIES = (Category.LEFT_HEALTH, Category.LEFT_PERSONAL)

    history = History()

    class Meta(ReasonBase.Meta):
        pass

    @property
    def category_label(self) -> str:
        if self.category in self.Category.values:
            return self.Category(self.category).label
        return self.category

    @property
    def is_leaving(self) -> bool:
        return self.category not in self.PORTFOLIO_CATEGORIES

    @property
    def reporting_group(self) -> str:
        return "Left the programme" if self.is_leaving else "Portfolio not completed"


class Enrolment(models.Model):
    """A trainee on one cohort's course, created exactly once when their
    application is accepted."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed (passed)"
        REFERRED = "referred", "Referred (awaiting resubmission)"
        NOT_COMPLETED = "not_completed", "Not completed"

    OPEN = (Status.ACTIVE, Status.REFERRED)
    # The one map of allowed moves; services move enrolments through it only.
    MOVES: dict[str, tuple[str, ...]] = {
        Status.ACTIVE: (Status.COMPLETED, Status.REFERRED, Status.NOT_COMPLETED),
        Status.REFERRED: (Status.COMPLETED, Status.NOT_COMPLETED),
        Status.COMPLETED: (),
        Status.NOT_COMPLETED: (),
    }

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="enrolment"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    enrolled_at = models.DateTimeField(default=timezone.now)
    passed_on = models.DateField(
        "passed on", null=True, blank=True, help_text="Eligible to apply for paid posts from."
    )
    ended_on = models.DateField("left or ended on", null=True, blank=True)
    non_completion_reason = models.ForeignKey(
        NonCompletionReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    history = History()

    class Meta:
        ordering = ["cohort", "person__last_name", "person__first_name", "pk"]
        indexes = [models.Index(fields=["cohort", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                name="enrolment_once_per_application",
                violation_error_message="This application already has an enrolment.",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(passed_on__isnull=False),
                name="enrolment_completed_has_pass_date",
                violation_error_message="A completed enrolment needs the date of the pass.",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_completed")
                | Q(non_completion_reason__isnull=False, ended_on__isnull=False),
                name="enrolment_not_completed_has_reason",
                violation_error_message="A non-completion needs a reason and a date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.cohort}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_eligible(self) -> bool:
        return self.status == self.Status.COMPLETED


class Attendance(models.Model):
    """One trainee's mark in one session's register."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        LATE = "late", "Late"
        AUTHORISED = "authorised", "Authorised absence"
        ABSENT = "absent", "Absent"

    ATTENDED = (Status.PRESENT, Status.LATE)

    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="register")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=20, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["session", "enrolment"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="attendance_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return self.get_status_display()
