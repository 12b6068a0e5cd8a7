"""Team readiness: preparation workshops for the services and teams that
receive peer workers, and the organisational-conditions survey.

The survey's instrument is made of domains and items. An item's wording is
versioned: editing it adds a version, and a survey round keeps the exact
versions it asked (``RoundQuestion``), so old results still read as they
were asked. Respondents answer through a link of their own; only a hash of
the link's token is stored. Answers keep no history and name nobody: a
respondent record carries only what the comparisons need (stakeholder group,
setting, organisation).

These models began in deployment and keep the tables they were made with
(``deployment_...``), so moving them to this app touched no stored row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerprog.core.history import History
from peerprog.core.models import Organisation, Programme, Service

# Preparation workshops -----------------------------------------------------


class PreparationWorkshop(models.Model):
    """A preparation workshop held with a service's or ward's team before a
    peer worker starts there."""

    TOPICS = (
        ("topic_role", "What the peer role is and is not"),
        ("topic_lived_experience", "Sharing lived experience"),
        ("topic_boundaries", "Boundaries"),
        ("topic_referrals_notes", "How referrals and note-keeping will work"),
        ("topic_supervision", "Supervision and line management"),
    )

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="preparation_workshops"
    )
    held_on = models.DateField("date held")
    delivered_by = models.CharField(
        "delivered by", max_length=300, help_text="The names of the people who ran it."
    )
    co_delivered_by_peer = models.BooleanField("co-delivered by a peer worker", default=False)
    staff_names = models.TextField(
        "staff who attended",
        blank=True,
        help_text="Optional: names of the staff who came, one a line. Or give counts by role.",
    )
    topic_role = models.BooleanField("what the peer role is and is not", default=False)
    topic_lived_experience = models.BooleanField("sharing lived experience", default=False)
    topic_boundaries = models.BooleanField("boundaries", default=False)
    topic_referrals_notes = models.BooleanField(
        "how referrals and note-keeping will work", default=False
    )
    topic_supervision = models.BooleanField("supervision and line management", default=False)
    other_topics = models.CharField("other topics", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = History(table_name="deployment_historicalpreparationworkshop")

    class Meta:
        db_table = "deployment_preparationworkshop"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["service", "held_on"])]

    def __str__(self) -> str:
        return f"Preparation workshop for {self.service} on {self.held_on:%-d %B %Y}"

    @property
    def topics(self) -> list[str]:
        chosen = [label for field, label in self.TOPICS if getattr(self, field)]
        if self.other_topics:
            chosen.append(self.other_topics)
        return chosen


class WorkshopAttendance(models.Model):
    """How many staff of one role came to a workshop."""

    class StaffRole(models.TextChoices):
        NURSE = "nurse", "Nurses"
        HEALTHCARE_ASSISTANT = "hca", "Healthcare assistants and support workers"
        DOCTOR = "doctor", "Doctors"
        THERAPIST = "therapist", "Therapists and allied health professionals"
        SOCIAL_WORKER = "social_worker", "Social workers"
        MANAGER = "manager", "Managers"
        OTHER = "other", "Other staff"

    workshop = models.ForeignKey(
        PreparationWorkshop, on_delete=models.CASCADE, related_name="attendance"
    )
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    count = models.PositiveSmallIntegerField()
    history = History(table_name="deployment_historicalworkshopattendance")

    class Meta:
        db_table = "deployment_workshopattendance"
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "role"], name="workshop_attendance_once"),
            models.CheckConstraint(condition=Q(count__gt=0), name="workshop_attendance_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.get_role_display().lower()}"


# The organisational-conditions survey ---------------------------------------


class SurveyInstrument(models.Model):
    """A questionnaire: domains of items, each asked twice."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = History(table_name="deployment_historicalsurveyinstrument")

    class Meta:
        db_table = "deployment_surveyinstrument"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="survey_instrument_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SurveyDomain(models.Model):
    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.CASCADE, related_name="domains"
    )
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    history = History(table_name="deployment_historicalsurveydomain")

    class Meta:
        db_table = "deployment_surveydomain"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "title"], name="survey_domain_title_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SurveyItem(models.Model):
    """One condition asked about. Its wording lives in versions; ``wording``
    is the current one, kept here so lists need no extra query."""

    domain = models.ForeignKey(SurveyDomain, on_delete=models.PROTECT, related_name="items")
    wording = models.CharField(max_length=500)
    version = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        "asked in new rounds", default=True, help_text="Untick to stop asking this item."
    )
    history = History(table_name="deployment_historicalsurveyitem")

    class Meta:
        db_table = "deployment_surveyitem"
        ordering = ["domain__order", "order", "pk"]

    def __str__(self) -> str:
        return self.wording


