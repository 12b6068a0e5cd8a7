"""Training's search source: trainees, for the course staff who open a
trainee's page (programme leads and facilitators). A hit names the trainee
and their cohort only."""

from __future__ import annotations

from peerprog.core.access import has_role, scoped
from peerprog.core.models import Person, User
from peerprog.core.pages import address_pattern
from peerprog.core.search import LIMIT, SearchHit, found_rows, name_matches
from training.models import Enrolment
from training.selectors.records import COURSE_STAFF


def trainees(*, user: User, words: list[str]) -> list[SearchHit]:
    if not has_role(user, *COURSE_STAFF):
        return []
    detail_url = address_pattern("training:trainee")
    status_label = dict(Enrolment.Status.choices)
    found = found_rows(
        "search_trainees",
        user.programme_id,
        words,
        lambda words: (
            scoped(Enrolment.objects.all(), user, "cohort__programme")
            .filter(name_matches(words, "person__"))
            .order_by("-cohort__training_start", "person__last_name", "person__first_name", "pk")
            .values_list(
                "pk",
                "status",
                "cohort__name",
                "person__first_name",
                "person__preferred_name",
                "person__last_name",
            )[: LIMIT + 1]
        ),
    )
    return [
        SearchHit(
            "Trainee",
            Person.name_shown(first, preferred, last),
            detail_url.format(pk),
            f"{cohort}: {status_label.get(status, status)}",
        )
        for pk, status, cohort, first, preferred, last in found
    ]
