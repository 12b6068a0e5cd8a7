"""Valid posts to training's create pages (``peerprog.core.once``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.core.once_helpers import Sample
from tests.training.factories import CohortFactory, enrol, pdf_bytes, training_object
from training import selectors
from training.models import (
    CourseSession,
    CourseTemplate,
    CourseTopic,
    NonCompletionReason,
    PortfolioDraft,
    PortfolioSubmission,
    Rubric,
    RubricCriterion,
    Tutorial,
)

PDF = ("portfolio.pdf", pdf_bytes(), "application/pdf")


def timetable(world: World) -> Sample:
    """A cohort without sessions: the timetable adds one per topic."""
    template = training_object(world, "course_template")
    cohort = CohortFactory(programme=world.programme, name="Cohort without a timetable")
    return Sample(
        user="lead",
        url=reverse("training:timetable-generate", args=[cohort.pk]),
        data={"template": template.pk, "starts_at": "09:30", "place": "Recovery College"},
        model=CourseSession,
        new_rows=template.topics.filter(is_archived=False).count(),
    )


def session(world: World) -> Sample:
    cohort = training_object(world, "training_cohort")
    return Sample(
        user="lead",
        url=reverse("training:session-create", args=[cohort.pk]),
        data={
            "title": "Hope and recovery, once",
            "date": (timezone.localdate()).isoformat(),
            "starts_at": "10:00",
            "minutes": "120",
            "place": "Room 2",
            "facilitator": world.users["facilitator"].pk,
        },
        model=CourseSession,
    )


def draft(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("training:draft-create", args=[training_object(world, "enrolment").pk]),
        data={"received_on": timezone.localdate().isoformat()},
        files={"file": PDF},
        model=PortfolioDraft,
    )


def tutorial(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("training:tutorial-create", args=[training_object(world, "enrolment").pk]),
        data={"held_on": timezone.localdate().isoformat(), "minutes": "45", "notes": "Once."},
        model=Tutorial,
    )


def submission(world: World) -> Sample:
    """A trainee of their own: the world's trainee has a portfolio already."""
    cohort = training_object(world, "training_cohort")
    enrolment = enrol(cohort, first_name="Sam", last_name="Submitter")
    training = selectors.cohort_training_for(cohort=cohort)
    return Sample(
        user="lead",
        url=reverse("training:submission-create", args=[enrolment.pk]),
        data={
            "submitted_on": timezone.localdate().isoformat(),
            "first": training.facilitator_id,
            "second": training.second_assessor_id,
        },
        files={"file": PDF},
        model=PortfolioSubmission,
    )


def course_template(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("training:template-create"),
        data={"name": "Short course, once", "description": ""},
        model=CourseTemplate,
    )


def topic(world: World) -> Sample:
    template = training_object(world, "course_template")
    return Sample(
        user="lead",
        url=reverse("training:topic-create", args=[template.pk]),
        data={"title": "Boundaries, once", "order": "99", "default_minutes": "120"},
        model=CourseTopic,
    )


def rubric(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("training:rubric-create"),
        data={"name": "Short rubric, once"},
        model=Rubric,
    )


def criterion(world: World) -> Sample:
    rubric = training_object(world, "rubric")
    return Sample(
        user="lead",
        url=reverse("training:criterion-create", args=[rubric.pk]),
        data={"title": "Reflection, once", "guidance": "", "order": "99"},
        model=RubricCriterion,
    )


def reason(world: World) -> Sample:
    return Sample(
        user="lead",
        url=reverse("training:reason-create"),
        data={
            "label": "Moved away, once",
            "category": NonCompletionReason.Category.LEFT_PERSONAL,
            "order": "9",
        },
        model=NonCompletionReason,
    )
