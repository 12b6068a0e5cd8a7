"""The supervision part of the demo data set: the LXP study's 12 mentors
across both cohorts, with plausible meeting histories.

Cohort 1's 12 trainees each have one of the 12 mentors; cohort 2's 16
trainees are shared among 10 of them, six mentoring two trainees. Cohort 1's
mentoring ended with its course; cohort 2's is still open, so the demo
mentor (Grace Okafor) has mentees on her page. The second demo mentor
(Daniel Hughes) has none. Most trainees met their mentor at least three
times; a few only twice; those who left met until they left.

The seven peer workers deployment appointed get supervisors: the demo
supervisor (Sam Rivers, peer worker coordinator) and a trained peer
supervisor, each covering for the other; six months of individual and group
sessions, one peer worker now overdue; wellbeing plans, one due for review;
and continuing development sessions led by the Lead LXP.

Runs after training's and deployment's demo steps; each part does nothing
without their data. Every part is idempotent: a cohort that already has
mentor assignments, or a programme that already has supervision, is left
alone, and users and profiles are found by e-mail.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import Group

from deployment.models import Appointment
from peerprog.core.models import Role, User
from recruitment.models import Cohort
from supervision.models import (
    DevelopmentSession,
    MentorAssignment,
    MentorMeeting,
    MentorProfile,
    SupervisionAssignment,
    SupervisionAttendance,
    SupervisionSession,
    WellbeingPlan,
)
from training.models import Enrolment

Background = MentorProfile.Background

# (e-mail key, name, job title, background, service); the first is the
# existing demo mentor.
MENTORS: list[tuple[str, str, str, str, str]] = [
    ("mentor", "", "", Background.MANAGEMENT, "Willow Ward"),
    ("mentor-helen", "Helen Park", "Staff nurse", Background.CLINICAL, "Willow Ward"),
    (
        "mentor-james",
        "James Whitaker",
        "Community psychiatric nurse",
        Background.CLINICAL,
        "Eastgate Community Mental Health Team",
    ),
    (
        "mentor-aisha",
        "Aisha Rahman",
        "Occupational therapist",
        Background.CLINICAL,
        "Rowan House Rehabilitation",
    ),
    (
        "mentor-michael",
        "Michael O'Brien",
        "Team manager",
        Background.MANAGEMENT,
        "Westfield Community Mental Health Team",
    ),
    (
        "mentor-sophie",
        "Sophie Turner",
        "Healthcare support worker",
        Background.SUPPORT,
        "Cedar Ward",
    ),
    (
        "mentor-rajesh",
        "Rajesh Patel",
        "Clinical psychologist",
        Background.CLINICAL,
        "Early Intervention in Psychosis",
    ),
    (
        "mentor-linda",
        "Linda Evans",
        "Service manager",
        Background.MANAGEMENT,
        "Crisis Resolution and Home Treatment",
    ),
    (
        "mentor-chloe",
        "Chloe Bennett",
        "Support, time and recovery worker",
        Background.SUPPORT,
        "Eastgate Community Mental Health Team",
    ),
    ("mentor-marcus", "Marcus Green", "Charge nurse", Background.CLINICAL, "Cedar Ward"),
    (
        "mentor-fatima",
        "Fatima Begum",
        "Community development worker",
        Background.SUPPORT,
        "African and Caribbean Wellbeing Service",
    ),
    (
        "mentor-peter",
        "Peter Novak",
        "Deputy ward manager",
        Background.MANAGEMENT,
        "Rowan House Rehabilitation",
    ),
]

# Cohort 2: which mentor (by index in MENTORS) each trainee has, in name
# order. Six mentors have two trainees; the demo mentor (0) is one of them.
COHORT_2_MENTORS = [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]

# Days into the course of each meeting, by a trainee's position: most meet
# three or four times, every fifth only twice.
MEETING_PATTERNS = [(6, 30, 62), (10, 41, 70, 80), (4, 27, 55), (8, 36, 64, 78), (12, 48)]
NOTES = [
    "Getting to know each other; talked about what the trainee hopes to get from the course.",
    "Went over the week's sessions; the trainee found the boundaries session useful.",
    "Planned a shadowing day on the ward and talked about the portfolio.",
    "Reflected on the course so far and what comes next.",
]


def seed_study_mentoring(ctx: Any) -> None:
    """The demo step. ``ctx`` is the demo tools' DemoContext."""
    cohorts = list(
        Cohort.objects.filter(programme=ctx.programme).order_by("training_start", "pk")[:2]
    )
    enrolled = [
        list(
            Enrolment.objects.filter(cohort=c)
            .select_related("person", "cohort")
            .order_by("person__last_name", "person__first_name", "pk")
        )
        for c in cohorts
    ]
    if len(cohorts) < 2 or not all(enrolled):
        ctx.lines.append("Supervision: no study cohorts with trainees yet; mentoring skipped.")
        return
    mentors = _mentors(ctx, before=cohorts[0].training_start)
    lead = ctx.users["lead"]
    plans = [
        [mentors[i % len(mentors)] for i in range(len(enrolled[0]))],
        [mentors[COHORT_2_MENTORS[i % len(COHORT_2_MENTORS)]] for i in range(len(enrolled[1]))],
    ]
    for number, (cohort, enrolments, plan) in enumerate(
        zip(cohorts, enrolled, plans, strict=False)
    ):
        if MentorAssignment.objects.filter(enrolment__cohort=cohort).exists():
            continue
        for index, (enrolment, who) in enumerate(zip(enrolments, plan, strict=False)):
            _mentoring(ctx, enrolment, who, lead, index, ends_with_course=number == 0)
    ctx.lines.append("Supervision: 12 mentors with their trainees' meeting histories.")


