"""Recruitment's search source: applications, for the roles that read
them. A hit names the applicant, the cohort and the stage only."""

from __future__ import annotations

from peerprog.core.access import has_role, scoped
from peerprog.core.models import Person, User
from peerprog.core.pages import address_pattern
from peerprog.core.search import LIMIT, SearchHit, found_rows, name_matches
from recruitment.models import Application
from recruitment.selectors import READERS


def applications(*, user: User, words: list[str]) -> list[SearchHit]:
    if not has_role(user, *READERS):
        return []
    detail_url = address_pattern("recruitment:application-detail")
    stage_label = dict(Application.Stage.choices)
    found = found_rows(
        "search_applications",
        user.programme_id,
        words,
        lambda words: (
            scoped(Application.objects.all(), user, "cohort__programme")
            .filter(name_matches(words, "person__"))
            .order_by("-cohort__training_start", "person__last_name", "person__first_name", "pk")
            .values_list(
                "pk",
                "stage",
                "cohort__name",
                "person__first_name",
                "person__preferred_name",
                "person__last_name",
            )[: LIMIT + 1]
        ),
    )
    return [
        SearchHit(
            "Application",
            Person.name_shown(first, preferred, last),
            detail_url.format(pk),
            f"{cohort}: {stage_label.get(stage, stage)}",
        )
        for pk, stage, cohort, first, preferred, last in found
    ]
