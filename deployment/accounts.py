"""How a peer worker's records stand for their account (see
``peerprog.core.accounts``): an appointment offered or in post keeps the
account on; having left a post, with no other, ends this part. A withdrawn
offer or a transfer says nothing (the person may be on the reserve list, or
in their new post)."""

from __future__ import annotations

from deployment.models import Appointment
from peerprog.core.accounts import ACTIVE, FINISHED


def account_standing(person_ids: list[int]) -> dict[int, str]:
    """ACTIVE for an active appointment, FINISHED for a person who left
    their post and has none active. One query."""
    words: dict[int, str] = {}
    rows = Appointment.objects.filter(person_id__in=person_ids).values_list("person_id", "status")
    for person_id, status in rows:
        if status in Appointment.ACTIVE:
            words[person_id] = ACTIVE
        elif status == Appointment.Status.LEFT and words.get(person_id) != ACTIVE:
            words[person_id] = FINISHED
    return words
