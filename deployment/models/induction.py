"""Induction as a checklist: each programme keeps an editable template of
induction items (services may add their own), and every appointment gets
its own checklist built from it, with who owns each item, when it is due
(days after the start date) and the day it was done."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from deployment.models.appointments import Appointment
from peerprog.core.history import History
from peerprog.core.models import Programme, Service


class InductionOwner(models.TextChoices):
    """Who sees an item through, and so who is reminded when it is overdue."""

    HR = "hr", "HR"
    LINE_MANAGER = "line_manager", "Line manager"
    SUPERVISOR = "supervisor", "Supervisor"
    PEER_WORKER = "peer_worker", "Peer worker"


# The longest an item may be due after the start date: one year.
MAX_DUE_DAYS = 366


class InductionTemplateItem(models.Model):
    """One item of a programme's induction template. An item with a service
    is added for that service's posts only. ``key`` marks the standard items
    (those the old fixed induction dates moved into); archived items are no
    longer added to new checklists."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leave empty for every service; choose one to add the item for its posts only.",
    )
    title = models.CharField(max_length=120)
    key = models.SlugField(max_length=40, blank=True, editable=False)
    owner = models.CharField(max_length=20, choices=InductionOwner.choices)
    due_days = models.PositiveSmallIntegerField(
        "due, in days after the start date",
        validators=[MaxValueValidator(MAX_DUE_DAYS)],
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_archived = models.BooleanField("archived", default=False)
    history = History()

    class Meta:
        ordering = ["order", "due_days", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "service", "title"],
                nulls_distinct=False,
                name="induction_template_item_title_unique",
                violation_error_message="The template already has an item with this title.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class InductionItem(models.Model):
    """One item of one appointment's induction checklist."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="induction_items"
    )
    template_item = models.ForeignKey(
        InductionTemplateItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=120)
    owner = models.CharField(max_length=20, choices=InductionOwner.choices)
    due_days = models.PositiveSmallIntegerField(
        "due, in days after the start date", validators=[MaxValueValidator(MAX_DUE_DAYS)]
    )
    order = models.PositiveSmallIntegerField(default=0)
    done_on = models.DateField("done on", null=True, blank=True)
    done_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Reminders are for items that fall overdue after they were entered: a
    # checklist built for someone in post for months raises no flood.
    created_on = models.DateField(default=timezone.localdate, editable=False)
    history = History()

    class Meta:
        ordering = ["appointment", "order", "due_days", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "title"],
                name="induction_item_title_unique",
                violation_error_message="This checklist already has an item with this title.",
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_recorded_by__isnull=False),
                name="induction_item_done_has_recorder",
                violation_error_message="A done item records who said so.",
            ),
        ]
        indexes = [models.Index(fields=["done_on", "owner"])]

    def __str__(self) -> str:
        return self.title

    def due_on(self, start_date: date | None) -> date | None:
        return start_date + timedelta(days=self.due_days) if start_date else None
