"""Factories for the induction checklist and training once in post, and
their objects for the access-rule table (built only when a rule asks)."""

from __future__ import annotations

from typing import Any

import factory

from deployment.models import (
    InductionOwner,
    InductionTemplateItem,
    TrainingCourse,
    TrainingRecord,
)
from tests.core.factories import ProgrammeFactory, UserFactory


class InductionTemplateItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InductionTemplateItem

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Induction item {n}")
    owner = InductionOwner.HR
    due_days = 14


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Course {n}")
    valid_for_months = 12


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    course = factory.SubFactory(TrainingCourseFactory)
    programme = factory.LazyAttribute(lambda o: o.course.programme)
    recorded_by = factory.SubFactory(UserFactory)


def in_post_object(world: Any, name: str) -> Any:
    """``template_item``, ``course``, ``trainee`` (the appointed person),
    each with an ``other_`` twin in the other programme."""
    key = f"in_post_{name}"
    if key in world.objects:
        return world.objects[key]
    other = name.startswith("other_")
    programme = world.other_programme if other else world.programme
    base = name.removeprefix("other_")
    if base == "template_item":
        obj = InductionTemplateItemFactory(programme=programme)
    elif base == "course":
        obj = TrainingCourseFactory(programme=programme)
    elif base == "trainee":
        obj = world.objects["other_appointment" if other else "appointment"].person
    else:
        raise KeyError(name)
    world.objects[key] = obj
    return obj


def in_post_pk(name: str) -> Any:
    def kwargs(world: Any) -> dict[str, Any]:
        return {"pk": in_post_object(world, name).pk}

    return kwargs
