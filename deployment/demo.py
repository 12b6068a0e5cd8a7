"""The deployment part of the demo data set: the study's establishment, its
seven converted HCA posts (one to a Lead LXP post at band 5, six to LXP
posts at band 3), a recruitment day per cohort, and seven of the ten
eligible graduates appointed to different services, most part-time, all
still in post more than 24 months later.

Run by ``peerprog.devtools.demo`` as one of its steps; the demo's names
(its e-mail domain, the second programme) come in its context, so this app
never imports the tools that seed it. It goes through deployment's services
(so the audit trail reads like real use) and then moves the timestamps back
to the dates the story needs. It does nothing until training's demo data
gives it graduates, and nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from deployment import services
from deployment.models import (
    Appointment,
    Candidate,
    Interview,
    Post,
    PostConversion,
    PreEmploymentCheck,
    RecruitmentDay,
    ReserveEntry,
    Vacancy,
)
from deployment.models.posts import Band, PostRole
from deployment.models.training_records import TrainingCourse, TrainingRecord
from deployment.services import induction as induction_services
from deployment.services import training_records as training_services
from deployment.snapshots import month_start, previous_month, retention_snapshots_backfill
from peerprog.core.dates import add_months
from peerprog.core.models import Person, Programme, Service, User
from training.models import Enrolment

PREFIX = "NMH-"


@dataclass(frozen=True)
class Graduate:
    person: Person
    cohort_id: int
    passed_on: date


def _graduates(programme: Programme) -> list[Graduate]:
    """The people whose enrolment passed, oldest pass first."""
    enrolments = (
        Enrolment.objects.filter(
            person__programme=programme, status="completed", passed_on__isnull=False
        )
        .select_related("person")
        .order_by("passed_on", "person__last_name", "pk")
    )
    seen: set[int] = set()
    graduates = []
    for enrolment in enrolments:
        if enrolment.person_id in seen:
            continue
        seen.add(enrolment.person_id)
        graduates.append(Graduate(enrolment.person, enrolment.cohort_id, enrolment.passed_on))
    return graduates


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


# (position, service, hours WTE, converted to): the seven HCA posts the study
# converted; the first becomes the Lead LXP post.
CONVERTED = [
    ("4101", "Willow Ward", Decimal("1.00"), PostRole.LEAD_LXP),
    ("4102", "Cedar Ward", Decimal("0.60"), PostRole.LXP),
    ("4103", "Rowan House Rehabilitation", Decimal("0.80"), PostRole.LXP),
    ("4104", "Eastgate Community Mental Health Team", Decimal("0.60"), PostRole.LXP),
    ("4105", "Westfield Community Mental Health Team", Decimal("1.00"), PostRole.LXP),
    ("4106", "Early Intervention in Psychosis", Decimal("0.60"), PostRole.LXP),
    ("4107", "Crisis Resolution and Home Treatment", Decimal("0.80"), PostRole.LXP),
]
# The rest of the establishment, untouched by the programme.
OTHER_POSTS = [
    ("4108", "Willow Ward", Decimal("1.00"), Post.Status.FILLED),
    ("4109", "Cedar Ward", Decimal("1.00"), Post.Status.FILLED),
    ("4110", "Cedar Ward", Decimal("0.60"), Post.Status.VACANT),
    ("4111", "Rowan House Rehabilitation", Decimal("0.80"), Post.Status.FROZEN),
    ("4112", "Eastgate Community Mental Health Team", Decimal("1.00"), Post.Status.VACANT),
]


def seed_deployment(ctx: Any) -> None:
    """The deployment step of ``seed_demo`` (``ctx`` is its DemoContext)."""
    programme: Programme = ctx.programme
    if Post.objects.filter(programme=programme, position_number__startswith=PREFIX).exists():
        return
    graduates = _graduates(programme)
    if len(graduates) < 7:
        ctx.lines.append("Deployment demo data waits for training's graduates.")
        return
    hr = ctx.users["hr"]
    lead = ctx.users["lead"]
    services.leaving_reasons_ensure_defaults(programme=programme, by=hr)

    first_pass = graduates[0].passed_on
    converted_on = first_pass - timedelta(days=60)
    new_posts: list[Post] = []
    for number, service_name, wte, role in CONVERTED:
        original = services.post_create(
            programme=programme,
            by=hr,
            service=ctx.services[service_name],
            position_number=f"{PREFIX}{number}",
            job_title="Health Care Assistant",
            role=PostRole.HCA,
            band=Band.BAND_3,
            wte=wte,
        )
        lead_post = role == PostRole.LEAD_LXP
        conversion = services.post_convert(
            post=original,
            to_role=role,
            to_band=Band.BAND_5 if lead_post else Band.BAND_3,
            to_wte=wte,
            reason="Lead LXP post for the peer worker programme, graded like a newly "
            "qualified nurse."
            if lead_post
            else "Peer worker post for the LXP programme, graded like the HCA post it replaces.",
            by=hr,
        )
        # Entered on the day it was made, like the rest of the study's history.
        moment = _at(converted_on)
        PostConversion.objects.filter(pk=conversion.pk).update(
            converted_at=moment, recorded_at=moment
        )
        new_posts.append(conversion.new_post)
    for number, service_name, wte, status in OTHER_POSTS:
        services.post_create(
            programme=programme,
            by=hr,
            service=ctx.services[service_name],
            position_number=f"{PREFIX}{number}",
            job_title="Health Care Assistant",
            role=PostRole.HCA,
            band=Band.BAND_3,
            wte=wte,
            status=status,
        )

    # The seven who passed first are appointed: all of cohort 1's graduates
    # (who can then be seen in post for more than 24 months) and the first
    # of cohort 2's.
    appointees = graduates[:7]
    others = graduates[7:]
    # Each cohort's recruitment day is a week after its last pass; starts
    # follow three weeks later, once the checks are cleared.
    days: dict[int, RecruitmentDay] = {}
    for cohort_id in dict.fromkeys(g.cohort_id for g in graduates):
        last_pass = max(g.passed_on for g in graduates if g.cohort_id == cohort_id)
        days[cohort_id] = _recruitment_day(ctx, last_pass + timedelta(days=7), hr)
    # Everyone is interviewed first (an advert closes once its post is
    # offered); the decisions follow.
    offers = [
        _interview(graduate, post, days[graduate.cohort_id], slot, hr)
        for slot, (graduate, post) in enumerate(zip(appointees, new_posts, strict=True))
    ]
    for index, graduate in enumerate(others):
        same_day = [i.candidate.vacancy.post for i in offers if i.day == days[graduate.cohort_id]]
        post = same_day[-1] if same_day else new_posts[-1]
        _decline(_interview(graduate, post, days[graduate.cohort_id], 7 + index, hr), index, lead)
    for slot, interview in enumerate(offers):
        _appoint(interview, slot, hr, lead)
    ctx.lines.append(
        f"Deployment: 7 HCA posts converted, {len(appointees)} graduates appointed, "
        f"{len(others)} not appointed or on the reserve list."
    )


def _recruitment_day(ctx: Any, on: date, hr: Any) -> RecruitmentDay:
    day = services.recruitment_day_create(
        programme=ctx.programme,
        day=on,
        venue="Northshire Hospital education centre",
        arrangements="Two interview rooms and a quiet waiting room; lunch provided.",
        by=hr,
    )
    representatives = [
        ("Panel A", "Willow Ward", "Ward manager"),
        ("Panel B", "Eastgate Community Mental Health Team", "Team leader"),
    ]
    for name, service_name, job_title in representatives:
        panel = services.panel_create(day=day, name=name, room=f"Seminar room {name[-1]}", by=hr)
        services.panel_member_add(
            panel=panel, name="Priya Shah", job_title="Peer programme lead", by=hr
        )
        services.panel_member_add(
            panel=panel,
            name=f"{job_title}, {service_name}",
            job_title=job_title,
            service=ctx.services[service_name],
            by=hr,
        )
    return day


def _interview(
    graduate: Graduate, post: Post, day: RecruitmentDay, slot: int, hr: Any
) -> Interview:
    vacancy = Vacancy.objects.filter(post=post).first()
    if vacancy is None:
        vacancy = services.vacancy_create(
            post=post,
            advert_reference=f"NHSJOBS-{post.position_number}",
            closing_date=day.date - timedelta(days=7),
            opened_on=day.date - timedelta(days=35),
            by=hr,
        )
    candidate = services.candidate_add(vacancy=vacancy, person=graduate.person, by=hr)
    Candidate.objects.filter(pk=candidate.pk).update(applied_on=day.date - timedelta(days=20))
    services.candidate_set_status(candidate=candidate, status="shortlisted", by=hr)
    panel = day.panels.order_by("name")[slot % 2]
    return services.interview_schedule(
        day=day,
        candidate=candidate,
        starts_at=time(9 + slot // 2, 30 if slot % 2 else 0) if slot < 14 else time(16),
        panel=panel,
        by=hr,
    )


def _appoint(interview: Interview, slot: int, hr: Any, lead: Any) -> None:
    day = interview.day
    services.interview_record_outcome(
        interview=interview, outcome="appoint", notes="Appointed by the panel.", by=lead
    )
    Interview.objects.filter(pk=interview.pk).update(decided_at=_at(day.date, 16))
    appointment = Appointment.objects.get(interview=interview)
    start = day.date + timedelta(days=21)
    for check in appointment.checks.all():
        services.check_update(
            check=check,
            status=PreEmploymentCheck.Status.CLEARED,
            requested_on=day.date + timedelta(days=2),
            completed_on=day.date + timedelta(days=7 + slot),
            by=hr,
        )
    services.appointment_confirm_start(appointment=appointment, start_date=start, by=hr)
    _induction_done(appointment, start, hr, in_progress=slot == LAST_SLOT)
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=_at(day.date, 16), start_confirmed_at=_at(start - timedelta(days=10))
    )


# The last appointee's induction is still in progress: two items not done.
LAST_SLOT = 6
NOT_DONE_YET = ("Lone-working procedure", "Boundaries and confidentiality")


def _induction_done(appointment: Appointment, start: date, hr: Any, *, in_progress: bool) -> None:
    """Tick the checklist off as the pilot's induction went: each item a
    few days before it was due (never after today)."""
    today = timezone.localdate()
    done = {
        item.pk: min(start + timedelta(days=max(item.due_days - 3, 0)), today)
        for item in appointment.induction_items.all()
        if not (in_progress and item.title in NOT_DONE_YET)
    }
    induction_services.induction_checklist_update(appointment=appointment, done=done, by=hr)


def seed_training(ctx: Any) -> None:
    """Training records of the peer workers in post, once: each has done
    the mandatory courses, one person's information governance expires in
    three weeks (the reminder's 30 days), and one has not done safeTALK."""
    programme: Programme = ctx.programme
    if "hr" not in ctx.users or TrainingRecord.objects.filter(programme=programme).exists():
        return
    hr = ctx.users["hr"]
    today: date = ctx.today
    training_services.training_courses_ensure_defaults(programme=programme, by=hr)
    courses = {c.name: c for c in TrainingCourse.objects.filter(programme=programme)}
    in_post = list(
        Appointment.objects.filter(
            programme=programme,
            status=Appointment.Status.IN_POST,
            post__position_number__startswith=PREFIX,
        )
        .select_related("person")
        .order_by("start_date", "pk")
    )
    if not in_post:
        return
    for index, appointment in enumerate(in_post):
        for offset, name in enumerate(
            ("ASIST", "safeTALK", "Managing aggression", "Information governance", "Safeguarding")
        ):
            if index == 1 and name == "safeTALK":
                continue
            course = courses[name]
            if index == 0 and name == "Information governance":
                completed = add_months(today + timedelta(days=21), -course.valid_for_months)
            else:
                completed = today - timedelta(days=30 + 20 * offset + 7 * index)
            training_services.training_record_create(
                person=appointment.person, course=course, completed_on=completed, by=hr
            )
    ctx.lines.append(
        f"Deployment: training records for {len(in_post)} peer workers in post; "
        f"{in_post[0].person.display_name}'s information governance expires in three weeks."
    )


def _decline(interview: Interview, index: int, lead: Any) -> None:
    """The first two not offered a post go on the reserve list."""
    outcome = "reserve" if index < 2 else "not_appointed"
    services.interview_record_outcome(
        interview=interview,
        outcome=outcome,
        notes="A strong interview; no post free for now." if outcome == "reserve" else "",
        by=lead,
    )
    Interview.objects.filter(pk=interview.pk).update(decided_at=_at(interview.day.date, 16))


# Current items ------------------------------------------------------------
#
# The study's records all lie in the past, so on their own they would give a
# demo user no reminders to see. These few current items are placed relative
# to today and leave the study's figures as they were: a vacant HCA post
# converted six weeks ago and not yet advertised; another converted and
# offered to a graduate from the reserve list, starting in ten days with
# checks outstanding (an offer, not yet an appointment in post); and, in the
# second programme, a peer worker who reaches six months in post this week.

CURRENT_NOT_ADVERTISED = "4112"
CURRENT_OFFER = "4110"
OTHER_PROGRAMME_POST = "SPS-0101"


def seed_current(ctx: Any) -> None:
    """Current items for the reminders, once; each waits for the study's
    deployment data and is skipped when it is already there."""
    programme: Programme = ctx.programme
    posts = {
        number: Post.objects.filter(
            programme=programme, position_number=f"{PREFIX}{number}"
        ).first()
        for number in (CURRENT_NOT_ADVERTISED, CURRENT_OFFER)
    }
    if None in posts.values() or "hr" not in ctx.users:
        return
    hr = ctx.users["hr"]
    today: date = ctx.today
    if not PostConversion.objects.filter(original=posts[CURRENT_NOT_ADVERTISED]).exists():
        conversion = services.post_convert(
            post=posts[CURRENT_NOT_ADVERTISED],
            to_role=PostRole.LXP,
            to_band=Band.BAND_3,
            to_wte=None,
            reason="A second peer worker post for the community team.",
            by=hr,
        )
        PostConversion.objects.filter(pk=conversion.pk).update(
            converted_at=_at(today - timedelta(days=42)),
            recorded_at=_at(today - timedelta(days=42)),
        )
        ctx.lines.append(
            f"Deployment: post {PREFIX}{CURRENT_NOT_ADVERTISED} converted six weeks ago, "
            "not advertised yet."
        )
    if not PostConversion.objects.filter(original=posts[CURRENT_OFFER]).exists():
        _current_offer(ctx, posts[CURRENT_OFFER], hr, today)
    _other_programme_peer_worker(ctx, today)
    seed_training(ctx)


def _current_offer(ctx: Any, original: Post, hr: Any, today: date) -> None:
    entry = ReserveEntry.objects.filter(programme=ctx.programme).order_by("pk").first()
    if entry is None:
        return
    conversion = services.post_convert(
        post=original,
        to_role=PostRole.LXP,
        to_band=Band.BAND_3,
        to_wte=None,
        reason="Peer worker post for the acute wards, offered from the reserve list.",
        by=hr,
    )
    PostConversion.objects.filter(pk=conversion.pk).update(
        converted_at=_at(today - timedelta(days=70)),
        recorded_at=_at(today - timedelta(days=70)),
    )
    post = conversion.new_post
    services.vacancy_create(
        post=post,
        advert_reference=f"NHSJOBS-{post.position_number}",
        closing_date=today - timedelta(days=35),
        opened_on=today - timedelta(days=63),
        by=hr,
    )
    appointment = services.appointment_create(person=entry.person, post=post, by=hr)
    # The start the person and the ward agreed, ahead of the checks.
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=_at(today - timedelta(days=21)), start_date=today + timedelta(days=10)
    )
    for check in appointment.checks.order_by("kind"):
        if check.kind == PreEmploymentCheck.Kind.REFERENCES:
            status, completed = PreEmploymentCheck.Status.CLEARED, today - timedelta(days=5)
        else:
            status, completed = PreEmploymentCheck.Status.REQUESTED, None
        services.check_update(
            check=check,
            status=status,
            requested_on=today - timedelta(days=18),
            completed_on=completed,
            by=hr,
        )
    ctx.lines.append(
        f"Deployment: {entry.person.display_name} offered post {post.position_number} from "
        "the reserve list, starting in ten days with checks outstanding."
    )


