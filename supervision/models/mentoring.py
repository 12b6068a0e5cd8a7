"""Mentoring: the staff who mentor trainees, who mentors whom (with its
history), the meetings mentors log, and each cohort's minimum number of
meetings."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerprog.core.history import History
from peerprog.core.models import Service
from recruitment.models import Cohort
from training.models import Enrolment

DEFAULT_MINIMUM_MEETINGS = 3
TRAINEE_NOTE_MAX = 500


class MentorProfile(models.Model):
    """What the lead needs to know to match a mentor with a trainee. One per
    staff user who mentors; the user holds the Mentor role."""

    class Background(models.TextChoices):
        CLINICAL = "clinical", "Clinical"
        MANAGEMENT = "management", "Management"
        SUPPORT = "support", "Support"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentor_profile"
    )
    background = models.CharField(max_length=20, choices=Background.choices)
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The ward or team the mentor works in.",
    )
    preparatory_training_on = models.DateField(
        "preparatory training attended on", null=True, blank=True
    )
    support_meeting_on = models.DateField("support meeting attended on", null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        "how many trainees they can mentor at once",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    is_active = models.BooleanField(
        "taking trainees", default=True, help_text="Untick when the mentor is not available."
    )
    history = History()

    class Meta:
        ordering = ["user__full_name", "pk"]

    def __str__(self) -> str:
        return f"Mentor profile of {self.user}"


class CohortMentoring(models.Model):
    """Mentoring's own settings for a recruitment cohort."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="mentoring")
    minimum_meetings = models.PositiveSmallIntegerField(
        "minimum mentor meetings during the course",
        default=DEFAULT_MINIMUM_MEETINGS,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="Each trainee should meet their mentor at least this many times "
        "between the first and last day of the course.",
    )
    history = History()

    class Meta:
        verbose_name = "cohort mentoring settings"
        verbose_name_plural = "cohort mentoring settings"

    def __str__(self) -> str:
        return f"Mentoring settings of {self.cohort}"


class MentorAssignment(models.Model):
    """A mentor for a trainee's course, from one day to (when replaced or
    ended) another. Ended assignments stay as the history; a trainee has at
    most one active assignment, which the database enforces."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="mentor_assignments"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentor_assignments"
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField("why it ended", max_length=200, blank=True)
    warnings_accepted = models.TextField(
        blank=True, help_text="The warnings the lead read and accepted when assigning."
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["enrolment", "-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(ended_on__isnull=True),
                name="mentor_assignment_one_active_per_trainee",
                violation_error_message="This trainee already has a mentor.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="mentor_assignment_ends_after_start",
                violation_error_message="A mentoring cannot end before it started.",
            ),
        ]
        indexes = [models.Index(fields=["mentor", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.enrolment.person}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class MentorMeeting(models.Model):
    """One meeting (or shadowing, or other contact) a mentor logged with a
    trainee. The notes are for the mentor and the programme's leads only;
    the trainee adds a note of their own and confirms the meeting took place.

    ``form_token`` is the token of the form the meeting was sent from: a
    form sent twice (a double click) saves one meeting."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        SHADOWING = "shadowing", "Shadowing"
        OTHER = "other", "Other contact"

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        REMOTE = "remote", "Phone or video"

    # Only meetings count towards the cohort's minimum; shadowing and other
    # contact are logged for the record.
    COUNTED = (Kind.MEETING,)

    assignment = models.ForeignKey(
        MentorAssignment, on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField("date")
    minutes = models.PositiveSmallIntegerField(
        "length in minutes", validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEETING)
    mode = models.CharField(
        "in person or remote", max_length=20, choices=Mode.choices, default=Mode.IN_PERSON
    )
    notes = models.TextField(
        blank=True, help_text="Private: only you and the programme's leads can read them."
    )
    next_meeting_on = models.DateField("next meeting", null=True, blank=True)
    # The trainee's own part: a short note the mentor and the leads read, and
    # the trainee's word that the meeting took place. An unconfirmed meeting
    # counts towards the minimum all the same.
    trainee_note = models.CharField(
        "your note",
        max_length=TRAINEE_NOTE_MAX,
        blank=True,
        help_text="A short note of your own about this meeting. Your mentor can read it.",
    )
    trainee_confirmed_at = models.DateTimeField(
        "confirmed by the trainee at", null=True, blank=True
    )
    form_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["assignment", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%d %b %Y}"

    @property
    def counts(self) -> bool:
        return self.kind in self.COUNTED
