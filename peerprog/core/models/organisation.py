"""Organisations, the programmes they lead or join, and their services."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from peerprog.core.history import History


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust"
        VOLUNTARY = "voluntary", "Voluntary-sector provider"
        PARTNERSHIP = "partnership", "Partnership of NHS and voluntary or social care"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NHS_TRUST)
    history = History()

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
    history = History(m2m_fields=[partner_organisations])

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
