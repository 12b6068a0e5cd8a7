"""The programme year happening now, beside the study's two finished cohorts.

Everything here is placed relative to the day the demo is seeded, so the
demo is live whenever it is seeded: the course running now (Cohort 3) is
mid-course with its registers, drafts, at-risk trainees and a portfolio
waiting for the second assessor; the next intake (Cohort 4) is taking
applications; HR has a vacant post to convert and a peer worker who left;
the peer workers in post have line managers; and every role finds
reminders and notifications waiting. The study cohorts are not touched, so
the study's figures stay as published.

Each part is idempotent: it looks for what it made (by name, e-mail or
position number) and does nothing the second time.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from deployment import services as deployment_services
from deployment.models import Appointment, LeavingReason, Post, PostConversion, PreEmploymentCheck
from deployment.models.posts import Band, PostRole
from peerprog.core import services as core_services
from peerprog.core.models import Person, Role, User
from peerprog.core.reminders import registry
from peerprog.core.reminders.services import reminders_run_group
from peerprog.devtools.demo_people import RUNNING_COHORT
from recruitment import services as recruitment_services
from recruitment.models import Application, Cohort, InformationEvent, UnsuccessfulReason
from supervision import services as supervision_services
from training import demo as training_demo
from training.models import Enrolment

Stage = Application.Stage
Source = Application.Source
OPEN_COHORT = "Cohort 4 (applications open)"
PREFIX = "NMH-"

# Jordan Ellis's classmates on the course running now: (first name, last
# name, what their course shows, their mentor's e-mail key).
CLASSMATES = [
    ("Sophia", "Reyes", training_demo.DRAFT_RELEASED, "mentor-helen"),
    ("Liam", "Oduya", training_demo.DRAFT_FEEDBACK, "mentor"),
    ("Mei", "Chen", training_demo.DRAFT_ONLY, "mentor-helen"),
    ("Connor", "Byrne", training_demo.NO_DRAFT, "mentor"),
    ("Abena", "Owusu", training_demo.LOW_ATTENDANCE, "mentor-james"),
    ("Ryan", "Lewis", training_demo.FINAL_FIRST_MARKED, "mentor-james"),
    ("Holly", "Parker", training_demo.DRAFT_FEEDBACK, "mentor-aisha"),
]
TRAINEE_PLAN = training_demo.DRAFT_RELEASED

# Applications to the next intake, on its board: (first name, last name,
# source, the stage it has reached).
APPLICANTS = [
    ("Nathan", "Brooks", Source.FLYER, Stage.RECEIVED),
    ("Olivia", "Grant", Source.EXISTING_VOLUNTEER, Stage.RECEIVED),
    ("Samir", "Haddad", Source.JOB_SITE, Stage.RECEIVED),
    ("Tara", "Quinn", Source.STAFF_RECOMMENDATION, Stage.SHORTLISTED),
    ("Usman", "Malik", Source.FACE_TO_FACE, Stage.SHORTLISTED),
    ("Wendy", "Foster", Source.EMAIL, Stage.INVITED),
    ("Xavier", "Dunn", Source.EXISTING_VOLUNTEER, Stage.INVITED),
    ("Yvonne", "Sharp", Source.FLYER, Stage.OFFERED),
    ("Zac", "Harper", Source.OTHER, Stage.UNSUCCESSFUL),
]

# Who manages the peer workers in post, by service: the managers among the
# study's mentors (never a peer worker's own supervisor).
LINE_MANAGERS = {
    "Willow Ward": "mentor",
    "Cedar Ward": "mentor-marcus",
    "Rowan House Rehabilitation": "mentor-peter",
    "Eastgate Community Mental Health Team": "mentor-james",
    "Westfield Community Mental Health Team": "mentor-michael",
    "Early Intervention in Psychosis": "mentor-rajesh",
    "Crisis Resolution and Home Treatment": "mentor-linda",
    "African and Caribbean Wellbeing Service": "mentor-fatima",
}
VACANT_TO_CONVERT = "4113"
LEAVER_POST = "4114"


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _person(ctx: Any, first: str, last: str, *, email_ok: bool = True) -> Person:
    email = f"{first}.{last}".lower() + f"@applicants.{ctx.domain}"
    person = Person.objects.filter(programme=ctx.programme, email=email).first()
    if person is None:
        person = Person(
            programme=ctx.programme,
            first_name=first,
            last_name=last,
            email=email,
            email_allowed=email_ok,
            hard_copy_letters=not email_ok,
            address="" if email_ok else "2 Mill Lane\nNorthshire\nNS2 4BB",
        )
        person.full_clean()
        person.save()
    return person


def seed_year(ctx: Any) -> None:
    """The demo step: each part once, after the study's steps and the
    demo's own people."""
    if "lead" not in ctx.users:
        return
    _running_course(ctx)
    _open_window(ctx)
    _vacant_post(ctx)
    _leaver(ctx)
    _line_managers(ctx)
    _staff_changes(ctx)
    _reminders(ctx)


