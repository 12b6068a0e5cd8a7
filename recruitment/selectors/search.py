"""Recruitment's search source: applications, for the roles that read
them. A hit names the applicant, the cohort and the stage only."""

from __future__ import annotations

from peerprog.core.access import has_role, scoped
from peerprog.core.models import User
from peerprog.core.pages import address_pattern
from peerprog.core.search import LIMIT, SearchHit, name_matches
from recruitment.models import Application
from recruitment.selectors import READERS


def applications(*, user: User, words: list[str]) -> list[SearchHit]:
    if not has_role(user, *READERS):
        return []
    detail_url = address_pattern("recruitment:application-detail")
    found = (
        scoped(Application.objects.all(), user, "cohort__programme")
        .filter(name_matches(words, "person__"))
        .select_related("person", "cohort")
        .only(
            "pk",
            "stage",
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
            "Application",
            application.person.display_name,
            detail_url.format(application.pk),
            f"{application.cohort.name}: {application.get_stage_display()}",
        )
        for application in found
    ]
