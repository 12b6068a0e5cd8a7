"""Cohorts (intakes of the training course) and the applications that fill them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from peerprog.core.dates import recorded_later
from peerprog.core.history import History
from peerprog.core.models import Person, Programme, ReasonBase


class Cohort(models.Model):
    """One intake of the 12-week training course."""

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        RECRUITING = "recruiting", "Recruiting"
        IN_TRAINING = "in_training", "In training"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=200)
    applications_open = models.DateField("applications open")
    applications_close = models.DateField("applications close")
    training_start = models.DateField("training starts")
    training_end = models.DateField("training ends")
    capacity = models.PositiveIntegerField(help_text="How many trainees the course can take.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = History()

    class Meta:
        ordering = ["-training_start", "name"]
        # Searches and lists read a programme's cohorts newest first: the
        # database takes them in that order and stops once a page is full.
        indexes = [
            models.Index(fields=["programme", "-training_start"], name="cohort_newest_first")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="cohort_name_unique_in_programme"
            ),
            models.CheckConstraint(
                condition=Q(applications_close__gte=F("applications_open")),
                name="cohort_applications_close_after_open",
                violation_error_message="Applications must close on or after the day they open.",
            ),
            models.CheckConstraint(
                condition=Q(training_end__gt=F("training_start")),
                name="cohort_training_ends_after_start",
                violation_error_message="Training must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UnsuccessfulReason(ReasonBase):
    """Why an application did not lead to a place (editable wording)."""

    class Category(models.TextChoices):
        NOT_READY_FOR_TRAINING = "not_ready", "Not yet able to complete a training programme"
        NEEDS_VOLUNTEERING = "needs_volunteering", "Needs more volunteering experience"
        NOT_ELIGIBLE = "not_eligible", "Does not meet the criteria"
        COHORT_FULL = "cohort_full", "No places left"
        OTHER = "other", "Other"

    class Meta(ReasonBase.Meta):
        pass

    @property
    def category_label(self) -> str:
        labels = dict(self.Category.choices)
        return str(labels.get(self.category, self.category))


class WithdrawalReason(ReasonBase):
    """Why an applicant withdrew (editable wording)."""

    class Category(models.TextChoices):
        PAID_EMPLOYMENT = "paid_employment", "Found paid employment"
        STUDY = "study", "Further study"
        HEALTH = "health", "Health"
        PERSONAL = "personal", "Personal factors"
        OTHER = "other", "Other"

    class Meta(ReasonBase.Meta):
        pass

    @property
    def category_label(self) -> str:
        labels = dict(self.Category.choices)
        return str(labels.get(self.category, self.category))


class DeferralReason(ReasonBase):
    """Why an application was deferred to a later cohort (editable wording)."""

    class Category(models.TextChoices):
        COURSE_DATES = "course_dates", "The course dates do not suit"
        NEEDS_EXPERIENCE = "needs_experience", "More experience needed first"
        WORK_OR_STUDY = "work_or_study", "Work or study commitments"
        CARING = "caring", "Caring responsibilities"
        HEALTH = "health", "Health"
        PERSONAL = "personal", "Personal factors"
        COHORT_FULL = "cohort_full", "No places left in this cohort"
        OTHER = "other", "Other"

    class Meta(ReasonBase.Meta):
        pass

    @property
    def category_label(self) -> str:
        labels = dict(self.Category.choices)
        return str(labels.get(self.category, self.category))


class Application(models.Model):
    """One person's application to one cohort."""

    class Source(models.TextChoices):
        EXISTING_VOLUNTEER = "existing_volunteer", "Existing volunteer"
        EMAIL = "email", "E-mail"
        FLYER = "flyer", "Flyer"
        FACE_TO_FACE = "face_to_face", "Face-to-face"
        JOB_SITE = "job_site", "Job site"
        STAFF_RECOMMENDATION = "staff_recommendation", "Staff recommendation"
        OTHER = "other", "Other"

    class Arrival(models.TextChoices):
        """How the application reached the programme (not where the person
        heard of it: that is ``source``)."""

        ONLINE = "online", "Online"
        BY_HAND = "by_hand", "By hand"
        IMPORTED = "imported", "Imported"

    class Pathway(models.TextChoices):
        NEW_RECRUIT = "new_recruit", "New recruit"
        EXISTING_PEER_WORKFORCE = "existing_workforce", "Assigned from the existing peer workforce"

    class Stage(models.TextChoices):
        RECEIVED = "received", "Received"
        SHORTLISTED = "shortlisted", "Shortlisted"
        INVITED = "invited", "Invited to information event"
        OFFERED = "offered", "Offered a place"
        ACCEPTED = "accepted", "Accepted"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DEFERRED = "deferred", "Deferred to a later cohort"

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    received_on = models.DateField(default=timezone.localdate)
    # Where the person heard of the programme.
    source = models.CharField(max_length=30, choices=Source.choices, default=Source.OTHER)
    arrived = models.CharField(
        "how it arrived", max_length=20, choices=Arrival.choices, default=Arrival.BY_HAND
    )
    # What an applicant who was already on record gave on the public form
    # where it differs from their record: the form never changes a record,
    # so the lead uses these details or ignores them. Empty once decided.
    details_given = models.JSONField(
        "details as given",
        default=dict,
        blank=True,
        help_text="Details the applicant gave online that differ from their record.",
    )
    pathway = models.CharField(max_length=30, choices=Pathway.choices, default=Pathway.NEW_RECRUIT)
    statement = models.TextField(
        "personal statement", blank=True, help_text="Seen by programme leads and HR only."
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RECEIVED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    unsuccessful_reason = models.ForeignKey(
        UnsuccessfulReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.ForeignKey(
        WithdrawalReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Applications deferred before reasons were coded have none.
    deferral_reason = models.ForeignKey(
        DeferralReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deferred_to = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deferred_from",
        help_text="The application in the later cohort that this one was deferred to.",
    )
    history = History()

    class Meta:
        ordering = ["cohort", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "person"],
                name="application_once_per_person_per_cohort",
                violation_error_message="This person has already applied to this cohort.",
            ),
            models.CheckConstraint(
                condition=~Q(stage="unsuccessful") | Q(unsuccessful_reason__isnull=False),
                name="application_unsuccessful_has_reason",
                violation_error_message="An unsuccessful application needs a reason.",
            ),
            models.CheckConstraint(
                condition=~Q(stage="deferred") | Q(deferred_to__isnull=False),
                name="application_deferred_has_later_application",
                violation_error_message="A deferred application must link to the later cohort.",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "stage"])]

    def __str__(self) -> str:
        return f"{self.person} to {self.cohort}"


