"""How an applicant's records stand for their account (see
``peerprog.core.accounts``): an application still being decided keeps the
account on; one that was unsuccessful or withdrawn ends this part."""

from __future__ import annotations

from peerprog.core.accounts import ACTIVE, FINISHED
from recruitment.models import Application

OPEN = (
    Application.Stage.RECEIVED,
    Application.Stage.SHORTLISTED,
    Application.Stage.INVITED,
    Application.Stage.OFFERED,
    Application.Stage.DEFERRED,
)
ENDED = (Application.Stage.UNSUCCESSFUL, Application.Stage.WITHDRAWN)


def account_standing(person_ids: list[int]) -> dict[int, str]:
    """ACTIVE for a person with an open application, FINISHED for one whose
    applications all ended; an accepted application leaves the word to
    training. One query."""
    words: dict[int, str] = {}
    rows = Application.objects.filter(person_id__in=person_ids).values_list("person_id", "stage")
    for person_id, stage in rows:
        if stage in OPEN:
            words[person_id] = ACTIVE
        elif stage in ENDED and words.get(person_id) != ACTIVE:
            words[person_id] = FINISHED
    return words
