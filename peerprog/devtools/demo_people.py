"""The demo's own people with accounts: a trainee on a course running now
and a peer worker in post, so that their pages have something to show.

The course running now is a third cohort, outside the two study cohorts,
so the study's figures on those are unchanged. It started seven weeks
before the day the demo is seeded, so it is past its mid-course draft
date; ``demo_year`` adds the trainee's classmates and the course's
registers and portfolios.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from deployment.models import Appointment
from peerprog.core.models import Person, User
from recruitment import services as recruitment_services
from recruitment.models import Application, Cohort
from supervision import services as supervision_services
from training import demo as training_demo
from training import services as training_services
from training.models import Enrolment

RUNNING_COHORT = "Cohort 3 (running now)"


def seed_people(ctx: Any) -> None:
    """The demo step: both accounts, each once."""
    if "lead" not in ctx.users:
        return
    _running_trainee(ctx)
    _peer_worker(ctx)


def _account(ctx: Any, person: Person, local: str) -> User | None:
    """The person's own account (no staff role), created once."""
    if person.user_id is not None:
        return person.user
    user = User.objects.filter(email=ctx.email(local)).first()
    if user is None:
        user = User(email=ctx.email(local), full_name=person.legal_name, programme=ctx.programme)
        user.set_password(ctx.password)
        user.full_clean()
        user.save()
        ctx.created_users.append(user)
    person.user = user
    person.save(update_fields=["user"])
    return user


def _running_trainee(ctx: Any) -> None:
    today = ctx.today
    start = today - timedelta(weeks=7)
    cohort, created = Cohort.objects.get_or_create(
        programme=ctx.programme,
        name=RUNNING_COHORT,
        defaults={
            "training_start": start,
            "training_end": start + timedelta(weeks=12),
            "applications_open": start - timedelta(weeks=10),
            "applications_close": start - timedelta(weeks=4),
            "capacity": 12,
            "status": Cohort.Status.IN_TRAINING,
        },
    )
    person = Person.objects.filter(programme=ctx.programme, email=ctx.email("trainee")).first()
    if person is None:
        person = Person.objects.create(
            programme=ctx.programme,
            first_name="Jordan",
            last_name="Ellis",
            email=ctx.email("trainee"),
            email_allowed=True,
        )
    application = Application.objects.filter(cohort=cohort, person=person).first()
    if application is None:
        # Through the journey's own moves, each on its day, so that the
        # timeline reads as if it had been entered then.
        received = start - timedelta(weeks=6)
        application = recruitment_services.application_create(
            cohort=cohort,
            person=person,
            by=ctx.users["lead"],
            source=Application.Source.FLYER,
            received_on=received,
            closed_ok=True,
        )
        for weeks, stage in (
            (5, Application.Stage.SHORTLISTED),
            (4, Application.Stage.INVITED),
            (3, Application.Stage.OFFERED),
            (2, Application.Stage.ACCEPTED),
        ):
            application = recruitment_services.application_move(
                application=application,
                to_stage=stage,
                by=ctx.users["lead"],
                at=timezone.make_aware(datetime.combine(start - timedelta(weeks=weeks), time(10))),
                closed_ok=True,
            )
    enrolment = training_services.enrolment_enrol(application=application)
    training_demo.seed_running_course(ctx, cohort)
    _mentor(ctx, enrolment)
    _account(ctx, person, "trainee")
    if created:
        ctx.lines.append(
            f"Self-service: {person.display_name} is on {RUNNING_COHORT}, with their own account."
        )


def _mentor(ctx: Any, enrolment: Enrolment) -> None:
    mentor = ctx.users.get("mentor")
    if mentor is None or enrolment.mentor_assignments.exists():
        return
    supervision_services.mentor_assign(
        enrolment=enrolment,
        mentor=mentor,
        by=ctx.users["lead"],
        accept_warnings=True,
        on=ctx.today - timedelta(weeks=7),
    )
    supervision_services.mentor_meeting_log(
        enrolment=enrolment,
        by=mentor,
        form_token=uuid.uuid4(),
        held_on=ctx.today - timedelta(weeks=3),
        minutes=45,
        next_meeting_on=ctx.today + timedelta(days=5),
        today=ctx.today,
    )


def _peer_worker(ctx: Any) -> None:
    appointment = (
        Appointment.objects.filter(
            programme=ctx.programme, status=Appointment.Status.IN_POST, person__user__isnull=True
        )
        .select_related("person")
        # The one whose wellbeing plan review is soonest, so that their own
        # pages have a reminder waiting.
        .order_by(F("person__wellbeing_plan__review_due").asc(nulls_last=True), "start_date", "pk")
        .first()
    )
    existing = Person.objects.filter(
        programme=ctx.programme, user__email=ctx.email("peer-worker")
    ).exists()
    if appointment is None or existing:
        return
    _account(ctx, appointment.person, "peer-worker")
    ctx.lines.append(
        f"Self-service: {appointment.person.display_name}, in post, has their own account."
    )
