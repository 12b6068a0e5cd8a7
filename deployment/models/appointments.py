"""Peer workers in post: appointments with their pre-employment checks,
absences with cover, and leaving. The induction checklist is in
``deployment.models.induction``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from deployment.models.posts import Post
from deployment.models.recruitment_day import Interview, ReserveEntry
from peerprog.core.history import History
from peerprog.core.models import Person, Programme, ReasonBase

FULL_TIME_HOURS = Decimal("37.5")


class LeavingReason(ReasonBase):
    """Why a peer worker left (editable wording, fixed reporting category)."""

    class Category(models.TextChoices):
        PAID_EMPLOYMENT = "paid_employment", "Paid employment elsewhere"
        FURTHER_STUDY = "further_study", "Further study"
        ILL_HEALTH = "ill_health", "Ill health"
        PERSONAL = "personal", "Personal factors"
        END_OF_CONTRACT = "end_of_contract", "End of fixed-term contract"
        DISMISSAL = "dismissal", "Dismissal"
        RETIREMENT = "retirement", "Retirement"
        OTHER = "other", "Other"

    HEALTH_CATEGORIES = (Category.ILL_HEALTH,)

    history = History()

    class Meta(ReasonBase.Meta):
        pass

    def clean(self) -> None:
        super().clean()
        if self.category in self.HEALTH_CATEGORIES:
            # A reason reported as ill health reveals health, whatever its wording.
            self.reveals_health = True


class Appointment(models.Model):
    """A person appointed to a peer worker post.

    An appointment is *offered* from the recruitment-day decision (or from
    the reserve list) while the pre-employment checks run, *in post* once
    HR confirms the start date, and ends as *left*, *transferred* (a move to
    another peer post: not a leaver) or *withdrawn* (the offer did not go
    ahead). Offered and in-post appointments are active: a post has at most
    one, which the database enforces.
    """

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered, checks under way"
        IN_POST = "in_post", "In post"
        LEFT = "left", "Left"
        TRANSFERRED = "transferred", "Transferred to another post"
        WITHDRAWN = "withdrawn", "Offer withdrawn"

    ACTIVE = (Status.OFFERED, Status.IN_POST)

    class Contract(models.TextChoices):
        PART_TIME = "part_time", "Part-time"
        FULL_TIME = "full_time", "Full-time"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="appointments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED)
    interview = models.OneToOneField(
        Interview, on_delete=models.PROTECT, null=True, blank=True, related_name="appointment"
    )
    reserve_entry = models.OneToOneField(
        ReserveEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="appointment"
    )
    transferred_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="transferred_to"
    )
    start_date = models.DateField("start date", null=True, blank=True)
    start_confirmed_at = models.DateTimeField(null=True, blank=True)
    start_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_override_reason = models.TextField(
        "reason for confirming with checks outstanding", blank=True
    )
    contract = models.CharField(
        "contracted hours", max_length=20, choices=Contract.choices, default=Contract.PART_TIME
    )
    hours_per_week = models.DecimalField(
        "hours a week",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(FULL_TIME_HOURS)],
    )
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="line_managed_appointments",
    )
    is_lead_lxp = models.BooleanField("Lead LXP", default=False)
    ended_on = models.DateField("last day in post", null=True, blank=True)
    leaving_reason = models.ForeignKey(
        LeavingReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = History()

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(status__in=["offered", "in_post"]),
                name="appointment_one_active_per_post",
                violation_error_message="Someone is already appointed to this post.",
            ),
            models.UniqueConstraint(
                fields=["person", "post"],
                condition=Q(status__in=["offered", "in_post"]),
                name="appointment_one_active_per_person_and_post",
                violation_error_message="This person is already appointed to this post.",
            ),
            models.CheckConstraint(
                condition=~Q(status="in_post") | Q(start_date__isnull=False),
                name="appointment_in_post_has_start_date",
                violation_error_message="Someone in post needs a start date.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["left", "transferred"]) | Q(ended_on__isnull=False),
                name="appointment_ended_has_last_day",
                violation_error_message="An appointment that ended needs the last day in post.",
            ),
            models.CheckConstraint(
                condition=~Q(status="left") | Q(leaving_reason__isnull=False),
                name="appointment_left_has_reason",
                violation_error_message="A leaver needs a reason.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(start_date__isnull=True)
                | Q(ended_on__gte=F("start_date")),
                name="appointment_ends_after_start",
                violation_error_message="The last day in post cannot be before the start date.",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.post}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def clean(self) -> None:
        super().clean()
        if self.hours_per_week is not None:
            if self.contract == self.Contract.FULL_TIME and self.hours_per_week < FULL_TIME_HOURS:
                raise ValidationError(
                    {"hours_per_week": f"Full-time is {FULL_TIME_HOURS} hours a week."}
                )
            if self.contract == self.Contract.PART_TIME and self.hours_per_week >= FULL_TIME_HOURS:
                raise ValidationError(
                    {"contract": f"{FULL_TIME_HOURS} hours a week is full-time, not part-time."}
                )
        if self.line_manager_id and self.line_manager.programme_id != self.programme_id:
            raise ValidationError({"line_manager": "Choose a member of staff of this programme."})


class PreEmploymentCheck(models.Model):
    """One of the four checks before a start date can be confirmed."""

    class Kind(models.TextChoices):
        DBS = "dbs", "DBS check"
        OCCUPATIONAL_HEALTH = "occupational_health", "Occupational health"
        REFERENCES = "references", "References"
        RIGHT_TO_WORK = "right_to_work", "Right to work"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        REQUESTED = "requested", "Requested"
        CLEARED = "cleared", "Cleared"
        NOT_CLEARED = "not_cleared", "Not cleared"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    requested_on = models.DateField("requested on", null=True, blank=True)
    completed_on = models.DateField("completed on", null=True, blank=True)
    history = History()

    class Meta:
        ordering = ["appointment", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind"], name="pre_employment_check_once_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(requested_on__isnull=True)
                | Q(completed_on__gte=F("requested_on")),
                name="pre_employment_check_completed_after_requested",
                violation_error_message="A check cannot be completed before it was requested.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"

    @property
    def is_outstanding(self) -> bool:
        return self.status != self.Status.CLEARED

    def clean(self) -> None:
        super().clean()
        if self.status in (self.Status.CLEARED, self.Status.NOT_CLEARED) and not self.completed_on:
            raise ValidationError({"completed_on": "Give the date the check was completed."})
        if self.status == self.Status.REQUESTED and not self.requested_on:
            raise ValidationError({"requested_on": "Give the date the check was requested."})


class Absence(models.Model):
    """An absence episode of a peer worker in post, and who covers it.

    For sickness, the health category lives in ``AbsenceHealth`` so that it
    is never loaded for anyone but HR and programme leads.
    """

    class Kind(models.TextChoices):
        SICKNESS = "sickness", "Sickness"
        ANNUAL_LEAVE = "annual_leave", "Annual leave"
        PARENTAL_LEAVE = "parental_leave", "Parental leave"
        OTHER_LEAVE = "other_leave", "Other leave"

    class Cover(models.TextChoices):
        NONE = "none", "No cover"
        WITHIN_TEAM = "within_team", "Covered within the team"
        RESERVE = "reserve", "A reserve peer worker"

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="absences")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField("first day of absence")
    ends_on = models.DateField("last day of absence", null=True, blank=True)
    cover = models.CharField(max_length=20, choices=Cover.choices, default=Cover.NONE)
    cover_reserve = models.ForeignKey(
        ReserveEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covered_absences",
        verbose_name="reserve peer worker",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = History()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="absence_ends_after_start",
                violation_error_message="An absence cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=(Q(cover="reserve") & Q(cover_reserve__isnull=False))
                | (~Q(cover="reserve") & Q(cover_reserve__isnull=True)),
                name="absence_reserve_cover_names_reserve",
                violation_error_message="Reserve cover names the reserve peer worker, "
                "and only reserve cover does.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.starts_on:%-d %B %Y}"

    @property
    def days(self) -> int | None:
        if self.ends_on is None:
            return None
        return (self.ends_on - self.starts_on).days + 1


class AbsenceHealth(models.Model):
    """The health category of a sickness absence: special-category data,
    read and written by HR and programme leads, and shown to no one else but
    the peer worker it is about, on their own job page (it is a coded
    category, never a free-text note)."""

    class Category(models.TextChoices):
        MENTAL_HEALTH = "mental_health", "Mental health"
        MUSCULOSKELETAL = "musculoskeletal", "Musculoskeletal"
        OTHER_PHYSICAL = "other_physical", "Other physical health"
        INJURY_AT_WORK = "injury_at_work", "Injury at work"
        NOT_DISCLOSED = "not_disclosed", "Not disclosed"

    absence = models.OneToOneField(Absence, on_delete=models.CASCADE, related_name="health")
    category = models.CharField("health category", max_length=30, choices=Category.choices)
    history = History()

    class Meta:
        verbose_name = "absence health category"
        verbose_name_plural = "absence health categories"

    def __str__(self) -> str:
        return f"Health category of absence #{self.absence_id}"