def _mentors(ctx: Any, *, before: date) -> list[User]:
    group = Group.objects.get(name=Role.MENTOR)
    trained_on = before - timedelta(days=21)
    mentors = []
    for key, name, job_title, background, service in MENTORS:
        email = ctx.email(key)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, full_name=name, job_title=job_title, programme=ctx.programme)
            user.set_password(ctx.password)
            user.full_clean()
            user.save()
            user.groups.set([group])
            ctx.created_users.append(user)
        if not MentorProfile.objects.filter(user=user).exists():
            profile = MentorProfile(
                user=user,
                background=background,
                service=ctx.services.get(service),
                preparatory_training_on=trained_on,
                support_meeting_on=trained_on + timedelta(days=7),
                capacity=2,
            )
            profile.full_clean()
            profile.save()
        mentors.append(user)
    return mentors


def _mentoring(
    ctx: Any, enrolment: Enrolment, mentor: User, lead: User, index: int, *, ends_with_course: bool
) -> None:
    cohort = enrolment.cohort
    start = cohort.training_start
    left_on = enrolment.ended_on if enrolment.status == Enrolment.Status.NOT_COMPLETED else None
    ended_on = None
    reason = ""
    if left_on and left_on <= cohort.training_end:
        ended_on, reason = left_on, "Left the course"
    elif ends_with_course:
        ended_on, reason = cohort.training_end, "The course finished"
    assignment = MentorAssignment(
        enrolment=enrolment,
        mentor=mentor,
        started_on=start,
        ended_on=ended_on,
        end_reason=reason,
        assigned_by=lead,
    )
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    pattern = MEETING_PATTERNS[index % len(MEETING_PATTERNS)]
    last_day = min(left_on or ctx.today, ctx.today)
    days = [d for d in pattern if start + timedelta(days=d) <= last_day]
    for number, day in enumerate(days):
        held_on = start + timedelta(days=day)
        following = days[number + 1] if number + 1 < len(days) else None
        meeting = MentorMeeting(
            assignment=assignment,
            held_on=held_on,
            minutes=(45, 60, 30, 60)[number % 4],
            kind=MentorMeeting.Kind.MEETING,
            mode=MentorMeeting.Mode.REMOTE if (index + number) % 4 == 3 else "in_person",
            notes=NOTES[number % len(NOTES)],
            next_meeting_on=start + timedelta(days=following) if following else None,
            recorded_by=mentor,
        )
        meeting.full_clean()
        meeting.save()
        if number == 1 and index % 3 == 0 and held_on + timedelta(days=7) <= last_day:
            shadowing = MentorMeeting(
                assignment=assignment,
                held_on=held_on + timedelta(days=7),
                minutes=240,
                kind=MentorMeeting.Kind.SHADOWING,
                notes="A morning shadowing on the mentor's ward.",
                recorded_by=mentor,
            )
            shadowing.full_clean()
            shadowing.save()


# Supervision of the employed peer workers

SESSION_NOTES = [
    "Checked in on how the week on the ward went; talked through a difficult conversation.",
    "Looked at the role: recording in the notes, and what the team asks of a peer worker.",
    "Reviewed the wellbeing plan together; nothing to change.",
]
DEVELOPMENT_TOPICS = [
    "Sharing your story safely: when and how much",
    "Working alongside clinical teams",
    "Peer support in crisis and home treatment",
    "Recovery-focused language in the notes",
]


