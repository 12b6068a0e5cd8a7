"""Reads of job descriptions and person specifications, scoped to the
user's programme."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q

from deployment.models import PersonSpecification, Post, SpecCriterion, SpecDocument, Vacancy
from deployment.selectors.common import READERS, WRITERS
from peerprog.core.access import get_in_programme_or_404, require_role
from peerprog.core.models import User


def _with_parts() -> Any:
    return PersonSpecification.objects.prefetch_related(
        Prefetch("criteria", queryset=SpecCriterion.objects.order_by("position", "pk")),
        Prefetch(
            "documents",
            queryset=SpecDocument.objects.select_related("uploaded_by").order_by("kind"),
        ),
    )


def specification_of_post(*, post: Post) -> PersonSpecification | None:
    """The post's own specification, with its criteria and documents."""
    return _with_parts().filter(post=post).first()


def specification_of_vacancy(*, vacancy: Vacancy) -> PersonSpecification | None:
    """The vacancy's own specification only (not its post's)."""
    return _with_parts().filter(vacancy=vacancy).first()


def specification_in_force(*, vacancy_id: int, post_id: int) -> PersonSpecification | None:
    """What candidates for the vacancy are measured against: the vacancy's
    own specification when it has one, otherwise its post's."""
    found = list(_with_parts().filter(Q(vacancy_id=vacancy_id) | Q(post_id=post_id)))
    own = [spec for spec in found if spec.vacancy_id == vacancy_id]
    return (own or found or [None])[0]


def get_criterion_for_user(*, user: User, pk: Any) -> SpecCriterion:
    require_role(user, *WRITERS)
    return get_in_programme_or_404(
        SpecCriterion.objects.select_related("specification"),
        user,
        pk,
        "specification__programme",
    )


def get_spec_document_for_user(*, user: User, pk: Any) -> SpecDocument:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        SpecDocument.objects.select_related("specification"),
        user,
        pk,
        "specification__programme",
    )
