"""Supervision's search sources: a mentor finds their own mentees now, a
supervisor the people they supervise or cover now; nobody else's."""

from __future__ import annotations

from django.urls import reverse

from peerprog.core.access import has_role
from peerprog.core.models import Role, User
from peerprog.core.search import LIMIT, SearchHit, name_matches
from supervision.models import MentorAssignment
from supervision.selectors.supervising import own_supervisees


def my_mentees(*, user: User, words: list[str]) -> list[SearchHit]:
    if not has_role(user, Role.MENTOR):
        return []
    found = (
        MentorAssignment.objects.filter(
            mentor=user,
            ended_on__isnull=True,
            enrolment__cohort__programme_id=user.programme_id,
        )
        .filter(name_matches(words, "enrolment__person__"))
        .select_related("enrolment__person", "enrolment__cohort")
        .order_by("enrolment__person__last_name", "enrolment__person__first_name", "pk")[
            : LIMIT + 1
        ]
    )
    return [
        SearchHit(
            "Your mentee",
            assignment.enrolment.person.display_name,
            reverse("supervision:mentee", kwargs={"pk": assignment.enrolment_id}),
            assignment.enrolment.cohort.name,
        )
        for assignment in found
    ]


def my_supervisees(*, user: User, words: list[str]) -> list[SearchHit]:
    if not has_role(user, Role.SUPERVISOR):
        return []
    found = own_supervisees(user=user).filter(name_matches(words))[: LIMIT + 1]
    return [
        SearchHit(
            "Your supervisee",
            person.display_name,
            reverse("supervision:supervisee", kwargs={"pk": person.pk}),
        )
        for person in found
    ]
