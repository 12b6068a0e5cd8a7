"""A session's register: the trainees on it, with their current marks."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import FilteredRelation, Q

from peerprog.core.models import Person
from training.models import CourseSession, Enrolment

Status = Enrolment.Status


class RegisterTrainee(NamedTuple):
    """A trainee on a register: their enrolment's id and the name shown."""

    pk: int
    name: str


def session_register(*, session: CourseSession) -> list[tuple[RegisterTrainee, str]]:
    """The trainees on the register, by surname, with their current mark
    ('' if none), in one query: everyone whose course was open on the day
    of the session, and anyone already marked (see ``register_enrolments``).
    """
    rows = (
        Enrolment.objects.filter(cohort_id=session.cohort_id)
        .annotate(mark=FilteredRelation("attendances", condition=Q(attendances__session=session)))
        .filter(
            Q(status__in=Enrolment.OPEN)
            | Q(status=Status.COMPLETED)
            | Q(ended_on__gte=session.date)
            | Q(mark__id__isnull=False)
        )
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list(
            "pk",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
            "mark__status",
        )
    )
    return [
        (RegisterTrainee(pk, Person.name_shown(first, preferred, last)), mark or "")
        for pk, first, preferred, last, mark in rows
    ]
