"""Training's search source: trainees, for the course staff who open a
trainee's page (programme leads and facilitators). A hit names the trainee
and their cohort only."""

from __future__ import annotations

from peerprog.core.access import has_role, scoped
from peerprog.core.models import User
from peerprog.core.pages import address_pattern
from peerprog.core.search import LIMIT, SearchHit, name_matches
from training.models import Enrolment
from training.selectors.records import COURSE_STAFF


def trainees(*, user: User, words: list[str]) -> list[SearchHit]:
    if not has_role(user, *COURSE_STAFF):
        return []
    detail_url = address_pattern("training:trainee")
    found = (
        scoped(Enrolment.objects.all(), user, "cohort__programme")
        .filter(name_matches(words, "person__"))
        .select_related("person", "cohort")
        .only(
            "pk",
            "status",
            "cohort__name",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
        )
        .order_by("-cohort__training_start", "person__last_name", "person__first_name", "pk")[
            : LIMIT + 1
        ]
    )
    return [
        SearchHit(
            "Trainee",
            enrolment.person.display_name,
            detail_url.format(enrolment.pk),
            f"{enrolment.cohort.name}: {enrolment.get_status_display()}",
        )
        for enrolment in found
    ]