# The course running now ------------------------------------------------


def _running_course(ctx: Any) -> None:
    cohort = Cohort.objects.filter(programme=ctx.programme, name=RUNNING_COHORT).first()
    trainee = Enrolment.objects.filter(cohort=cohort, person__email=ctx.email("trainee")).first()
    if cohort is None or trainee is None:
        return
    lead = ctx.users["lead"]
    plans = {trainee.pk: TRAINEE_PLAN}
    added = 0
    for number, (first, last, plan, mentor_key) in enumerate(CLASSMATES):
        person = _person(ctx, first, last, email_ok=number % 3 != 2)
        application = Application.objects.filter(cohort=cohort, person=person).first()
        if application is None:
            received = cohort.applications_open + timedelta(days=4 + 3 * number)
            application = recruitment_services.application_create(
                cohort=cohort,
                person=person,
                by=lead,
                source=CLASSMATES_SOURCES[number % len(CLASSMATES_SOURCES)],
                pathway=Application.Pathway.NEW_RECRUIT,
                received_on=received,
                at=_at(received),
            )
            for step, stage in enumerate((Stage.SHORTLISTED, Stage.OFFERED, Stage.ACCEPTED)):
                recruitment_services.application_move(
                    application=application,
                    to_stage=stage,
                    by=lead,
                    at=_at(cohort.applications_close + timedelta(days=2 + 5 * step)),
                )
            added += 1
        enrolment = Enrolment.objects.get(application=application)
        plans[enrolment.pk] = plan
        _mentoring(ctx, enrolment, mentor_key, number)
    training_demo.seed_running_progress(ctx, cohort, plans)
    if added:
        ctx.lines.append(
            f"Training: {cohort.name} is mid-course with {len(plans)} trainees: registers "
            "partly filled, drafts with feedback, two trainees at risk and a portfolio "
            "waiting for the second assessor."
        )


CLASSMATES_SOURCES = [Source.FLYER, Source.EXISTING_VOLUNTEER, Source.EMAIL, Source.JOB_SITE]


def _mentoring(ctx: Any, enrolment: Enrolment, mentor_key: str, number: int) -> None:
    """A mentor for each classmate. The demo mentor's two new mentees are
    behind: one has not met her yet, the other's next meeting is overdue."""
    mentor = User.objects.filter(email=ctx.email(mentor_key)).first()
    if mentor is None or enrolment.mentor_assignments.exists():
        return
    start = enrolment.cohort.training_start
    supervision_services.mentor_assign(
        enrolment=enrolment,
        mentor=mentor,
        by=ctx.users["lead"],
        accept_warnings=True,
        on=start,
    )
    if mentor_key == "mentor" and number > 1:
        return
    held = [start + timedelta(days=6)]
    if mentor_key != "mentor":
        held.append(start + timedelta(days=30 + number))
    for index, held_on in enumerate(held):
        last = index == len(held) - 1
        supervision_services.mentor_meeting_log(
            enrolment=enrolment,
            by=mentor,
            form_token=uuid.uuid4(),
            held_on=held_on,
            minutes=45 if index else 60,
            next_meeting_on=(held_on + timedelta(days=21) if mentor_key == "mentor" else ctx.today)
            if last
            else held[index + 1],
            today=ctx.today,
        )