def seed_study_supervision(ctx: Any) -> None:
    """Supervisors for the peer workers deployment appointed. ``ctx`` is the
    demo tools' DemoContext."""
    appointments = list(
        Appointment.objects.filter(programme=ctx.programme, status=Appointment.Status.IN_POST)
        .select_related("person")
        .order_by("-is_lead_lxp", "start_date", "pk")
    )
    if not appointments:
        ctx.lines.append("Supervision: no peer workers in post yet; supervision skipped.")
        return
    if SupervisionAssignment.objects.filter(person__programme=ctx.programme).exists():
        return
    sam = ctx.users["supervisor"]
    jade = _supervisor(ctx, "peer-supervisor", "Jade Wilson", "Trained peer supervisor")
    lead = ctx.users["lead"]
    today = ctx.today
    by_supervisor: dict[int, list[Any]] = {sam.pk: [], jade.pk: []}
    for index, appointment in enumerate(appointments):
        main, cover = (sam, jade) if index % 2 == 0 else (jade, sam)
        frequency = 14 if index % 3 == 1 else 28
        assignment = SupervisionAssignment(
            person=appointment.person,
            supervisor=main,
            cover_supervisor=cover,
            frequency_days=frequency,
            started_on=appointment.start_date,
            assigned_by=lead,
        )
        assignment.full_clean(validate_constraints=False)
        assignment.save()
        overdue = index == len(appointments) - 1
        if not overdue:
            by_supervisor[main.pk].append(appointment.person)
        # Individual sessions over the last six months at the agreed
        # frequency; the last peer worker has missed the latest ones.
        last = today - timedelta(days=3 + index)
        if overdue:
            last = today - timedelta(days=frequency + 20)
        day = last
        number = 0
        while day >= max(today - timedelta(days=182), appointment.start_date):
            _session(
                ctx,
                main,
                [appointment.person],
                day,
                number,
                challenging=index == 2 and number == 1,
            )
            day -= timedelta(days=frequency)
            number += 1
        if index < 6:
            plan = WellbeingPlan(
                person=appointment.person,
                keeping_well="Regular breaks away from the ward; time after a hard shift to "
                "talk it through; keeping to my usual hours.",
                early_signs="Sleeping badly, skipping breaks, going quiet in team meetings.",
                what_helps="Ask me how I am in private; offer a quiet room and a supervision "
                "session that week.",
                contacts="My supervisor first, then the peer worker coordinator.",
                agreed_on=appointment.start_date + timedelta(days=30),
                review_due=today - timedelta(days=10)
                if index == 4
                else today + timedelta(days=30 + 10 * index),
                last_reviewed_on=today - timedelta(days=150 + index),
                updated_by=main,
            )
            plan.full_clean()
            plan.save()
    for who, people in ((sam, by_supervisor[sam.pk]), (jade, by_supervisor[jade.pk])):
        if len(people) < 2:
            continue
        for month in range(1, 7):
            _session(ctx, who, people, today - timedelta(days=30 * month - 5), month, group=True)
    lead_lxp = next((a.person for a in appointments if a.is_lead_lxp), None)
    peers = [a.person for a in appointments if not a.is_lead_lxp]
    for number, topic in enumerate(DEVELOPMENT_TOPICS):
        session = DevelopmentSession(
            programme=ctx.programme,
            held_on=today - timedelta(days=45 * (len(DEVELOPMENT_TOPICS) - number)),
            topic=topic,
            minutes=120,
            led_by=lead_lxp,
            recorded_by=lead,
        )
        session.full_clean()
        session.save()
        session.attendees.set(peers if number % 2 == 0 else peers[:-1])
    ctx.lines.append(
        f"Supervision: supervisors for {len(appointments)} peer workers in post, with sessions, "
        "wellbeing plans and development sessions."
    )


def _supervisor(ctx: Any, key: str, name: str, job_title: str) -> User:
    email = ctx.email(key)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=name, job_title=job_title, programme=ctx.programme)
        user.set_password(ctx.password)
        user.full_clean()
        user.save()
        user.groups.set([Group.objects.get(name=Role.SUPERVISOR)])
        ctx.created_users.append(user)
    return user


def _session(
    ctx: Any,
    led_by: User,
    people: list[Any],
    day: date,
    number: int,
    *,
    group: bool = False,
    challenging: bool = False,
) -> None:
    session = SupervisionSession(
        programme=ctx.programme,
        kind=SupervisionSession.Kind.GROUP if group else SupervisionSession.Kind.INDIVIDUAL,
        held_on=day,
        minutes=90 if group else 60,
        keeping_well=group or number % 2 == 0,
        developing_role=not group or number % 2 == 1,
        after_challenging_event=challenging,
        notes="Group supervision: shared what has gone well and what has been hard."
        if group
        else SESSION_NOTES[number % len(SESSION_NOTES)],
        led_by=led_by,
    )
    session.full_clean()
    session.save()
    for person in people:
        SupervisionAttendance.objects.create(session=session, person=person)