def _milestone_start(today: date, months: int) -> date:
    """A first day whose milestone of ``months`` falls this week, on or
    before today where the calendar allows."""
    monday = today - timedelta(days=today.weekday())
    for back in range(7):
        first_day = add_months(today - timedelta(days=back), -months)
        if monday <= add_months(first_day, months) <= monday + timedelta(days=6):
            return first_day
    return add_months(today, -months)


def _other_programme_peer_worker(ctx: Any, today: date) -> None:
    programme = Programme.objects.filter(name=ctx.other_programme_name).first()
    lead = User.objects.filter(email=ctx.email("southvale-lead")).first()
    service = Service.objects.filter(programme=programme).order_by("pk").first()
    if programme is None or lead is None or service is None:
        return
    if Post.objects.filter(programme=programme, position_number=OTHER_PROGRAMME_POST).exists():
        return
    person = Person(
        programme=programme,
        first_name="Kai",
        last_name="Turner",
        email=f"kai.turner@applicants.{ctx.domain}",
        email_allowed=False,
    )
    person.full_clean()
    person.save()
    post = services.post_create(
        programme=programme,
        by=lead,
        service=service,
        position_number=OTHER_PROGRAMME_POST,
        job_title="Peer support worker",
        role=PostRole.LXP,
        band=Band.BAND_3,
        wte=Decimal("0.60"),
    )
    first_day = _milestone_start(today, 6)
    appointment = services.appointment_create(person=person, post=post, by=lead)
    for check in appointment.checks.all():
        services.check_update(
            check=check,
            status=PreEmploymentCheck.Status.CLEARED,
            requested_on=first_day - timedelta(days=30),
            completed_on=first_day - timedelta(days=10),
            by=lead,
        )
    services.appointment_confirm_start(appointment=appointment, start_date=first_day, by=lead)
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=_at(first_day - timedelta(days=35)),
        start_confirmed_at=_at(first_day - timedelta(days=7)),
    )
    ctx.lines.append(
        f"{ctx.other_programme_name}: a peer worker who reaches six months in post this week."
    )


def seed_retention_snapshots(ctx: Any) -> None:
    """The monthly retention snapshots of every month before this one, as
    the monthly task would have taken them, so the retention page's trend
    has its history. Months already taken are left alone."""
    until = min(month_start(month_start(ctx.today) - timedelta(days=1)), previous_month())
    written = retention_snapshots_backfill(until=until)
    if written:
        ctx.lines.append(f"Deployment: {written} monthly retention snapshot rows taken.")
