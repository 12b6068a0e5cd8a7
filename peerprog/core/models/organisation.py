"""Organisations, the programmes they lead or join, and their services."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from peerprog.core.history import History


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust"
        VOLUNTARY = "voluntary", "Voluntary-sector provider"
        PARTNERSHIP = "partnership", "Partnership of NHS and voluntary or social care"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NHS_TRUST)
    address = models.TextField(
        "postal address",
        blank=True,
        help_text="Printed at the top of the letters the programme sends. One line each.",
    )
    history = History()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """One peer worker programme. Programmes hosted on one installation never
    see each other's records."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(
        "public address",
        max_length=60,
        unique=True,
        blank=True,
        help_text="The short name in the programme's public pages' address, "
        "for example /apply/lambeth-peer-workers/.",
    )
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_programmes"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_programmes"
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = History(m2m_fields=[partner_organisations])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = free_slug(self.name, taken=Programme.objects.exclude(pk=self.pk))
        super().save(*args, **kwargs)


def free_slug(name: str, *, taken: models.QuerySet[Programme]) -> str:
    """A public address for a programme's name that no other programme has."""
    base = slugify(name)[:50].strip("-") or "programme"
    slug, n = base, 1
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


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
    history = History()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="service_name_unique_in_programme"
            )
        ]

    def __str__(self) -> str:
        return self.name
