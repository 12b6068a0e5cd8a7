"""How a trainee's records stand for their account (see
``peerprog.core.accounts``): a course under way keeps the account on, and so
does a pass (the person may still get a post); not completing ends this
part."""

from __future__ import annotations

from peerprog.core.accounts import ACTIVE, FINISHED, WAITING
from training.models import Enrolment


def account_standing(person_ids: list[int]) -> dict[int, str]:
    """ACTIVE for an open enrolment, WAITING for a pass, FINISHED when every
    enrolment ended without one. One query."""
    rank = {FINISHED: 0, WAITING: 1, ACTIVE: 2}
    words: dict[int, str] = {}
    rows = Enrolment.objects.filter(person_id__in=person_ids).values_list("person_id", "status")
    for person_id, status in rows:
        if status in Enrolment.OPEN:
            word = ACTIVE
        elif status == Enrolment.Status.COMPLETED:
            word = WAITING
        else:
            word = FINISHED
        if rank[word] >= rank.get(words.get(person_id, ""), -1):
            words[person_id] = word
    return words
