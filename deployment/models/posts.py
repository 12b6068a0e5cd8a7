"""The establishment: funded posts in services, and conversions of vacant
posts into peer worker posts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerprog.core.history import History
from peerprog.core.models import Programme, Service


class Band(models.TextChoices):
    """Agenda for Change pay bands."""

    BAND_2 = "2", "Band 2"
    BAND_3 = "3", "Band 3"
    BAND_4 = "4", "Band 4"
    BAND_5 = "5", "Band 5"
    BAND_6 = "6", "Band 6"
    BAND_7 = "7", "Band 7"
    BAND_8A = "8a", "Band 8a"
    BAND_8B = "8b", "Band 8b"
    BAND_8C = "8c", "Band 8c"
    BAND_8D = "8d", "Band 8d"
    BAND_9 = "9", "Band 9"


class PostRole(models.TextChoices):
    HCA = "hca", "Health Care Assistant"
    LXP = "lxp", "Peer worker (LXP)"
    LEAD_LXP = "lead_lxp", "Lead LXP"
    OTHER = "other", "Other"


# Posts that count as peer worker posts for appointments and retention.
PEER_ROLES = (PostRole.LXP, PostRole.LEAD_LXP)

DEFAULT_JOB_TITLES = {
    PostRole.LXP: "Lived Experience Practitioner",
    PostRole.LEAD_LXP: "Lead Lived Experience Practitioner",
}


class Post(models.Model):
    """One funded post on the establishment.

    A conversion never changes a post's role, band or hours: the original
    keeps them, is marked converted, and the peer worker post is a new post
    that points back to it (``converted_from``).
    """

    class Status(models.TextChoices):
        VACANT = "vacant", "Vacant"
        FILLED = "filled", "Filled"
        FROZEN = "frozen", "Frozen"
        CONVERTED = "converted", "Converted"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="posts")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="posts")
    position_number = models.CharField(
        max_length=40, help_text="The position number on the payroll or establishment system."
    )
    job_title = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=PostRole.choices)
    band = models.CharField("Agenda for Change band", max_length=3, choices=Band.choices)
    wte = models.DecimalField(
        "hours (WTE)",
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text="Whole-time equivalent: 1.00 is full time (37.5 hours a week).",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VACANT)
    converted_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="converted_to",
        help_text="The original post this peer worker post was converted from.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = History()

    class Meta:
        ordering = ["service__name", "position_number", "pk"]
        constraints = [
            # A converted original and the post it became share the position
            # number; among posts still on the establishment it is unique.
            models.UniqueConstraint(
                fields=["programme", "position_number"],
                condition=~Q(status="converted"),
                name="post_position_number_unique_in_programme",
                violation_error_message="Another post in this programme has this position number.",
            ),
            models.CheckConstraint(
                condition=Q(wte__gt=0) & Q(wte__lte=1),
                name="post_wte_between_0_and_1",
                violation_error_message="Hours (WTE) must be more than 0 and at most 1.",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status", "role"]),
            # The posts list's order within each service (the services are
            # walked by name through their own unique index): a page of the
            # list reads its posts without sorting the whole establishment.
            models.Index(
                fields=["service", "programme", "position_number", "id"],
                name="post_list_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position_number} {self.job_title}"

    @property
    def is_peer_post(self) -> bool:
        return self.role in PEER_ROLES

    @property
    def hours_per_week(self) -> Decimal:
        return (self.wte * Decimal("37.5")).quantize(Decimal("0.1"))

    def clean(self) -> None:
        super().clean()
        if self.service_id and self.programme_id and self.service.programme_id != self.programme_id:
            raise ValidationError({"service": "Choose a service of this programme."})


class PostConversion(models.Model):
    """A vacant post converted into a peer worker post: who, when, from what,
    to what and why. The from/to attributes are copied here so the record
    stays complete even after an undo removes the new post."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    original = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="conversions")
    new_post = models.OneToOneField(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversion",
    )
    from_job_title = models.CharField(max_length=200)
    from_role = models.CharField(max_length=20, choices=PostRole.choices)
    from_band = models.CharField(max_length=3, choices=Band.choices)
    from_wte = models.DecimalField(max_digits=3, decimal_places=2)
    to_job_title = models.CharField(max_length=200)
    to_role = models.CharField(max_length=20, choices=PostRole.choices)
    to_band = models.CharField(max_length=3, choices=Band.choices)
    to_wte = models.DecimalField(max_digits=3, decimal_places=2)
    reason = models.TextField()
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    converted_at = models.DateTimeField(default=timezone.now)
    # When the conversion was entered, beside when it was made: a conversion
    # entered long after it was made reminds nobody of dates already past.
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)
    history = History()

    class Meta:
        ordering = ["-converted_at", "-pk"]
        constraints = [
            # An original has at most one conversion in force.
            models.UniqueConstraint(
                fields=["original"],
                condition=Q(undone_at__isnull=True),
                name="post_conversion_one_in_force_per_post",
                violation_error_message="This post has already been converted.",
            )
        ]

    def __str__(self) -> str:
        return f"Conversion of {self.original}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