class SurveyItemVersion(models.Model):
    """The exact wording of an item at one version. Never changed."""

    item = models.ForeignKey(SurveyItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    wording = models.CharField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "deployment_surveyitemversion"
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="survey_item_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.wording} (version {self.number})"


class SurveyRound(models.Model):
    """One run of an instrument in a programme, optionally for chosen
    services. Its links stop working at the end of its closing date, or
    when a lead closes it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(max_length=200)
    services = models.ManyToManyField(
        Service, blank=True, related_name="survey_rounds", help_text="Leave empty for all."
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = History(m2m_fields=[services], table_name="deployment_historicalsurveyround")

    class Meta:
        db_table = "deployment_surveyround"
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title"], name="survey_round_title_unique"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="survey_round_closes_after_opening",
                violation_error_message="The closing date cannot be before the opening date.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: object) -> bool:
        return self.closed_at is None and self.opens_on <= day <= self.closes_on  # type: ignore[operator]


class RoundQuestion(models.Model):
    """An item as a round asked it: the version, and where it stood."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="questions")
    item = models.ForeignKey(SurveyItem, on_delete=models.PROTECT, related_name="+")
    item_version = models.ForeignKey(SurveyItemVersion, on_delete=models.PROTECT, related_name="+")
    domain_title = models.CharField(max_length=200)
    number = models.PositiveSmallIntegerField()

    class Meta:
        db_table = "deployment_roundquestion"
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "item"], name="round_question_item_once"),
            models.UniqueConstraint(fields=["round", "number"], name="round_question_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.item_version.wording}"


class StakeholderGroup(models.TextChoices):
    PEER_WORKER = "peer_worker", "Peer worker"
    SERVICE_USER = "service_user", "Service user"
    NON_PEER_STAFF = "non_peer_staff", "Staff member (not a peer worker)"
    LINE_MANAGER = "line_manager", "Line manager"
    STRATEGIC_MANAGER = "strategic_manager", "Strategic manager"
    COMMISSIONER = "commissioner", "Commissioner"


class RespondentSetting(models.TextChoices):
    ACUTE_INPATIENT = "acute_inpatient", "Acute inpatient"
    REHAB_INPATIENT = "rehab_inpatient", "Rehabilitation inpatient"
    COMMUNITY = "community", "Community"
    BME_SPECIFIC = "bme_specific", "BME-specific"
    OTHER = "other", "Other or several settings"


class SurveyRespondent(models.Model):
    """One person's link to a round and their one response.

    Only a hash of the link's token is kept. ``user`` is set when a member
    of staff was invited (a mentor, say); results never show it.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        DRAFT = "draft", "Started, not sent"
        SUBMITTED = "submitted", "Sent"

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="respondents")
    token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    stakeholder_group = models.CharField(
        max_length=30, choices=StakeholderGroup.choices, blank=True
    )
    setting = models.CharField(max_length=30, choices=RespondentSetting.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "deployment_surveyrespondent"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=Q(user__isnull=False),
                name="survey_respondent_user_once_per_round",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | (Q(submitted_at__isnull=False) & ~Q(stakeholder_group="") & ~Q(setting="")),
                name="survey_respondent_submitted_complete",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"Respondent #{self.pk}"


class Happening(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    DONT_KNOW = "dont_know", "Don't know"
    NOT_RELEVANT = "not_relevant", "Not relevant"


IMPORTANCE_LABELS = {1: "Not at all", 2: "A little", 3: "Very", 4: "Extremely"}


class SurveyAnswer(models.Model):
    """A respondent's two answers to one question. No history is kept."""

    respondent = models.ForeignKey(
        SurveyRespondent, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(RoundQuestion, on_delete=models.PROTECT, related_name="answers")
    happening = models.CharField(max_length=20, choices=Happening.choices, blank=True)
    importance = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        db_table = "deployment_surveyanswer"
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "question"], name="survey_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(importance__isnull=True) | Q(importance__gte=1, importance__lte=4),
                name="survey_answer_importance_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(happening__in=["", *Happening.values]),
                name="survey_answer_happening_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer #{self.pk}"
