"""From advert to decision: vacancies, candidates, the recruitment day with
its panels and interview slots, and the reserve list."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from deployment.models.posts import Post
from peerprog.core.history import History
from peerprog.core.models import Person, Programme, Service


class Vacancy(models.Model):
    """A vacant peer worker post advertised for graduates to apply to."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="vacancies")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="vacancies")
    advert_reference = models.CharField(
        "advert reference", max_length=100, help_text="The reference on the external job site."
    )
    closing_date = models.DateField("closing date")
    opened_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = History()

    class Meta:
        ordering = ["closing_date", "pk"]
        verbose_name_plural = "vacancies"
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(status="open"),
                name="vacancy_one_open_per_post",
                violation_error_message="This post is already advertised.",
            ),
            models.CheckConstraint(
                condition=Q(closing_date__gte=F("opened_on")),
                name="vacancy_closes_after_it_opens",
                violation_error_message="The closing date cannot be before the advert opens.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.advert_reference}: {self.post.job_title}"


class Candidate(models.Model):
    """An eligible graduate who applied for a vacancy."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        SHORTLISTED = "shortlisted", "Shortlisted"
        NOT_SHORTLISTED = "not_shortlisted", "Not shortlisted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="post_candidacies")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField(default=timezone.localdate)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = History()

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "person"],
                name="candidate_once_per_vacancy",
                violation_error_message="This person is already a candidate for this vacancy.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.vacancy}"


class RecruitmentDay(models.Model):
    """The central day when shortlisted candidates are interviewed by panels
    of the recruiting services."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="recruitment_days"
    )
    date = models.DateField()
    venue = models.CharField(max_length=200)
    arrangements = models.TextField(
        blank=True, help_text="Practical arrangements for organisers (rooms, refreshments)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = History()

    class Meta:
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"Recruitment day, {self.date:%-d %B %Y}"


class Panel(models.Model):
    day = models.ForeignKey(RecruitmentDay, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(max_length=100, help_text="For example “Panel A”.")
    room = models.CharField(max_length=100, blank=True)
    history = History()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "name"],
                name="panel_name_unique_on_day",
                violation_error_message="This day already has a panel with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    """A representative of a recruiting service (or the programme) on a
    panel. Representatives need not have an account."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The service they represent; leave empty for the programme team.",
    )
    history = History()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Interview(models.Model):
    """One candidate's interview slot on the day, and the panel's decision."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Not decided yet"
        APPOINT = "appoint", "Appoint"
        RESERVE = "reserve", "Place on the reserve list"
        NOT_APPOINTED = "not_appointed", "Not appointed"

    day = models.ForeignKey(RecruitmentDay, on_delete=models.CASCADE, related_name="interviews")
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="interview")
    panel = models.ForeignKey(
        Panel, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews"
    )
    starts_at = models.TimeField("starts at")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    notes = models.TextField(
        "panel's notes", blank=True, help_text="Seen by HR and programme leads only."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = History()

    class Meta:
        ordering = ["starts_at", "panel__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "starts_at"],
                name="interview_panel_slot_once",
                violation_error_message="This panel already has an interview at this time.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate.person} at {self.starts_at:%H:%M}"


class ReserveEntry(models.Model):
    """A person on the reserve list: not an appointment (no post), but ready
    to be appointed to a post that falls vacant or to cover a long absence
    while the entry stands."""

    class Status(models.TextChoices):
        STANDING = "standing", "On the reserve list"
        APPOINTED = "appointed", "Appointed to a post"
        REMOVED = "removed", "Taken off the list"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reserve_entries")
    placed_on = models.DateField("placed on the list")
    stands_until = models.DateField("stands until")
    interview = models.OneToOneField(
        Interview, on_delete=models.PROTECT, null=True, blank=True, related_name="reserve_entry"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.STANDING)
    history = History()

    class Meta:
        ordering = ["stands_until", "pk"]
        verbose_name_plural = "reserve entries"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person"],
                condition=Q(status="standing"),
                name="reserve_entry_one_standing_per_person",
                violation_error_message="This person is already on the reserve list.",
            ),
            models.CheckConstraint(
                condition=Q(stands_until__gt=F("placed_on")),
                name="reserve_entry_stands_after_placed",
                violation_error_message="The entry must stand until a date after it was placed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} (reserve until {self.stands_until:%-d %B %Y})"

    def is_standing_on(self, day: date) -> bool:
        return self.status == self.Status.STANDING and self.placed_on <= day <= self.stands_until

    @property
    def is_lapsed(self) -> bool:
        """Still marked standing, but its period has run out."""
        return self.status == self.Status.STANDING and self.stands_until < timezone.localdate()

    @property
    def status_label(self) -> str:
        if self.is_lapsed:
            return f"Lapsed on {self.stands_until:%-d %B %Y}"
        return self.get_status_display()
