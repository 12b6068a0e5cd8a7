"""The kernel's models: programmes, organisations, services, staff users and
the person record that every app shares.

Special-category facts about a person (disability, equality monitoring,
reasonable adjustments) live in their own models so that a page can show a
person without ever loading them, and so that only HR and programme leads
reach them.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, Group, PermissionsMixin
from django.contrib.auth.models import BaseUserManager as DjangoBaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The roles a staff user may hold; each is a Group of the same name.

    Facilitator and Assessor are capabilities usually held alongside another
    role (a programme lead who also facilitates the course, say).
    """

    PROGRAMME_LEAD = "Programme lead", "Programme lead"
    HR = "HR", "HR"
    MENTOR = "Mentor", "Mentor"
    SUPERVISOR = "Supervisor", "Supervisor"
    ADMIN = "Admin", "Admin"
    FACILITATOR = "Facilitator", "Facilitator"
    ASSESSOR = "Assessor", "Assessor"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust"
        VOLUNTARY = "voluntary", "Voluntary-sector provider"
        PARTNERSHIP = "partnership", "Partnership of NHS and voluntary or social care"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NHS_TRUST)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """One peer worker programme. Programmes hosted on one installation never
    see each other's records."""

    name = models.CharField(max_length=200, unique=True)
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_programmes"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_programmes"
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords(m2m_fields=[partner_organisations])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service or team that may host peer workers (a ward, a community
    team). It belongs to an organisation taking part in a programme."""

    class Setting(models.TextChoices):
        ACUTE_INPATIENT = "acute_inpatient", "Acute inpatient"
        REHAB_INPATIENT = "rehab_inpatient", "Rehabilitation inpatient"
        COMMUNITY = "community", "Community"
        BME_SPECIFIC = "bme_specific", "BME-specific"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="services")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    setting = models.CharField(max_length=30, choices=Setting.choices)
    site = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="service_name_unique_in_programme"
            )
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(DjangoBaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff who signs in with an e-mail address.

    Every user belongs to one programme. System administrators (superusers)
    may span programmes; the system account acts for scheduled work.
    """

    email = models.EmailField("e-mail address", max_length=254, unique=True)
    full_name = models.CharField(max_length=200)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    job_title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "Django admin access",
        default=False,
        help_text="Only system administrators use the Django admin.",
    )
    is_system = models.BooleanField(default=False, editable=False)
    date_joined = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
            models.CheckConstraint(
                condition=Q(programme__isnull=False) | Q(is_superuser=True) | Q(is_system=True),
                name="user_belongs_to_a_programme",
                violation_error_message="Every user except a system administrator "
                "belongs to a programme.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    @property
    def role_names(self) -> frozenset[str]:
        """The names of the roles this user holds, read once per request."""
        cached = getattr(self, "_role_names", None)
        if cached is None:
            cached = frozenset(self.groups.values_list("name", flat=True))
            self._role_names = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def is_system_admin(self) -> bool:
        return self.is_active and self.is_superuser


def role_group(role: Role | str) -> Group:
    return Group.objects.get(name=str(role))


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
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
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
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip()

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
    gender = models.CharField(max_length=100, blank=True)
    ethnic_group = models.CharField(max_length=100, blank=True)
    sexual_orientation = models.CharField(max_length=100, blank=True)
    religion_or_belief = models.CharField(max_length=100, blank=True)
    age_band = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

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
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.practical_note


class ReasonBase(models.Model):
    """An editable reason (unsuccessful, withdrawn, non-completion, leaving).

    Leads and HR word reasons as they like, but each maps to a fixed
    reporting category of the owning app, so reports stay comparable. A
    reason in use is archived, never deleted (``on_delete=PROTECT`` on every
    reference). Reasons that reveal health are special-category data:
    ``reveals_health`` marks them so pages, e-mails and exports can hide them
    from anyone who may not read them.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=200)
    category = models.CharField(max_length=50)
    reveals_health = models.BooleanField(default=False)
    is_archived = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "label"], name="%(app_label)s_%(class)s_label_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Notification(models.Model):
    """An in-app message for one user. `key` makes a reminder idempotent:
    the same reminder to the same person is stored once, however often the
    task that raises it runs."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class LetterTemplate(models.Model):
    """A programme's own wording of one kind of letter (an offer, say).

    The text may use only the placeholders that the letter's kind allows
    (``peerprog.core.letters``), so a template can never reach a fact the
    letter should not carry. Without a saved template the kind's default
    wording is used.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField(max_length=50)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind"], name="letter_template_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class Letter(models.Model):
    """One letter issued to a person, exactly as it was worded.

    ``key`` names what the letter is about (``application:12:offer``), so the
    same letter is issued once. A person who agreed to e-mail gets it by
    e-mail; for everyone else it waits to be printed and posted.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        POST = "post", "Post"

    class Status(models.TextChoices):
        TO_SEND = "to_send", "Waiting to be e-mailed"
        EMAILED = "emailed", "E-mailed"
        TO_POST = "to_post", "Waiting to be posted"
        POSTED = "posted", "Posted"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="letters")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=50)
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="letter_issued_once")
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return self.subject


class PendingImport(models.Model):
    """An uploaded file waiting for the person who uploaded it to confirm.

    The file is kept in the database, which every web process shares, and is
    deleted on confirm or cancel (and after a day, if neither happened), so
    personal data does not linger on a server's disk.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    importer = models.CharField(max_length=100)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200)
    file_format = models.CharField(max_length=10, choices=Format.choices)
    content = models.BinaryField()
    options = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


# Reminders and export records live in their own modules; imported here so
# Django finds them.
from peerprog.core.export_records import ExportRecord  # noqa: E402, F401
from peerprog.core.reminders.models import Reminder, ReminderEmailOptOut  # noqa: E402, F401
