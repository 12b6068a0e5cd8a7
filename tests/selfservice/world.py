"""The programme's own people with accounts, for the access-rule table and
the self-service tests: each persona's account holds the person records
that make them what they are (nobody sets "trainee" on an account).

* trainee: on the running course of the programme ("Cohort A");
* trainee_other_cohort: on another cohort of the same programme;
* former_trainee: passed a course that has ended, not in post;
* peer_worker: in post in the programme, supervised by the supervisor
  persona, with a wellbeing plan (supervision's shared world);
* peer_worker_other_programme: in post in the other programme;
* peer_worker_supervisor: in post, and a supervisor (a staff role) too.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from peerprog.core.models import Person
from tests.core.factories import PersonFactory
from tests.supervision.factories import employed, supervision_world
from tests.training.factories import ApplicationFactory, CohortFactory, accept, training_object
from training.models import Enrolment

PEOPLE_PERSONAS = (
    "trainee",
    "trainee_other_cohort",
    "former_trainee",
    "peer_worker",
    "peer_worker_other_programme",
    "peer_worker_supervisor",
)


def _link(person: Person, user: Any) -> Person:
    person.user = user
    person.email = user.email
    person.email_allowed = True
    person.save(update_fields=["user", "email", "email_allowed"])
    return person


def _enrol(cohort: Any, person: Person) -> Enrolment:
    application = accept(ApplicationFactory(cohort=cohort, person=person))
    return Enrolment.objects.get(application=application)


def people_world(world: Any) -> dict[str, Any]:
    """Build (once) and return the people personas' own records."""
    if "people" in world.objects:
        return world.objects["people"]
    users = world.users
    programme = world.programme
    objects: dict[str, Any] = {}

    cohort = training_object(world, "training_cohort")
    trainee = _link(
        PersonFactory(programme=programme, first_name="Tara", last_name="Trainee"), users["trainee"]
    )
    objects["trainee_person"] = trainee
    objects["trainee_enrolment"] = _enrol(cohort, trainee)

    other_cohort = CohortFactory(programme=programme, name="Cohort B")
    other_trainee = _link(
        PersonFactory(programme=programme, first_name="Owen", last_name="Othercohort"),
        users["trainee_other_cohort"],
    )
    objects["other_cohort"] = other_cohort
    objects["trainee_other_cohort_person"] = other_trainee
    objects["trainee_other_cohort_enrolment"] = _enrol(other_cohort, other_trainee)

    today = timezone.localdate()
    past = CohortFactory(
        programme=programme,
        name="Cohort 2024",
        training_start=today - timedelta(weeks=60),
        training_end=today - timedelta(weeks=48),
        applications_open=today - timedelta(weeks=70),
        applications_close=today - timedelta(weeks=64),
        status="closed",
    )
    former = _link(
        PersonFactory(programme=programme, first_name="Fran", last_name="Former"),
        users["former_trainee"],
    )
    enrolment = _enrol(past, former)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.COMPLETED, passed_on=today - timedelta(weeks=46)
    )
    objects["former_trainee_person"] = former
    objects["former_trainee_enrolment"] = Enrolment.objects.get(pk=enrolment.pk)

    supervising = supervision_world(world)
    objects["peer_worker_person"] = _link(supervising["supervisee"], users["peer_worker"])
    objects["peer_worker_appointment"] = world.objects["appointment"]
    objects["peer_worker_other_programme_person"] = _link(
        supervising["other_supervisee"], users["peer_worker_other_programme"]
    )
    objects["peer_worker_other_programme_appointment"] = world.objects["other_appointment"]

    worker = employed(programme, first_name="Sam", last_name="Supervisor-Peer")
    objects["peer_worker_supervisor_person"] = _link(worker, users["peer_worker_supervisor"])
    objects["peer_worker_supervisor_appointment"] = worker.appointments.get()

    world.objects["people"] = objects
    return objects
