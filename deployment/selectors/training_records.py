"""Reads of training once in post: the course catalogue, each peer worker's
records, and compliance with the mandatory courses per person and per
service.

For each mandatory course a peer worker is *up to date* (their latest
record has not expired and does not expire within ``EXPIRY_NOTICE_DAYS``),
*expiring soon*, *expired*, or has *not done* it. The compliance view costs
three queries however many people and records there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from deployment.models import Appointment, TrainingCourse, TrainingRecord
from deployment.selectors.common import READERS
from peerprog.core.access import get_in_programme_or_404, require_role, scoped
from peerprog.core.models import Person, Service, User

# Reminders go, and the compliance view warns, this many days before expiry.
EXPIRY_NOTICE_DAYS = 30

UP_TO_DATE = "up_to_date"
EXPIRING = "expiring"
EXPIRED = "expired"
MISSING = "missing"
STATE_WORDS = {
    UP_TO_DATE: "Up to date",
    EXPIRING: "Expires soon",
    EXPIRED: "Expired",
    MISSING: "Not done",
}


def state_of(*, record: TrainingRecord | None, today: date) -> str:
    if record is None:
        return MISSING
    if record.expires_on is None or record.expires_on > today + timedelta(days=EXPIRY_NOTICE_DAYS):
        return UP_TO_DATE
    if record.expires_on >= today:
        return EXPIRING
    return EXPIRED


@dataclass(frozen=True)
class Standing:
    course: TrainingCourse
    record: TrainingRecord | None
    state: str

    @property
    def words(self) -> str:
        return STATE_WORDS[self.state]


@dataclass
class PersonCompliance:
    person: Person
    service: Service
    appointment_id: int
    standings: list[Standing]

    @property
    def compliant(self) -> bool:
        return all(s.state in (UP_TO_DATE, EXPIRING) for s in self.standings)

    @property
    def expiring(self) -> int:
        return sum(1 for s in self.standings if s.state == EXPIRING)


@dataclass
class ServiceCompliance:
    service: Service
    people: int = 0
    compliant: int = 0
    expiring: int = 0
    by_course: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(100 * self.compliant / self.people) if self.people else 0


@dataclass
class Compliance:
    courses: list[TrainingCourse]
    people: list[PersonCompliance]
    services: list[ServiceCompliance]


def course_catalogue(*, user: User) -> QuerySet[TrainingCourse]:
    require_role(user, *READERS)
    return scoped(TrainingCourse.objects.all(), user).order_by("is_archived", "order", "name")


def get_course_for_user(*, user: User, pk: Any) -> TrainingCourse:
    require_role(user, *READERS)
    return get_in_programme_or_404(TrainingCourse.objects.all(), user, pk)


def _latest(records: list[TrainingRecord]) -> dict[tuple[int, int], TrainingRecord]:
    """The latest record per (person, course), of records in any order."""
    latest: dict[tuple[int, int], TrainingRecord] = {}
    for record in records:
        key = (record.person_id, record.course_id)
        best = latest.get(key)
        if best is None or (record.completed_on, record.pk) > (best.completed_on, best.pk):
            latest[key] = record
    return latest


def training_compliance(*, user: User, today: date, service_id: int | None = None) -> Compliance:
    """Compliance with the mandatory courses of everyone in post (or offered
    and starting), per person and per service. Three queries."""
    require_role(user, *READERS)
    courses = list(
        scoped(TrainingCourse.objects.filter(is_mandatory=True, is_archived=False), user)
    )
    appointments = scoped(
        Appointment.objects.filter(status=Appointment.Status.IN_POST), user
    ).select_related("person", "post__service")
    if service_id:
        appointments = appointments.filter(post__service_id=service_id)
    appointments = list(appointments.order_by("post__service__name", "person__last_name", "pk"))
    records = _latest(
        list(
            TrainingRecord.objects.filter(
                person_id__in={a.person_id for a in appointments},
                course_id__in=[c.pk for c in courses],
            )
        )
    )
    people: list[PersonCompliance] = []
    services: dict[int, ServiceCompliance] = {}
    seen: set[int] = set()
    for appointment in appointments:
        if appointment.person_id in seen:
            continue
        seen.add(appointment.person_id)
        standings = []
        for course in courses:
            record = records.get((appointment.person_id, course.pk))
            standings.append(Standing(course, record, state_of(record=record, today=today)))
        row = PersonCompliance(
            appointment.person, appointment.post.service, appointment.pk, standings
        )
        people.append(row)
        summary = services.setdefault(
            appointment.post.service_id, ServiceCompliance(appointment.post.service)
        )
        summary.people += 1
        summary.compliant += row.compliant
        summary.expiring += bool(row.expiring)
        for standing in standings:
            counts = summary.by_course.setdefault(standing.course.pk, defaultdict(int))
            counts[standing.state] += 1
    return Compliance(courses=courses, people=people, services=list(services.values()))


def get_trainee_in_post_for_user(*, user: User, pk: Any) -> Person:
    """A person of the user's programme who has been appointed to a post
    (training records are kept for them), or 404."""
    require_role(user, *READERS)
    appointed = Appointment.objects.filter(person=OuterRef("pk"))
    try:
        return scoped(Person.objects.filter(Exists(appointed)), user).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404("No such peer worker in your programme.") from None


def person_training(*, person: Person, today: date) -> tuple[list[TrainingRecord], list[Standing]]:
    """A peer worker's records, latest first, and where they stand on each
    mandatory course. Two queries."""
    records = list(
        TrainingRecord.objects.filter(person=person)
        .select_related("course", "recorded_by")
        .order_by("-completed_on", "-pk")
    )
    latest = _latest(records)
    courses = TrainingCourse.objects.filter(
        programme_id=person.programme_id, is_mandatory=True, is_archived=False
    )
    standings = [
        Standing(course, latest.get((person.pk, course.pk)), MISSING) for course in courses
    ]
    standings = [
        Standing(s.course, s.record, state_of(record=s.record, today=today)) for s in standings
    ]
    return records, standings


def expiring_records(*, today: date, programme_id: int | None = None) -> QuerySet[TrainingRecord]:
    """Latest records, of people in post, expiring within
    ``EXPIRY_NOTICE_DAYS`` from today (today included), in every programme
    or in one. A record entered already expired reminds nobody. The rule
    is written once here: the reminders list these records and HR's home
    page counts them."""
    newer = TrainingRecord.objects.filter(
        person=OuterRef("person"),
        course=OuterRef("course"),
        completed_on__gt=OuterRef("completed_on"),
    )
    in_post = Appointment.objects.filter(
        person=OuterRef("person"), status=Appointment.Status.IN_POST
    )
    return (
        TrainingRecord.objects.filter(
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=EXPIRY_NOTICE_DAYS),
            course__is_archived=False,
        )
        .filter(Exists(in_post))
        .filter(**({"programme_id": programme_id} if programme_id else {}))
        .exclude(Exists(newer))
    )


def training_expiring(*, today: date, programme_id: int | None = None) -> list[dict[str, Any]]:
    """The expiring records (``expiring_records``) with their course and
    person, for reminders. One query."""
    return list(
        expiring_records(today=today, programme_id=programme_id)
        .order_by("pk")
        .values(
            "pk",
            "programme_id",
            "person_id",
            "expires_on",
            "course__name",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
        )
    )
