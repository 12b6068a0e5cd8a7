"""The person record that every app shares.

Special-category facts about a person (disability, equality monitoring,
reasonable adjustments) live in their own models so that a page can show a
person without ever loading them, and so that only HR and programme leads
reach them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from peerprog.core.equality import (
    AgeBand,
    EthnicCategory,
    GenderIdentity,
    ReligionOrBelief,
    Sex,
    SexualOrientation,
)
from peerprog.core.history import History
from peerprog.core.models.organisation import Programme
from peerprog.core.models.users import User

# A person's name and contact details, in the order every page and import
# asks for them: the person form, an application added by hand and the
# applications import.
PERSON_CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "email",
    "phone",
    "date_of_birth",
    "address",
    "email_allowed",
)


class Person(models.Model):
    """One peer, from first application to employee, shared by every app.

    Holds only what staff in any role may need to see to do their job.
    Disability, equality monitoring and adjustments are in SensitiveFacts
    and ReasonableAdjustment.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="people")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="The name the person likes to be called."
    )
    email = models.EmailField("e-mail address", blank=True)
    phone = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True, help_text="For letters sent by post.")
    email_allowed = models.BooleanField(
        "agrees to e-mail",
        default=False,
        help_text="The person has agreed to be contacted by e-mail.",
    )
    hard_copy_letters = models.BooleanField(
        "wants letters on paper", default=False, help_text="Send letters and packs by post."
    )
    # The person's own account, once they have been invited. One account may
    # hold the person's records in more than one programme (one each), and
    # may also hold a staff role.
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    # When the person was last invited to their account (or told that their
    # existing account now holds this record): shown on the person's page.
    invited_at = models.DateTimeField("invited to an account", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = History()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        # Lists and the search read a programme's people in name order; with
        # this index the database walks them in that order and stops at the
        # first page, however many people match a short query.
        indexes = [
            models.Index(
                fields=["programme", "last_name", "first_name", "id"], name="person_name_order"
            )
        ]
        constraints = [
            # E-mail addresses are unique within a programme, ignoring case.
            # Programmes are kept apart, so a clash with another programme's
            # record must not be reported to this one.
            models.UniqueConstraint(
                "programme",
                Lower("email"),
                condition=~Q(email=""),
                name="person_email_unique_in_programme",
                violation_error_message=(
                    "Someone in this programme already has this e-mail address."
                ),
            ),
            models.UniqueConstraint(
                fields=["programme", "user"],
                condition=Q(user__isnull=False),
                name="person_account_once_in_programme",
                violation_error_message="This account already holds a record in this programme.",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_shown(self.first_name, self.preferred_name, self.last_name)

    @staticmethod
    def name_shown(first_name: str, preferred_name: str, last_name: str) -> str:
        """The name a person is shown by, from its parts (for lists read as
        values rather than records)."""
        return f"{preferred_name or first_name} {last_name}".strip()

    @property
    def legal_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()


class SensitiveFacts(models.Model):
    """Special-category facts about a person. Read and written only by HR and
    programme leads of the person's programme, through permission-checked
    pages; never in the Django admin, never in exports for other roles."""

    class Disclosure(models.TextChoices):
        NOT_ASKED = "not_asked", "Not asked yet"
        YES = "yes", "Yes, has told us of a disability"
        NO = "no", "No disability"
        PREFER_NOT = "prefer_not", "Prefers not to say"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="sensitive")
    disability = models.CharField(
        "disability", max_length=20, choices=Disclosure.choices, default=Disclosure.NOT_ASKED
    )
    disability_details = models.TextField(
        blank=True, help_text="Only what the person chose to tell us."
    )
    # Equality monitoring, coded (peerprog.core.equality). "Not known" until
    # the person answers; "Prefer not to say" is an answer.
    ethnic_group = models.CharField(
        "ethnic group",
        max_length=2,
        choices=EthnicCategory.choices,
        default=EthnicCategory.NOT_KNOWN,
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender_identity = models.CharField(
        "gender same as sex registered at birth",
        max_length=3,
        choices=GenderIdentity.choices,
        default=GenderIdentity.NOT_KNOWN,
    )
    sexual_orientation = models.CharField(
        "sexual orientation",
        max_length=1,
        choices=SexualOrientation.choices,
        default=SexualOrientation.NOT_KNOWN,
    )
    religion_or_belief = models.CharField(
        "religion or belief",
        max_length=10,
        choices=ReligionOrBelief.choices,
        default=ReligionOrBelief.NOT_KNOWN,
    )
    age_band = models.CharField(
        "age band", max_length=5, choices=AgeBand.choices, default=AgeBand.NOT_KNOWN
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = History()

    class Meta:
        verbose_name = "sensitive facts"
        verbose_name_plural = "sensitive facts"

    def __str__(self) -> str:
        return f"Sensitive facts #{self.pk}"


class ReasonableAdjustment(models.Model):
    """A reasonable adjustment the person asked for.

    `request` may reveal health and is read by HR and leads only. The
    practical note ("later interview start time", "hard-copy packs") is what
    facilitators and recruitment-day organisers need, and may be shown to
    them without the disability behind it.
    """

    class Kind(models.TextChoices):
        TIMING = "timing", "Times and breaks"
        MATERIALS = "materials", "Materials and formats"
        VENUE = "venue", "Venue and access"
        COMMUNICATION = "communication", "Communication"
        SUPPORT = "support", "Support from another person"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    request = models.TextField(
        "what was asked for and why", help_text="May describe health: HR and leads only."
    )
    practical_note = models.CharField(
        max_length=200,
        help_text="What organisers need to do, in words that reveal no health details.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = History()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.practical_note
