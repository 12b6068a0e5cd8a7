from __future__ import annotations

from datetime import date, timedelta

import factory

from recruitment.models import (
    Application,
    ApplicationMove,
    Cohort,
    DeferralReason,
    InformationEvent,
    UnsuccessfulReason,
    WithdrawalReason,
)
from tests.core.factories import PersonFactory, ProgrammeFactory


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    applications_open = date(2026, 1, 5)
    applications_close = date(2026, 2, 27)
    training_start = factory.Sequence(lambda n: date(2026, 4, 6) + timedelta(weeks=26 * (n % 20)))
    training_end = factory.LazyAttribute(lambda o: o.training_start + timedelta(weeks=12))
    capacity = 12
    status = Cohort.Status.RECRUITING


class UnsuccessfulReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnsuccessfulReason
        django_get_or_create = ("programme", "label")

    programme = factory.SubFactory(ProgrammeFactory)
    label = "Needs more volunteering experience"
    category = UnsuccessfulReason.Category.NEEDS_VOLUNTEERING


class WithdrawalReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WithdrawalReason
        django_get_or_create = ("programme", "label")

    programme = factory.SubFactory(ProgrammeFactory)
    label = "Found paid employment"
    category = WithdrawalReason.Category.PAID_EMPLOYMENT


class DeferralReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeferralReason
        django_get_or_create = ("programme", "label")

    programme = factory.SubFactory(ProgrammeFactory)
    label = "The course dates do not suit"
    category = DeferralReason.Category.COURSE_DATES


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application at the received stage, with its first timeline entry."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(
        PersonFactory, programme=factory.SelfAttribute("..cohort.programme")
    )
    source = Application.Source.FLYER
    statement = "I want to use what I have lived through to help others."

    @factory.post_generation
    def first_move(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            ApplicationMove.objects.create(application=self, from_stage="", to_stage=self.stage)


class InformationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationEvent

    cohort = factory.SubFactory(CohortFactory)
    held_on = date(2026, 3, 10)
    place = "Northshire Recovery College, room 2"
