"""Supervision of employed peer workers: who supervises whom (with a cover
supervisor and an agreed frequency), the individual and group sessions,
each worker's wellbeing plan with a log of every read, and the continuing
development sessions led by the Lead LXP.

A supervisee is a person (not an appointment): supervision carries on when a
peer worker moves between posts. Whether someone is employed is deployment's
to say; supervision asks it through deployment's selectors.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from peerprog.core.history import History
from peerprog.core.models import Person, Programme


class Frequency(models.IntegerChoices):
    WEEKLY = 7, "Every week"
    FORTNIGHTLY = 14, "Every two weeks"
    FOUR_WEEKLY = 28, "Every four weeks"
    SIX_WEEKLY = 42, "Every six weeks"


class SupervisionAssignment(models.Model):
    """A supervisor for a peer worker, kept distinct from line management,
    with a cover supervisor for when the supervisor is away. Ended
    assignments stay as the history; one active assignment per person."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="supervision_assignments"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions"
    )
    cover_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covered_supervisions",
        help_text="Supervises when the supervisor is away.",
    )
    frequency_days = models.PositiveSmallIntegerField(
        "agreed frequency", choices=Frequency.choices, default=Frequency.FOUR_WEEKLY
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField("why it ended", max_length=200, blank=True)
    warnings_accepted = models.TextField(blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["person", "-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="supervision_assignment_one_active_per_person",
                violation_error_message="This peer worker already has a supervisor.",
            ),
            models.CheckConstraint(
                condition=Q(cover_supervisor__isnull=True) | ~Q(cover_supervisor=F("supervisor")),
                name="supervision_cover_is_someone_else",
                violation_error_message="The cover supervisor must be someone else.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="supervision_assignment_ends_after_start",
                violation_error_message="A supervision cannot end before it started.",
            ),
        ]
        indexes = [
            models.Index(fields=["supervisor", "ended_on"]),
            models.Index(fields=["cover_supervisor", "ended_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} supervising {self.person}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class SupervisionSession(models.Model):
    """One supervision session, individual or group (several peer workers,
    one record), covering one or both areas of peer supervision. The notes
    are for the supervisor and the programme's leads only."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        GROUP = "group", "Group"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    held_on = models.DateField("date")
    minutes = models.PositiveSmallIntegerField(
        "length in minutes", validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    keeping_well = models.BooleanField("keeping well and in recovery", default=False)
    developing_role = models.BooleanField(
        "developing the role, including operational and employment matters", default=False
    )
    after_challenging_event = models.BooleanField(
        "extra support after a challenging event", default=False
    )
    notes = models.TextField(
        blank=True, help_text="Private: only you and the programme's leads can read them."
    )
    shared_summary = models.TextField(
        "summary shared with the peer worker",
        blank=True,
        help_text="Optional. The peer worker (each one, for a group) reads this on their own "
        "pages; leave it empty to share nothing. Your notes above stay private.",
    )
    attendees = models.ManyToManyField(
        Person, through="SupervisionAttendance", related_name="supervision_sessions"
    )
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_supervisions"
    )
    form_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recorded_at = models.DateTimeField(default=timezone.now)
    history = History()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(keeping_well=True) | Q(developing_role=True),
                name="supervision_session_covers_an_area",
                violation_error_message="Say which area of supervision the session covered.",
            )
        ]
        indexes = [
            models.Index(fields=["programme", "held_on"]),
            # The lead's overview finds who attended a session since a day
            # (the overdue rule, counted in the database), across programmes'
            # sessions as the rule has always read them.
            models.Index(fields=["held_on"], name="supervision_session_held_on"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} supervision on {self.held_on:%d %b %Y}"

    @property
    def areas(self) -> list[str]:
        names = []
        if self.keeping_well:
            names.append("Keeping well and in recovery")
        if self.developing_role:
            names.append("Developing the role")
        return names


class SupervisionAttendance(models.Model):
    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    history = History()

    class Meta:
        ordering = ["session", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="supervision_attendance_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.session}"


class WellbeingPlan(models.Model):
    """The peer worker's own plan for keeping well at work, written with
    them, held by their supervisor, reviewed on agreed dates. Besides the
    peer worker, only the supervisor and the programme's leads read it, and
    every read of theirs is logged.

    The four sections are the peer worker's own words: they change them on
    their own pages; the supervisor records agreement and review dates.
    ``version`` goes up by one on every save, and a save names the version
    it started from: the database refuses the UPDATE when someone saved in
    between (see ``_do_update``), so nobody overwrites a newer change
    unseen."""

    SECTIONS = ("keeping_well", "early_signs", "what_helps", "contacts")

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="wellbeing_plan")
    keeping_well = models.TextField("what helps me keep well at work")
    early_signs = models.TextField("signs that I may be becoming unwell", blank=True)
    what_helps = models.TextField("what I would like others to do then", blank=True)
    contacts = models.TextField("who to contact", blank=True)
    agreed_on = models.DateField("agreed on", default=timezone.localdate)
    review_due = models.DateField("next review due")
    last_reviewed_on = models.DateField("last reviewed on", null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = History()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due__gte=F("agreed_on")),
                name="wellbeing_plan_review_after_agreement",
                violation_error_message="The review cannot be due before the plan was agreed.",
            )
        ]

    def __str__(self) -> str:
        return f"Wellbeing plan #{self.pk}"

    def _do_update(
        self,
        base_qs: Any,
        using: Any,
        pk_val: Any,
        values: Any,
        update_fields: Any,
        forced_update: Any,
    ) -> bool:
        # The version the save started from, set by the services: the
        # UPDATE's WHERE clause names it, so a save that lost a race
        # changes no row (and ``save(force_update=True)`` then raises).
        started_from = getattr(self, "_saved_over_version", None)
        if started_from is not None:
            base_qs = base_qs.filter(version=started_from)
        return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)


class DevelopmentSession(models.Model):
    """A continuing development session for employed peer workers, led by
    the Lead LXP, with who attended."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("date")
    topic = models.CharField(max_length=200)
    minutes = models.PositiveSmallIntegerField(
        "length in minutes",
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    led_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_development_sessions",
        help_text="The Lead LXP who led it.",
    )
    attendees = models.ManyToManyField(Person, blank=True, related_name="development_sessions")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = History(m2m_fields=[attendees])

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on:%d %b %Y})"
