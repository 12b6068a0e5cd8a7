"""What an account's person records make of it: applicant, trainee, former
trainee, peer worker. Nobody sets these; they follow from the records."""

from __future__ import annotations

from dataclasses import dataclass, field

from deployment.models import Appointment
from peerprog.core.access import own_records
from peerprog.core.models import Person, User
from recruitment.models import Application
from training.models import Enrolment


@dataclass
class MyRecords:
    """An account's own records across every programme, read in a fixed
    number of queries."""

    people: list[Person]
    applications: list[Application] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)

    @property
    def current_enrolments(self) -> list[Enrolment]:
        return [e for e in self.enrolments if e.status in Enrolment.OPEN]

    @property
    def past_enrolments(self) -> list[Enrolment]:
        return [e for e in self.enrolments if e.status not in Enrolment.OPEN]

    @property
    def current_appointments(self) -> list[Appointment]:
        return [a for a in self.appointments if a.status in Appointment.ACTIVE]

    @property
    def is_trainee(self) -> bool:
        return bool(self.current_enrolments)

    @property
    def is_former_trainee(self) -> bool:
        return bool(self.past_enrolments) and not self.is_trainee

    @property
    def is_peer_worker(self) -> bool:
        return bool(self.current_appointments)

    @property
    def open_applications(self) -> list[Application]:
        """Applications still being decided (before an offer is accepted)."""
        waiting = (
            Application.Stage.RECEIVED,
            Application.Stage.SHORTLISTED,
            Application.Stage.INVITED,
            Application.Stage.OFFERED,
        )
        return [a for a in self.applications if a.stage in waiting]


def my_records(user: User) -> MyRecords:
    people = list(own_records(user).select_related("programme"))
    ids = [p.pk for p in people]
    return MyRecords(
        people=people,
        applications=list(
            Application.objects.filter(person_id__in=ids)
            .select_related("cohort", "cohort__programme")
            .order_by("-pk")
        ),
        enrolments=list(
            Enrolment.objects.filter(person_id__in=ids)
            .select_related("cohort", "cohort__programme")
            .order_by("-cohort__training_start", "-pk")
        ),
        appointments=list(
            Appointment.objects.filter(person_id__in=ids)
            .select_related("post", "post__service", "programme")
            .order_by("-start_date", "-pk")
        ),
    )
