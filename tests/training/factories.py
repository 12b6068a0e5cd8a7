"""Factories for training's tests, including recruitment's cohort and an
accepted application: recruitment's own services are written elsewhere, so
these tests accept applications the way recruitment will, by sending
``application_accepted`` inside a transaction."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from peerprog.core.models import Programme, Role, User
from recruitment.models import Application, Cohort
from recruitment.signals import application_accepted
from tests.core.factories import PersonFactory, ProgrammeFactory, UserFactory
from training import services
from training.models import CourseSession, Enrolment, PortfolioSubmission


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    training_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(weeks=8))
    training_end = factory.LazyAttribute(lambda o: o.training_start + timedelta(weeks=12))
    applications_open = factory.LazyAttribute(lambda o: o.training_start - timedelta(weeks=10))
    applications_close = factory.LazyAttribute(lambda o: o.training_start - timedelta(weeks=4))
    capacity = 20
    status = Cohort.Status.IN_TRAINING


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    cohort = factory.SubFactory(CohortFactory)
    person = factory.LazyAttribute(lambda o: PersonFactory(programme=o.cohort.programme))
    stage = Application.Stage.OFFERED


def accept(application: Application) -> Application:
    """Accept an application as recruitment does: stage change and signal in
    one transaction."""
    with transaction.atomic():
        application.stage = Application.Stage.ACCEPTED
        application.save()
        application_accepted.send(sender=Application, application=application)
    return application


def enrol(cohort: Cohort, **person: Any) -> Enrolment:
    application = ApplicationFactory(
        cohort=cohort, person=PersonFactory(programme=cohort.programme, **person)
    )
    accept(application)
    enrolment = Enrolment.objects.get(application=application)
    if cohort.training_start and cohort.training_start <= timezone.localdate():
        # A place on a course that has begun was accepted before it began:
        # its course cannot end before the day of enrolment.
        accepted = timezone.make_aware(
            datetime.combine(cohort.training_start - timedelta(days=14), time(9))
        )
        if accepted < enrolment.enrolled_at:
            Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=accepted)
            enrolment.refresh_from_db()
    return enrolment


def assessor(programme: Programme, name: str = "", **extra: Any) -> User:
    roles = extra.pop("roles", [Role.ASSESSOR])
    kwargs: dict[str, Any] = {"programme": programme, "roles": roles}
    if name:
        kwargs["full_name"] = name
    return UserFactory(**kwargs, **extra)


def set_assessors(cohort: Cohort, first: User, second: User) -> None:
    training = services.cohort_training_ensure(cohort=cohort)
    training.facilitator = first
    training.second_assessor = second
    training.save()


# Files: tiny but real documents, recognised by content.


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes(macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 10)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def upload(name: str = "my portfolio.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content)


def past_session(cohort: Cohort, days_ago: int = 7, **values: Any) -> CourseSession:
    values.setdefault("title", "Recovery")
    values.setdefault("place", "Room 1")
    return services.session_create(
        cohort=cohort,
        by=None,  # type: ignore[arg-type]
        date=timezone.localdate() - timedelta(days=days_ago),
        starts_at="10:00",
        minutes=120,
        **values,
    )


def submit(enrolment: Enrolment, by: User, submitted_on: date | None = None) -> PortfolioSubmission:
    return services.submission_record(
        enrolment=enrolment, upload=upload(), by=by, submitted_on=submitted_on
    )


def mark(submission: PortfolioSubmission, who: User, decision: str, on: date | None = None) -> None:
    from training.models import Assessment
    from training.selectors import rubric_criteria_for

    assessment = Assessment.objects.get(submission=submission, assessor=who)
    criteria = rubric_criteria_for(enrolment=submission.enrolment)
    services.assessment_mark(
        assessment=assessment,
        decision=decision,
        levels={c.pk: ("met", "") for c in criteria},
        comments="Thoughtful reflection.",
        by=who,
        on=on,
    )


def training_object(world: Any, name: str) -> Any:
    """One of training's objects for the access-rule table, built on first
    use and kept on the world. Built only for training's rules, so the
    shared world fixture stays as other apps' tests expect it."""
    if "training" not in world.objects:
        world.objects["training"] = build_training_world(world)
    return world.objects["training"][name]


def build_training_world(world: Any) -> dict[str, Any]:
    """Training's objects for the access-rule table, in each programme: a
    cohort with a session, an enrolled trainee with a draft, and a final
    portfolio both assessors marked differently (so it waits for
    moderation), plus a course template, a rubric and a reason."""
    from training.models import NonCompletionReason

    objects: dict[str, Any] = {}
    sides = [
        ("", world.programme, world.person, world.users["assessor"]),
        ("other_", world.other_programme, world.other_person, None),
    ]
    for prefix, programme, person, first in sides:
        first = first or assessor(programme, "Other Assessor")
        # Names unlike any label on a page, for the programme-isolation crawl.
        second = assessor(programme, "Sabine Halloway" if not prefix else "Oswin Marchetti")
        cohort = CohortFactory(programme=programme, name=f"{prefix}Cohort A")
        set_assessors(cohort, first, second)
        application = accept(ApplicationFactory(cohort=cohort, person=person))
        enrolment = Enrolment.objects.get(application=application)
        session = past_session(cohort)
        draft = services.draft_record(enrolment=enrolment, upload=upload(), by=first)
        submission = submit(enrolment, by=first)
        mark(submission, first, "pass")
        mark(submission, second, "referral")
        template = services.course_template_ensure_default(programme=programme)
        rubric = services.rubric_ensure_default(programme=programme)
        objects.update(
            {
                f"{prefix}training_cohort": cohort,
                f"{prefix}enrolment": enrolment,
                f"{prefix}course_session": session,
                f"{prefix}draft": draft,
                f"{prefix}submission": submission,
                f"{prefix}assessment": submission.assessments.get(assessor=first),
                f"{prefix}course_template": template,
                f"{prefix}topic": template.topics.first(),
                f"{prefix}rubric": rubric,
                f"{prefix}criterion": rubric.criteria.first(),
                f"{prefix}non_completion_reason": NonCompletionReason.objects.filter(
                    programme=programme
                ).first(),
            }
        )
    return objects
