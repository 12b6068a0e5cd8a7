"""The kernel's search source: people, for the roles that may open a
person's record (programme leads and HR)."""

from __future__ import annotations

from peerprog.core.access import SENSITIVE_READERS, has_role, scoped
from peerprog.core.models import Person, User
from peerprog.core.pages import address_pattern
from peerprog.core.search import LIMIT, SearchHit, name_matches


def people(*, user: User, words: list[str]) -> list[SearchHit]:
    if not has_role(user, *SENSITIVE_READERS):
        return []
    detail_url = address_pattern("core:person-detail")
    found = (
        scoped(Person.objects.all(), user)
        .filter(name_matches(words))
        .only("pk", "first_name", "preferred_name", "last_name", "email")
        .order_by("last_name", "first_name", "pk")[: LIMIT + 1]
    )
    return [
        SearchHit(
            "Person",
            person.display_name,
            detail_url.format(person.pk),
            person.email,
        )
        for person in found
    ]
