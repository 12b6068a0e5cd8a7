"""The programme's own people with accounts, at scale: the trainee with the
most records on a course running now, and the peer worker in post with the
most supervision, each linked to an account, so the benchmark can measure a
person's own pages on the largest records a person has."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db.models import Count

from deployment.models import Appointment
from peerprog.core.models import Person, User
from peerprog.devtools.demo import DEMO_DOMAIN
from peerprog.devtools.scale.base import ScaleContext
from training.models import Enrolment

# The accounts the benchmark signs in as (see benchmark.own_pages_user).
TRAINEE_KEY = "scale-own-trainee"
PEER_WORKER_KEY = "scale-own-peer-worker"


def _link(ctx: ScaleContext, person: Person | None, key: str) -> None:
    if person is None:
        return
    user = User.objects.create(
        email=f"{key}-{ctx.size}@{DEMO_DOMAIN}",
        full_name=person.legal_name,
        programme=ctx.programme,
        password=make_password(None),
    )
    Person.objects.filter(pk=person.pk).update(user=user)


def seed_people_scale(ctx: ScaleContext) -> None:
    enrolment = (
        Enrolment.objects.filter(cohort__programme=ctx.programme, status__in=Enrolment.OPEN)
        .annotate(marks=Count("attendances"))
        .select_related("person")
        .order_by("-cohort__training_start", "-marks", "pk")
        .first()
    )
    _link(ctx, enrolment.person if enrolment else None, TRAINEE_KEY)
    appointment = (
        Appointment.objects.filter(
            programme=ctx.programme,
            status=Appointment.Status.IN_POST,
            person__wellbeing_plan__isnull=False,
        )
        .annotate(sessions=Count("person__supervision_sessions"))
        .select_related("person")
        .order_by("-sessions", "start_date", "pk")
        .first()
    )
    _link(ctx, appointment.person if appointment else None, PEER_WORKER_KEY)
