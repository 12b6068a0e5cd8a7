"""The demo's recruitment: the LXP study's two cohorts and their 38
applications from 36 people, placed relative to today.

Cohort 1 (training about 36 months ago): 18 applications, 12 accepted, 4
unsuccessful, 2 deferred to cohort 2 for more volunteering experience.
Cohort 2 (six months later, about 30 months ago, so that every graduate
appointed from it has passed 24 months in post): 20 applications, the 2
deferred among them, 16 accepted, 4 unsuccessful. Everything goes through
recruitment's services, so the timeline, the audit trail and the hand-over
to training are as real use would leave them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from peerprog.core.models import Person
from recruitment import services
from recruitment.models import (
    Application,
    Cohort,
    DeferralReason,
    InformationEvent,
    UnsuccessfulReason,
)

if TYPE_CHECKING:
    from peerprog.devtools.demo import DemoContext

Stage = Application.Stage
Source = Application.Source

# (first name, last name, preferred name, source, agrees to e-mail)
COHORT_1_PEOPLE = [
    ("Amara", "Okonkwo", "", Source.EXISTING_VOLUNTEER, True),
    ("Benjamin", "Walsh", "Ben", Source.FLYER, True),
    ("Catherine", "Doyle", "Kate", Source.EMAIL, False),
    ("Deepak", "Patel", "", Source.FACE_TO_FACE, True),
    ("Eilidh", "Fraser", "", Source.EXISTING_VOLUNTEER, True),
    ("Femi", "Adebayo", "", Source.JOB_SITE, False),
    ("Gareth", "Price", "", Source.FLYER, True),
    ("Hannah", "Cohen", "", Source.EMAIL, True),
    ("Imran", "Hussain", "", Source.EXISTING_VOLUNTEER, True),
    ("Joanne", "Murphy", "Jo", Source.STAFF_RECOMMENDATION, False),
    ("Kwame", "Asante", "", Source.FACE_TO_FACE, True),
    ("Lucy", "Bennett", "", Source.EXISTING_VOLUNTEER, True),
    # Unsuccessful.
    ("Marcus", "Reid", "", Source.JOB_SITE, True),
    ("Nadia", "Rahman", "", Source.FLYER, False),
    ("Owen", "Jenkins", "", Source.EMAIL, True),
    ("Paula", "Nowak", "", Source.OTHER, False),
    # Deferred to cohort 2 after more volunteering experience.
    ("Rhys", "Morgan", "", Source.FLYER, True),
    ("Sadia", "Begum", "", Source.FACE_TO_FACE, True),
]
COHORT_2_PEOPLE = [
    ("Thomas", "Hughes", "Tom", Source.EXISTING_VOLUNTEER, True),
    ("Uchenna", "Eze", "", Source.STAFF_RECOMMENDATION, True),
    ("Victoria", "Lam", "Vicky", Source.EMAIL, True),
    ("William", "Scott", "Bill", Source.FLYER, False),
    ("Yasmin", "Ali", "", Source.FACE_TO_FACE, True),
    ("Zoe", "Campbell", "", Source.JOB_SITE, True),
    ("Adam", "Kowalski", "", Source.EXISTING_VOLUNTEER, True),
    ("Bethan", "Evans", "", Source.FLYER, True),
    ("Callum", "Stewart", "", Source.EMAIL, False),
    ("Dionne", "Francis", "", Source.STAFF_RECOMMENDATION, True),
    ("Emeka", "Nwosu", "", Source.FACE_TO_FACE, True),
    ("Fiona", "Gallagher", "", Source.EXISTING_VOLUNTEER, True),
    ("Grace", "Mensah", "", Source.EMAIL, True),
    ("Harpreet", "Sandhu", "", Source.JOB_SITE, True),
    # Unsuccessful.
    ("Isaac", "Thompson", "", Source.FLYER, True),
    ("Jasmine", "Clarke", "", Source.OTHER, False),
    ("Kieran", "O'Neill", "", Source.EMAIL, True),
    ("Leanne", "Hart", "", Source.JOB_SITE, True),
]
NOT_READY = "Not yet able to complete a training programme"
NEEDS_VOLUNTEERING = "Needs more volunteering experience"
UNSUCCESSFUL_REASONS = [NOT_READY, NEEDS_VOLUNTEERING, NOT_READY, NEEDS_VOLUNTEERING]


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _person(ctx: DemoContext, first: str, last: str, preferred: str, email_ok: bool) -> Person:
    email = f"{first}.{last}".lower().replace("'", "") + f"@applicants.{ctx.domain}"
    person = Person.objects.filter(programme=ctx.programme, email=email).first()
    if person is None:
        person = Person(
            programme=ctx.programme,
            first_name=first,
            last_name=last,
            preferred_name=preferred,
            email=email,
            email_allowed=email_ok,
            hard_copy_letters=not email_ok,
            address="" if email_ok else "1 High Street\nNorthshire\nNS1 1AA",
        )
        person.full_clean()
        person.save()
    return person


def _cohort(ctx: DemoContext, name: str, start: date, capacity: int) -> tuple[Cohort, bool]:
    cohort = Cohort.objects.filter(programme=ctx.programme, name=name).first()
    if cohort is not None:
        return cohort, False
    cohort = services.cohort_create(
        programme=ctx.programme,
        by=ctx.users["lead"],
        name=name,
        applications_open=start - timedelta(weeks=16),
        applications_close=start - timedelta(weeks=5),
        training_start=start,
        capacity=capacity,
        status=Cohort.Status.RECRUITING,
    )
    return cohort, True


def _run_cohort(
    ctx: DemoContext,
    cohort: Cohort,
    people: list[Person],
    sources: list[str],
    *,
    accepted: int,
    unsuccessful: int,
    deferred_to: Cohort | None = None,
    arrivals: list[Person] | None = None,
) -> None:
    """Take the cohort's applications through to their outcomes."""
    lead = ctx.users["lead"]
    close = cohort.applications_close
    reasons = {
        reason.label: reason
        for reason in UnsuccessfulReason.objects.filter(programme=ctx.programme)
    }
    deferral_reason = DeferralReason.objects.filter(
        programme=ctx.programme, category=DeferralReason.Category.NEEDS_EXPERIENCE
    ).first()
    applications = []
    for n, (person, source) in enumerate(zip(people, sources, strict=True)):
        received = cohort.applications_open + timedelta(days=3 + 4 * n % 70)
        applications.append(
            services.application_create(
                cohort=cohort,
                person=person,
                by=lead,
                source=source,
                pathway=Application.Pathway.NEW_RECRUIT,
                received_on=received,
                at=_at(received),
            )
        )
    # The deferred applications arrive from the earlier cohort already created.
    applications.extend(
        Application.objects.get(cohort=cohort, person=person) for person in arrivals or []
    )
    taken = applications[:accepted]
    turned_down = applications[accepted : accepted + unsuccessful]
    later = applications[accepted + unsuccessful :]
    if deferred_to is None:
        # Deferred arrivals are among the accepted: move them to the front.
        arrived = applications[len(people) :]
        taken = arrived + applications[: accepted - len(arrived)]
        turned_down = applications[accepted - len(arrived) : len(people)]
        later = []

    event = InformationEvent.objects.create(
        cohort=cohort,
        kind=InformationEvent.Kind.INFORMATION_EVENT,
        held_on=close + timedelta(days=7),
        starts_at=time(14),
        place="Northshire Recovery College, Eastgate",
        notes="Step-free access; quiet room available.",
    )
    invited = []
    for application in taken + later:
        services.application_move(
            application=application,
            to_stage=Stage.SHORTLISTED,
            by=lead,
            at=_at(close + timedelta(days=2)),
        )
        services.application_move(
            application=application,
            to_stage=Stage.INVITED,
            by=lead,
            at=_at(close + timedelta(days=3)),
        )
        invited.append(application)
    event.attendees.set(invited)
    for n, application in enumerate(turned_down):
        services.application_move(
            application=application,
            to_stage=Stage.UNSUCCESSFUL,
            by=lead,
            unsuccessful_reason=reasons[UNSUCCESSFUL_REASONS[n % len(UNSUCCESSFUL_REASONS)]],
            at=_at(close + timedelta(days=4)),
        )
    for application in later:
        services.application_move(
            application=application,
            to_stage=Stage.DEFERRED,
            by=lead,
            to_cohort=deferred_to,
            deferral_reason=deferral_reason,
            note="Not offered a place yet: more volunteering experience first, "
            f"then {deferred_to.name}.",
            at=_at(close + timedelta(days=10)),
        )
    for application in taken:
        services.application_move(
            application=application,
            to_stage=Stage.OFFERED,
            by=lead,
            at=_at(close + timedelta(days=14)),
        )
        services.application_move(
            application=application,
            to_stage=Stage.ACCEPTED,
            by=lead,
            at=_at(close + timedelta(days=18)),
        )