# The next intake, taking applications ------------------------------------


def _open_window(ctx: Any) -> None:
    if Cohort.objects.filter(programme=ctx.programme, name=OPEN_COHORT).exists():
        return
    lead = ctx.users["lead"]
    today = ctx.today
    cohort = recruitment_services.cohort_create(
        programme=ctx.programme,
        by=lead,
        name=OPEN_COHORT,
        applications_open=today - timedelta(weeks=3),
        applications_close=today + timedelta(weeks=3),
        training_start=today + timedelta(weeks=10),
        capacity=12,
        status=Cohort.Status.RECRUITING,
    )
    event = InformationEvent.objects.create(
        cohort=cohort,
        kind=InformationEvent.Kind.INFORMATION_EVENT,
        held_on=today + timedelta(days=9),
        starts_at=time(14),
        place="Northshire Recovery College, Eastgate",
        notes="Step-free access; quiet room available.",
    )
    not_ready = UnsuccessfulReason.objects.filter(programme=ctx.programme).order_by("pk").first()
    invited = []
    for number, (first, last, source, stage) in enumerate(APPLICANTS):
        person = _person(ctx, first, last, email_ok=number % 4 != 3)
        received = today - timedelta(days=20 - 2 * number)
        application = recruitment_services.application_create(
            cohort=cohort,
            person=person,
            by=lead,
            source=source,
            pathway=Application.Pathway.NEW_RECRUIT,
            received_on=received,
            at=_at(received),
        )
        path = {
            Stage.RECEIVED: (),
            Stage.SHORTLISTED: (Stage.SHORTLISTED,),
            Stage.INVITED: (Stage.SHORTLISTED, Stage.INVITED),
            Stage.OFFERED: (Stage.SHORTLISTED, Stage.OFFERED),
            Stage.UNSUCCESSFUL: (Stage.UNSUCCESSFUL,),
        }[stage]
        for step, to_stage in enumerate(path):
            recruitment_services.application_move(
                application=application,
                to_stage=to_stage,
                by=lead,
                unsuccessful_reason=not_ready if to_stage == Stage.UNSUCCESSFUL else None,
                at=_at(min(received + timedelta(days=2 + step), today), hour=11),
            )
        if stage == Stage.INVITED:
            invited.append(application)
    event.attendees.set(invited)
    ctx.lines.append(
        f"Recruitment: {cohort.name}, open until {cohort.applications_close:%-d %B %Y}, with "
        f"{len(APPLICANTS)} applications on its board (one offer awaiting an answer)."
    )


# Posts and people in post ------------------------------------------------


def _post(ctx: Any, number: str, service: str, wte: Decimal) -> tuple[Post, bool]:
    post = Post.objects.filter(programme=ctx.programme, position_number=f"{PREFIX}{number}").first()
    if post is not None:
        return post, False
    post = deployment_services.post_create(
        programme=ctx.programme,
        by=ctx.users["hr"],
        service=ctx.services[service],
        position_number=f"{PREFIX}{number}",
        job_title="Health Care Assistant",
        role=PostRole.HCA,
        band=Band.BAND_3,
        wte=wte,
        status=Post.Status.VACANT,
    )
    return post, True


def _vacant_post(ctx: Any) -> None:
    """A vacant HCA post the ward would like converted: HR's to decide."""
    if "hr" not in ctx.users or not ctx.services:
        return
    post, created = _post(
        ctx, VACANT_TO_CONVERT, "Westfield Community Mental Health Team", Decimal("0.80")
    )
    if created:
        ctx.lines.append(
            f"Deployment: {post.position_number}, a vacant HCA post at Westfield, "
            "ready to convert to a peer worker post."
        )


