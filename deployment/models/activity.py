"""What peer workers do in post, week by week: contacts by kind and
setting with their minutes, the topics they worked on (from the
programme's own editable list) and a short note that must never identify a
patient.

A week is recorded once per appointment and starts on a Monday. It
belongs to the month its Monday falls in, for every report.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from deployment.models.appointments import Appointment
from peerprog.core.history import History
from peerprog.core.models import Programme

NOTE_MAX_LENGTH = 280
# A week has 168 hours; nobody records more contact time than that.
MAX_MINUTES = 168 * 60

DEFAULT_TOPICS = (
    "Hope and recovery",
    "Daily living",
    "Community resources",
    "Discharge planning",
    "Wellbeing and relapse prevention",
    "Advocacy",
)


class ActivityKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"
    GROUP = "group", "Group"
    PHONE = "phone", "Phone"
    ACCOMPANYING = "accompanying", "Accompanying to appointments or into the community"
    TEAM_MEETING = "team_meeting", "Ward round or team meeting"
    TRAINING = "training", "Training delivered"


class ActivitySetting(models.TextChoices):
    WARD = "ward", "Ward"
    COMMUNITY = "community", "Community"
    RECOVERY_COLLEGE = "recovery_college", "Recovery college"
    VOLUNTARY_PARTNER = "voluntary_partner", "Voluntary partner"


class ActivityTopic(models.Model):
    """One topic of the programme's list, in its own words. A topic in use
    is archived, never deleted, so past weeks keep it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    archived = models.BooleanField(default=False)
    history = History()

    class Meta:
        ordering = ["position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="activity_topic_unique_name",
                violation_error_message="This programme already has a topic with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ActivityWeek(models.Model):
    """One peer worker's activity in one week (Monday to Sunday)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="activity_weeks"
    )
    week_starting = models.DateField("week starting")
    topics = models.ManyToManyField(ActivityTopic, blank=True, related_name="weeks")
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["-week_starting", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "week_starting"],
                name="activity_week_once_per_appointment",
                violation_error_message="This week is already recorded for this peer worker.",
            ),
            models.CheckConstraint(
                condition=Q(week_starting__iso_week_day=1),
                name="activity_week_starts_on_monday",
                violation_error_message="A week starts on a Monday.",
            ),
        ]
        indexes = [models.Index(fields=["programme", "week_starting"])]

    def __str__(self) -> str:
        return f"{self.appointment.person} week of {self.week_starting:%-d %B %Y}"


class ActivityLine(models.Model):
    """Contacts of one kind in one setting, and their minutes, in a week."""

    week = models.ForeignKey(ActivityWeek, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    setting = models.CharField(max_length=20, choices=ActivitySetting.choices)
    contacts = models.PositiveSmallIntegerField(
        "number of contacts", default=0, validators=[MaxValueValidator(500)]
    )
    minutes = models.PositiveIntegerField(
        "minutes", default=0, validators=[MaxValueValidator(MAX_MINUTES)]
    )
    history = History()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["week", "kind", "setting"],
                name="activity_line_once_per_kind_and_setting",
                violation_error_message="Each kind of contact in each setting goes on one line.",
            ),
            models.CheckConstraint(
                condition=Q(contacts__gt=0) | Q(minutes__gt=0),
                name="activity_line_not_empty",
                violation_error_message="A line needs contacts or minutes.",
            ),
            models.CheckConstraint(
                condition=Q(minutes__lte=MAX_MINUTES),
                name="activity_line_minutes_in_a_week",
                violation_error_message="A week has no more than 10,080 minutes.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.get_setting_display()}"
