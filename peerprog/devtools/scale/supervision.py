"""Mentoring and supervision at scale: 600 mentors at the largest size with
an assignment for every trainee and about ten logged contacts each (30,000
meetings), and supervisors with a supervision assignment, sessions and
wellbeing plans for every peer worker in post."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from deployment.models import Appointment
from peerprog.core.models import Role
from peerprog.devtools.scale.base import BATCH, ScaleContext, staff_users
from supervision.models import (
    CohortMentoring,
    Frequency,
    MentorAssignment,
    MentorMeeting,
    MentorProfile,
    SupervisionAssignment,
    SupervisionAttendance,
    SupervisionSession,
    WellbeingPlan,
)
from training.models import Enrolment

MEETING_KINDS = [
    (MentorMeeting.Kind.MEETING, 80),
    (MentorMeeting.Kind.SHADOWING, 15),
    (MentorMeeting.Kind.OTHER, 5),
]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(16)))


def seed_mentoring_scale(ctx: ScaleContext) -> None:
    rng = ctx.rng
    today = ctx.today
    mentors = [
        ctx.staff[Role.MENTOR],
        *staff_users(ctx, Role.MENTOR, ctx.scaled(600, minimum=3) - 1, "mentor"),
    ]
    backgrounds = MentorProfile.Background.values
    first_start = min(c.training_start for c in ctx.cohorts)
    MentorProfile.objects.bulk_create(
        [
            MentorProfile(
                user=mentor,
                background=backgrounds[n % len(backgrounds)],
                preparatory_training_on=first_start - timedelta(weeks=4),
                support_meeting_on=first_start - timedelta(weeks=3),
                capacity=1 + n % 5,
            )
            for n, mentor in enumerate(mentors)
        ],
        batch_size=BATCH,
    )
    CohortMentoring.objects.bulk_create([CohortMentoring(cohort=c) for c in ctx.cohorts])

    # Trainees of the cohort in training first, so that every mentor (the
    # first above all, whose page is measured) has someone to meet now.
    current = ctx.biggest_cohort.pk if ctx.biggest_cohort else None
    enrolments = sorted(ctx.data["enrolments"], key=lambda e: (e.cohort_id != current, e.pk))
    assignments = []
    for n, enrolment in enumerate(enrolments):
        cohort = enrolment.cohort
        started_on = cohort.training_start - timedelta(days=3)
        ended_on = enrolment.ended_on
        if ended_on is None and enrolment.status == Enrolment.Status.COMPLETED:
            ended_on = enrolment.passed_on
        if ended_on is not None:
            ended_on = max(ended_on, started_on)
        assignments.append(
            MentorAssignment(
                enrolment=enrolment,
                mentor=mentors[n % len(mentors)],
                started_on=started_on,
                ended_on=ended_on,
                end_reason="Training finished." if ended_on else "",
                assigned_by=ctx.lead,
                assigned_at=_at(started_on),
            )
        )
    assignments = MentorAssignment.objects.bulk_create(assignments, batch_size=BATCH)

    kinds = [k for k, _ in MEETING_KINDS]
    weights = [w for _, w in MEETING_KINDS]
    modes = MentorMeeting.Mode.values
    meetings = []
    for assignment in assignments:
        last = min(assignment.ended_on or today, today - timedelta(days=1))
        span = (last - assignment.started_on).days
        if span <= 0:
            continue
        # About ten contacts over a finished course, fewer so far for those
        # in training now; a few fall behind the minimum.
        planned = rng.choice([1, 2, 9, 11, 12, 13, 14, 15, 16, 17])
        count = max(0, min(planned, span // 5))
        days = sorted(rng.sample(range(span), count)) if count else []
        for index, offset in enumerate(days):
            held_on = assignment.started_on + timedelta(days=offset + 1)
            meetings.append(
                MentorMeeting(
                    assignment=assignment,
                    held_on=held_on,
                    minutes=rng.choice([30, 45, 60]),
                    kind=rng.choices(kinds, weights)[0],
                    mode=modes[index % len(modes)],
                    notes="Synthetic notes for scale testing.",
                    next_meeting_on=held_on + timedelta(days=14)
                    if index == len(days) - 1
                    else None,
                    recorded_by=assignment.mentor,
                    recorded_at=_at(held_on),
                )
            )
    MentorMeeting.objects.bulk_create(meetings, batch_size=BATCH * 5)
    ctx.lines.append(
        f"Mentoring: {len(mentors):,} mentors, {len(assignments):,} assignments, "
        f"{len(meetings):,} meetings."
    )


def seed_supervision_scale(ctx: ScaleContext) -> None:
    """Every peer worker in post has a supervisor and sessions at the agreed
    frequency over the last six months; half have a wellbeing plan."""
    rng = ctx.rng
    today = ctx.today
    in_post = [
        a for a in ctx.data.get("appointments", []) if a.status == Appointment.Status.IN_POST
    ]
    supervisors = [
        ctx.staff[Role.SUPERVISOR],
        *staff_users(ctx, Role.SUPERVISOR, max(1, len(in_post) // 15), "supervisor"),
    ]
    frequencies = [Frequency.FORTNIGHTLY, Frequency.FOUR_WEEKLY, Frequency.FOUR_WEEKLY]
    assignments = []
    for n, appointment in enumerate(in_post):
        supervisor = supervisors[n % len(supervisors)]
        cover = supervisors[(n + 1) % len(supervisors)]
        assignments.append(
            SupervisionAssignment(
                person=appointment.person,
                supervisor=supervisor,
                cover_supervisor=cover if cover.pk != supervisor.pk else None,
                frequency_days=frequencies[n % len(frequencies)],
                started_on=appointment.start_date,
                assigned_by=ctx.lead,
                assigned_at=_at(appointment.start_date),
            )
        )
    assignments = SupervisionAssignment.objects.bulk_create(assignments, batch_size=BATCH)

    sessions = []
    attendees = []
    for n, assignment in enumerate(assignments):
        since = max(assignment.started_on, today - timedelta(days=182))
        # Every seventh worker is behind: their last session is long ago.
        day = since + timedelta(days=rng.randint(0, 6))
        stop = today - timedelta(days=60 if n % 7 == 0 else 1)
        while day <= stop:
            sessions.append(
                SupervisionSession(
                    programme=ctx.programme,
                    kind=SupervisionSession.Kind.INDIVIDUAL,
                    held_on=day,
                    minutes=60,
                    keeping_well=True,
                    developing_role=rng.random() < 0.6,
                    notes="Synthetic notes for scale testing.",
                    led_by=assignment.supervisor,
                    recorded_at=_at(day),
                )
            )
            attendees.append(assignment.person_id)
            day += timedelta(days=assignment.frequency_days)
    sessions = SupervisionSession.objects.bulk_create(sessions, batch_size=BATCH)
    SupervisionAttendance.objects.bulk_create(
        [
            SupervisionAttendance(session=s, person_id=p)
            for s, p in zip(sessions, attendees, strict=True)
        ],
        batch_size=BATCH * 5,
    )
    plans = WellbeingPlan.objects.bulk_create(
        [
            WellbeingPlan(
                person=a.person,
                keeping_well="Synthetic plan for scale testing.",
                agreed_on=a.started_on,
                review_due=max(a.started_on, today) + timedelta(days=30 + n % 120),
                updated_by=a.supervisor,
                updated_at=_at(a.started_on),
            )
            for n, a in enumerate(assignments)
            if n % 2 == 0
        ],
        batch_size=BATCH,
    )
    ctx.lines.append(
        f"Supervision: {len(supervisors):,} supervisors, {len(assignments):,} supervisees, "
        f"{len(sessions):,} sessions, {len(plans):,} wellbeing plans."
    )