def _leaver(ctx: Any) -> None:
    """A peer worker from outside the study cohorts (trained on a partner's
    course) who started eight months ago and left after four and a half for
    paid work elsewhere, so the retention page is not 100% everywhere. Not
    a graduate of the study cohorts, so the study's figures are unchanged."""
    if "hr" not in ctx.users or not ctx.services:
        return
    original, created = _post(ctx, LEAVER_POST, "Cedar Ward", Decimal("0.60"))
    if not created:
        return
    hr, lead, today = ctx.users["hr"], ctx.users["lead"], ctx.today
    start = today - timedelta(days=244)
    conversion = deployment_services.post_convert(
        post=original,
        to_role=PostRole.LXP,
        to_band=Band.BAND_3,
        to_wte=None,
        reason="A peer worker post for the acute wards, filled by an experienced peer worker.",
        by=hr,
    )
    PostConversion.objects.filter(pk=conversion.pk).update(
        converted_at=_at(start - timedelta(days=70)),
        recorded_at=_at(start - timedelta(days=70)),
    )
    post = conversion.new_post
    deployment_services.vacancy_create(
        post=post,
        advert_reference=f"NHSJOBS-{post.position_number}",
        closing_date=start - timedelta(days=35),
        opened_on=start - timedelta(days=63),
        by=hr,
    )
    person = _person(ctx, "Morgan", "Blake")
    appointment = deployment_services.appointment_create(person=person, post=post, by=hr)
    for check in appointment.checks.all():
        deployment_services.check_update(
            check=check,
            status=PreEmploymentCheck.Status.CLEARED,
            requested_on=start - timedelta(days=30),
            completed_on=start - timedelta(days=9),
            by=hr,
        )
    deployment_services.appointment_confirm_start(appointment=appointment, start_date=start, by=hr)
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=_at(start - timedelta(days=32)),
        start_confirmed_at=_at(start - timedelta(days=7)),
    )
    reason = LeavingReason.objects.get(
        programme=ctx.programme, category=LeavingReason.Category.PAID_EMPLOYMENT
    )
    deployment_services.appointment_leave(
        appointment=appointment, last_day=start + timedelta(days=137), reason=reason, by=lead
    )
    ctx.lines.append(
        f"Deployment: {person.display_name} left post {post.position_number} after four and a "
        "half months (paid employment elsewhere); the post is vacant again."
    )


def _line_managers(ctx: Any) -> None:
    """Each peer worker in post gets their service's manager as line manager."""
    managers = {
        service: User.objects.filter(email=ctx.email(key)).first()
        for service, key in LINE_MANAGERS.items()
    }
    appointments = Appointment.objects.filter(
        programme=ctx.programme, status__in=Appointment.ACTIVE, line_manager__isnull=True
    ).select_related("post__service")
    for appointment in appointments:
        manager = managers.get(appointment.post.service.name)
        if manager is not None:
            deployment_services.appointment_update(
                appointment=appointment, by=ctx.users["hr"], line_manager=manager
            )


# Staff changes and reminders ---------------------------------------------


def _staff_changes(ctx: Any) -> None:
    """A new HR adviser given the HR role by the system administrator (so
    the programme's admin is told: the role reads special-category data),
    and a new starter the admin added without a role yet."""
    sysadmin = User.objects.filter(email=ctx.email("sysadmin")).first()
    admin = ctx.users.get("admin")
    if sysadmin is None or admin is None:
        return
    for key, name, job_title, roles, by in (
        ("hr-adviser", "Nina Shaw", "HR adviser", [Role.HR], sysadmin),
        ("new-starter", "Chris Dunn", "Ward clerk", [], admin),
    ):
        if User.objects.filter(email=ctx.email(key)).exists():
            continue
        user = core_services.staff_user_create(
            programme=ctx.programme,
            by=by,
            email=ctx.email(key),
            full_name=name,
            job_title=job_title,
            roles=[str(role) for role in roles],
            send_invitation=False,
        )
        user.set_password(ctx.password)
        user.save(update_fields=["password"])
        ctx.created_users.append(user)


def _reminders(ctx: Any) -> None:
    """Raise today's reminders, as the morning's scheduled scans would, so
    that every role's notification list has something in it."""
    raised = sum(reminders_run_group(group=group, today=ctx.today) for group in registry.groups())
    if raised:
        ctx.lines.append(f"Reminders: {raised} due today are in the notification lists.")