def seed_recruitment(ctx: DemoContext) -> None:
    """Both study cohorts with their applications; idempotent."""
    services.reasons_ensure_defaults(programme=ctx.programme)
    start_1 = ctx.months_ago(36, day=6)
    start_2 = ctx.months_ago(30, day=6)
    cohort_1, new_1 = _cohort(ctx, "Cohort 1", start_1, capacity=12)
    cohort_2, new_2 = _cohort(ctx, "Cohort 2", start_2, capacity=16)
    if new_1:
        people = [_person(ctx, r[0], r[1], r[2], r[4]) for r in COHORT_1_PEOPLE]
        _run_cohort(
            ctx,
            cohort_1,
            people,
            [row[3] for row in COHORT_1_PEOPLE],
            accepted=12,
            unsuccessful=4,
            deferred_to=cohort_2,
        )
    if new_2:
        people = [_person(ctx, r[0], r[1], r[2], r[4]) for r in COHORT_2_PEOPLE]
        arrivals = [
            application.person
            for application in Application.objects.filter(
                cohort=cohort_2, deferred_from__isnull=False
            ).select_related("person")
        ]
        _run_cohort(
            ctx,
            cohort_2,
            people,
            [row[3] for row in COHORT_2_PEOPLE],
            accepted=16,
            unsuccessful=4,
            arrivals=arrivals,
        )
    for cohort in (cohort_1, cohort_2):
        if cohort.status != Cohort.Status.CLOSED and cohort.training_end < ctx.today:
            services.cohort_close(cohort=cohort, by=ctx.users["lead"])
    ctx.lines.append(
        f"Recruitment: {cohort_1.name} and {cohort_2.name} with "
        f"{Application.objects.filter(cohort__in=[cohort_1, cohort_2]).count()} applications."
    )
