from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group

from peerprog.core.models import (
    Notification,
    Organisation,
    Person,
    Programme,
    ReasonableAdjustment,
    SensitiveFacts,
    Service,
    User,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n} NHS Trust")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Peer programme {n}")
    lead_organisation = factory.SubFactory(OrganisationFactory)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.LazyAttribute(lambda o: o.programme.lead_organisation)
    name = factory.Sequence(lambda n: f"Ward {n}")
    setting = Service.Setting.ACUTE_INPATIENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    programme = factory.SubFactory(ProgrammeFactory)
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[str(r) for r in extracted]))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    programme = factory.SubFactory(ProgrammeFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class SensitiveFactsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SensitiveFacts

    person = factory.SubFactory(PersonFactory)
    disability = SensitiveFacts.Disclosure.YES
    disability_details = "Anxiety; finds crowded rooms hard"


class AdjustmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReasonableAdjustment

    person = factory.SubFactory(PersonFactory)
    kind = ReasonableAdjustment.Kind.TIMING
    request = "Medication makes early mornings hard"
    practical_note = "Later interview start time (after 11:00)"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"test-{n}")
    title = factory.Sequence(lambda n: f"Reminder {n}")
