"""The kernel's search source: people, for the roles that may open a
person's record (programme leads and HR)."""

from __future__ import annotations

from peerprog.core.access import SENSITIVE_READERS, has_role, scoped
from peerprog.core.models import Person, User
from peerprog.core.pages import address_pattern
from peerprog.core.search import LIMIT, SearchHit, found_rows, name_matches


def people(*, user: User, words: list[str]) -> list[SearchHit]:
    if not has_role(user, *SENSITIVE_READERS):
        return []
    detail_url = address_pattern("core:person-detail")
    found = found_rows(
        "search_people",
        user.programme_id,
        words,
        lambda words: (
            scoped(Person.objects.all(), user)
            .filter(name_matches(words))
            .order_by("last_name", "first_name", "pk")
            .values_list("pk", "first_name", "preferred_name", "last_name", "email")[: LIMIT + 1]
        ),
    )
    return [
        SearchHit(
            "Person",
            Person.name_shown(first, preferred, last),
            detail_url.format(pk),
            email,
        )
        for pk, first, preferred, last, email in found
    ]
