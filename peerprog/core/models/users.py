"""Staff users and the roles they hold."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, Group, PermissionsMixin
from django.contrib.auth.models import BaseUserManager as DjangoBaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from peerprog.core.history import History
from peerprog.core.models.organisation import Programme


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
    DATA_PROTECTION = "Data protection officer", "Data protection officer"


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
    # Moves on whenever the user's roles or second-factor devices change, so
    # that a session's cached second-factor decision (kept in the session,
    # checked against this on every request at no extra query) is taken
    # again. See peerprog/core/second_factor.py.
    second_factor_stamp = models.PositiveIntegerField(default=0, editable=False)
    history = History(excluded_fields=["password", "last_login", "second_factor_stamp"])

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