class ApplicationMove(models.Model):
    """One step on an application's timeline: who moved it, when and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=20, choices=Application.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Application.Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField("happened at", default=timezone.now)
    recorded_at = models.DateTimeField("recorded at", default=timezone.now)
    note = models.TextField(blank=True)
    overrode_capacity = models.BooleanField(
        default=False, help_text="The lead offered a place beyond the cohort's capacity."
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["application", "at"]),
            # A cohort's figures count the applications ever moved to a stage.
            models.Index(fields=["to_stage", "application"], name="move_to_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} to {self.to_stage}"

    @property
    def recorded_later(self) -> bool:
        """Entered on a later day than the move happened."""
        return recorded_later(happened=self.at, recorded=self.recorded_at)


class InformationEvent(models.Model):
    """An information event or pre-training meeting for a cohort's applicants,
    and who came to it."""

    class Kind(models.TextChoices):
        INFORMATION_EVENT = "information_event", "Information event"
        PRE_TRAINING_MEETING = "pre_training_meeting", "Pre-training meeting"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.INFORMATION_EVENT)
    held_on = models.DateField("date")
    starts_at = models.TimeField("start time", null=True, blank=True)
    place = models.CharField(max_length=200)
    notes = models.TextField(
        blank=True, help_text="Practical notes only (room, parking). No personal details."
    )
    attendees = models.ManyToManyField(
        Application, blank=True, related_name="events_attended", verbose_name="who attended"
    )
    history = History(m2m_fields=[attendees])

    class Meta:
        ordering = ["held_on", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.place}"
