"""Valid posts to the create pages of induction and training once in post
(``peerprog.core.once``)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from deployment.models import InductionOwner, InductionTemplateItem, TrainingCourse, TrainingRecord
from tests.conftest import World
from tests.core.once_helpers import Sample
from tests.deployment.factories_in_post import TrainingCourseFactory


def induction_template_item(world: World) -> Sample:
    return Sample(
        user="hr",
        url=reverse("deployment:induction-template-create"),
        data={
            "title": "Visit the recovery college, once",
            "owner": InductionOwner.PEER_WORKER,
            "due_days": "30",
            "service": "",
            "order": "9",
        },
        model=InductionTemplateItem,
    )


def training_course(world: World) -> Sample:
    return Sample(
        user="hr",
        url=reverse("deployment:training-course-create"),
        data={"name": "Mental Health First Aid, once", "is_mandatory": "on", "order": "9"},
        model=TrainingCourse,
    )


def training_record(world: World) -> Sample:
    course = TrainingCourseFactory(programme=world.programme)
    person = world.objects["appointment"].person
    return Sample(
        user="hr",
        url=reverse("deployment:training-record-create", args=[person.pk]),
        data={
            "course": str(course.pk),
            "completed_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
            "expires_on": "",
        },
        model=TrainingRecord,
    )
