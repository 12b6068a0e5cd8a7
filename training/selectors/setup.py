"""The lists a lead edits for the course (templates and their topics,
rubrics and their criteria, reasons for not completing) and the staff of a
programme, each scoped to the user's programme."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from peerprog.core.access import get_in_programme_or_404, require_role, scoped
from peerprog.core.models import Role, User
from training.models import (
    CourseTemplate,
    CourseTopic,
    NonCompletionReason,
    Rubric,
    RubricCriterion,
)

LEAD = Role.PROGRAMME_LEAD


def course_templates(*, user: User) -> QuerySet[CourseTemplate]:
    require_role(user, LEAD)
    return scoped(CourseTemplate.objects.all(), user).prefetch_related(
        Prefetch("topics", queryset=CourseTopic.objects.order_by("order", "pk"))
    )


def course_template_for_user(*, user: User, pk: Any) -> CourseTemplate:
    require_role(user, LEAD)
    return get_in_programme_or_404(CourseTemplate.objects.all(), user, pk)


def course_topic_for_user(*, user: User, pk: Any) -> CourseTopic:
    require_role(user, LEAD)
    return get_in_programme_or_404(
        CourseTopic.objects.select_related("template"), user, pk, field="template__programme"
    )


def rubrics(*, user: User) -> QuerySet[Rubric]:
    require_role(user, LEAD)
    return scoped(Rubric.objects.all(), user).prefetch_related(
        Prefetch("criteria", queryset=RubricCriterion.objects.order_by("order", "pk"))
    )


def rubric_for_user(*, user: User, pk: Any) -> Rubric:
    require_role(user, LEAD)
    return get_in_programme_or_404(Rubric.objects.all(), user, pk)


def criterion_for_user(*, user: User, pk: Any) -> RubricCriterion:
    require_role(user, LEAD)
    return get_in_programme_or_404(
        RubricCriterion.objects.select_related("rubric"), user, pk, field="rubric__programme"
    )


def non_completion_reasons(*, user: User) -> QuerySet[NonCompletionReason]:
    require_role(user, LEAD)
    return scoped(NonCompletionReason.objects.all(), user).annotate(used=Count("enrolments"))


def non_completion_reason_for_user(*, user: User, pk: Any) -> NonCompletionReason:
    require_role(user, LEAD)
    return get_in_programme_or_404(NonCompletionReason.objects.all(), user, pk)


def assessors_in_programme(*, programme_id: int) -> QuerySet[User]:
    return User.objects.filter(
        programme_id=programme_id, is_active=True, groups__name=Role.ASSESSOR
    ).order_by("full_name")


def staff_in_programme(*, programme_id: int) -> QuerySet[User]:
    return User.objects.filter(programme_id=programme_id, is_active=True, is_system=False)
