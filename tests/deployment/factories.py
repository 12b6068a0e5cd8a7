from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from deployment.models import (
    Absence,
    Appointment,
    Candidate,
    Interview,
    LeavingReason,
    Panel,
    Post,
    PostConversion,
    PreEmploymentCheck,
    RecruitmentDay,
    ReserveEntry,
    Vacancy,
)
from deployment.models.posts import Band, PostRole
from peerprog.core.models import Letter, PendingImport, Programme, User
from tests.core.factories import PersonFactory, ServiceFactory, UserFactory

ESTABLISHMENT_CSV = (
    b"Position number,Job title,Service,Role,Band,WTE\n"
    b"HCA-9001,Health Care Assistant,Willow Ward,HCA,3,0.6\n"
)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    programme = factory.LazyAttribute(lambda o: o.service.programme)
    service = factory.SubFactory(ServiceFactory)
    position_number = factory.Sequence(lambda n: f"P{n:05d}")
    job_title = "Health Care Assistant"
    role = PostRole.HCA
    band = Band.BAND_3
    wte = Decimal("0.80")
    status = Post.Status.VACANT


class PeerPostFactory(PostFactory):
    job_title = "Lived Experience Practitioner"
    role = PostRole.LXP


class ConversionFactory(factory.django.DjangoModelFactory):
    """A conversion in force: the original converted, the new post vacant."""

    class Meta:
        model = PostConversion

    original = factory.SubFactory(PostFactory, status=Post.Status.CONVERTED)
    programme = factory.LazyAttribute(lambda o: o.original.programme)
    new_post = factory.LazyAttribute(
        lambda o: PeerPostFactory(
            service=o.original.service,
            position_number=o.original.position_number,
            converted_from=o.original,
        )
    )
    from_job_title = "Health Care Assistant"
    from_role = PostRole.HCA
    from_band = Band.BAND_3
    from_wte = Decimal("0.80")
    to_job_title = "Lived Experience Practitioner"
    to_role = PostRole.LXP
    to_band = Band.BAND_3
    to_wte = Decimal("0.80")
    reason = "Peer worker programme"
    converted_by = factory.SubFactory(UserFactory)
    # Entered on the day it was made, unless a test says otherwise.
    converted_at = factory.LazyFunction(timezone.now)
    recorded_at = factory.LazyAttribute(lambda o: o.converted_at)


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    post = factory.SubFactory(PeerPostFactory)
    programme = factory.LazyAttribute(lambda o: o.post.programme)
    advert_reference = factory.Sequence(lambda n: f"NHSJOBS-{n:06d}")
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=21))
    created_by = factory.SubFactory(UserFactory)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    vacancy = factory.SubFactory(VacancyFactory)
    person = factory.LazyAttribute(lambda o: PersonFactory(programme=o.vacancy.programme))
    status = Candidate.Status.SHORTLISTED
    added_by = factory.SubFactory(UserFactory)


class RecruitmentDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecruitmentDay

    programme = factory.SubFactory("tests.core.factories.ProgrammeFactory")
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    venue = "Northshire Hospital education centre"
    created_by = factory.SubFactory(UserFactory)


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    day = factory.SubFactory(RecruitmentDayFactory)
    name = factory.Sequence(lambda n: f"Panel {n}")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    day = factory.SubFactory(RecruitmentDayFactory)
    candidate = factory.LazyAttribute(
        lambda o: CandidateFactory(
            vacancy=VacancyFactory(
                post=PeerPostFactory(service=ServiceFactory(programme=o.day.programme))
            )
        )
    )
    starts_at = time(10, 0)


class ReserveEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReserveEntry

    programme = factory.LazyAttribute(lambda o: o.person.programme)
    person = factory.SubFactory(PersonFactory)
    placed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    stands_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=300))


class LeavingReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeavingReason

    programme = factory.SubFactory("tests.core.factories.ProgrammeFactory")
    label = factory.Sequence(lambda n: f"Reason {n}")
    category = LeavingReason.Category.PAID_EMPLOYMENT


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A peer worker in post, with all four checks cleared."""

    class Meta:
        model = Appointment
        skip_postgeneration_save = True

    post = factory.SubFactory(PeerPostFactory, status=Post.Status.FILLED)
    programme = factory.LazyAttribute(lambda o: o.post.programme)
    person = factory.LazyAttribute(lambda o: PersonFactory(programme=o.post.programme))
    status = Appointment.Status.IN_POST
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=90))
    contract = Appointment.Contract.PART_TIME
    hours_per_week = Decimal("22.5")
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def checks(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        status = extracted or PreEmploymentCheck.Status.CLEARED
        done = self.start_date or timezone.localdate()
        for kind in PreEmploymentCheck.Kind.values:
            PreEmploymentCheck.objects.create(
                appointment=self,
                kind=kind,
                status=status,
                requested_on=done - timedelta(days=40),
                completed_on=done - timedelta(days=10)
                if status == PreEmploymentCheck.Status.CLEARED
                else None,
            )


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    appointment = factory.SubFactory(AppointmentFactory)
    kind = Absence.Kind.ANNUAL_LEAVE
    starts_on = factory.LazyAttribute(lambda o: o.appointment.start_date + timedelta(days=10))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=4))
    recorded_by = factory.SubFactory(UserFactory)


def deployment_objects(
    programme: Programme, prefix: str = "", by: User | None = None
) -> dict[str, Any]:
    """One of each deployment record in ``programme``, for the access-rule
    table. ``prefix`` names them (``other_`` for the other programme)."""
    by = by or UserFactory(programme=programme)
    service = ServiceFactory(programme=programme)
    post = PostFactory(service=service)
    conversion = ConversionFactory(
        original=PostFactory(service=service, status=Post.Status.CONVERTED), converted_by=by
    )
    vacancy = VacancyFactory(post=PeerPostFactory(service=service), created_by=by)
    candidate = CandidateFactory(vacancy=vacancy, added_by=by)
    # Held a week ago: its interview has a decision.
    day = RecruitmentDayFactory(
        programme=programme, created_by=by, date=timezone.localdate() - timedelta(days=7)
    )
    panel = PanelFactory(day=day)
    interview = InterviewFactory(
        day=day, candidate=candidate, panel=panel, outcome=Interview.Outcome.NOT_APPOINTED
    )
    letter = Letter.objects.create(
        programme=programme,
        person=candidate.person,
        kind="deployment.not_appointed",
        key=f"deployment.interview:{interview.pk}:deployment.not_appointed",
        subject="Your application",
        body="Dear candidate,\n\nThank you for coming.\n",
        channel=Letter.Channel.POST,
        status=Letter.Status.TO_POST,
        created_by=by,
    )
    reserve_entry = ReserveEntryFactory(person=PersonFactory(programme=programme))
    appointment = AppointmentFactory(
        post=PeerPostFactory(service=service, status=Post.Status.FILLED), created_by=by
    )
    absence = AbsenceFactory(appointment=appointment, recorded_by=by)
    reason = LeavingReasonFactory(programme=programme)
    return {
        f"{prefix}deployment_post": post,
        f"{prefix}conversion": conversion,
        f"{prefix}vacancy": vacancy,
        f"{prefix}candidate": candidate,
        f"{prefix}recruitment_day": day,
        f"{prefix}panel": panel,
        f"{prefix}interview": interview,
        f"{prefix}deployment_letter": letter,
        f"{prefix}reserve_entry": reserve_entry,
        f"{prefix}appointment": appointment,
        f"{prefix}check": appointment.checks.first(),
        f"{prefix}absence": absence,
        f"{prefix}leaving_reason": reason,
    }


def add_deployment(world: Any) -> None:
    """Deployment's records in ``world.objects``: one of each in the
    programme (made by its HR officer) and in the other programme."""
    world.objects.update(deployment_objects(world.programme, by=world.users["hr"]))
    world.objects.update(deployment_objects(world.other_programme, prefix="other_"))
    for prefix, programme, user in (
        ("", world.programme, world.users["hr"]),
        ("other_", world.other_programme, world.users["other_programme_lead"]),
    ):
        world.objects[f"{prefix}establishment_import"] = PendingImport.objects.create(
            programme=programme,
            importer="deployment.establishment",
            created_by=user,
            filename="posts.csv",
            file_format=PendingImport.Format.CSV,
            content=ESTABLISHMENT_CSV,
            options={},
        )


_cohort_numbers = itertools.count(1)


def graduate(
    programme: Programme, *, passed_on: date | None = None, cohort: Any = None, **person: Any
) -> Any:
    """A person whose training enrolment passed on ``passed_on`` (a week ago),
    enrolled through recruitment's acceptance as training expects."""
    from tests.training.factories import CohortFactory, enrol
    from training.models import Enrolment

    cohort = cohort or CohortFactory(
        programme=programme,
        name=f"Graduating cohort {next(_cohort_numbers)}",
        training_start=timezone.localdate() - timedelta(weeks=20),
    )
    enrolment = enrol(cohort, **person)
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.passed_on = passed_on or timezone.localdate() - timedelta(days=7)
    enrolment.save()
    return enrolment.person


def months_ago(months: int, today: date | None = None) -> date:
    from peerprog.core.dates import add_months

    return add_months(today or timezone.localdate(), -months)
