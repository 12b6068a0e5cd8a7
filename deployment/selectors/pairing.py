"""Pairing a new peer worker in an acute inpatient service with an
experienced one, as the pilot recommends.

Who needs it, how recent "new" is, how long "experienced" is and which kinds
of service ask for it are settings: ``PAIRING_NEW_GRADUATE_MONTHS``,
``PAIRING_EXPERIENCED_MONTHS`` and ``PAIRING_SERVICE_SETTINGS`` (service kinds
as ``Service.setting`` records them, for example ``acute_inpatient``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, Max, QuerySet, Value, When
from django.utils import timezone

from deployment.models import Appointment
from deployment.models.posts import PEER_ROLES
from deployment.selectors.common import READERS
from peerprog.core.access import get_in_programme_or_404, require_role
from peerprog.core.dates import add_months
from peerprog.core.models import Person, Service, User
from training.models import Enrolment

CANDIDATE_LIMIT = 20


@dataclass(frozen=True)
class PairingNeed:
    person: Person
    service: Service
    completed_on: date

    @property
    def message(self) -> str:
        return (
            f"{self.person.display_name} completed the course on {self.completed_on:%-d %B %Y}, "
            f"less than {settings.PAIRING_NEW_GRADUATE_MONTHS} months ago, and is joining "
            f"{self.service.name} ({self.service.get_setting_display().lower()}). Pair them with "
            f"a peer worker who has been in post for {settings.PAIRING_EXPERIENCED_MONTHS} "
            "months or more."
        )


def completed_course_on(*, person: Person) -> date | None:
    """When the person last passed the training course, if ever."""
    return Enrolment.objects.filter(person=person, status=Enrolment.Status.COMPLETED).aggregate(
        last=Max("passed_on")
    )["last"]


def pairing_need(*, person: Person, service: Service, on: date | None = None) -> PairingNeed | None:
    """Whether appointing ``person`` to ``service`` on ``on`` (today) calls
    for pairing them with an experienced peer worker."""
    if service.setting not in settings.PAIRING_SERVICE_SETTINGS:
        return None
    on = on or timezone.localdate()
    completed = completed_course_on(person=person)
    if completed is None or completed <= add_months(on, -settings.PAIRING_NEW_GRADUATE_MONTHS):
        return None
    return PairingNeed(person=person, service=service, completed_on=completed)


def get_appointment_for_pairing(*, user: User, pk: Any) -> Appointment:
    require_role(user, *READERS)
    return get_in_programme_or_404(
        Appointment.objects.select_related("person", "post__service"), user, pk
    )


def pairing_candidates(
    *, user: User, appointment: Appointment, on: date | None = None
) -> QuerySet[Appointment]:
    """Peer workers of the programme in post for the experienced period or
    longer: those in the same service first, then in services of the same
    kind, then the rest; longest in post first."""
    require_role(user, *READERS)
    on = on or timezone.localdate()
    since = add_months(on, -settings.PAIRING_EXPERIENCED_MONTHS)
    service = appointment.post.service
    return (
        Appointment.objects.filter(
            programme_id=appointment.programme_id,
            status=Appointment.Status.IN_POST,
            post__role__in=PEER_ROLES,
            start_date__lte=since,
        )
        .exclude(person_id=appointment.person_id)
        .select_related("person", "post__service")
        .annotate(
            nearness=Case(
                When(post__service_id=service.pk, then=Value(0)),
                When(post__service__setting=service.setting, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("nearness", "start_date", "pk")[:CANDIDATE_LIMIT]
    )
