"""The supervision part of the demo data set: the LXP study's 12 mentors
across both cohorts, with plausible meeting histories.

Cohort 1's 12 trainees each have one of the 12 mentors; cohort 2's 16
trainees are shared among 10 of them, six mentoring two trainees. Cohort 1's
mentoring ended with its course; cohort 2's is still open, so the demo
mentor (Grace Okafor) has mentees on her page. The second demo mentor
(Daniel Hughes) has none. Most trainees met their mentor at least three
times; a few only twice; those who left met until they left.

Runs after training's demo step; without enrolments it does nothing. Every
part is idempotent: a cohort that already has mentor assignments is left
alone, and users and profiles are found by e-mail.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import Group

from peerprog.core.models import Role, User
from recruitment.models import Cohort
from supervision.models import MentorAssignment, MentorMeeting, MentorProfile
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
    """The demo step. ``ctx`` is the dashboard's DemoContext."""
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
    # New demo users share the demo mentor's e-mail domain.
    domain = ctx.users["mentor"].email.split("@", 1)[1]
    for key, name, job_title, background, service in MENTORS:
        email = f"{key}@{domain}"
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
