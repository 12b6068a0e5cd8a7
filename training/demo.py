"""The training part of the demo data set: the LXP study's two cohorts run
through the course, with the study's outcomes.

Cohort 1 (12 trainees): 6 pass. Cohort 2 (16 trainees): 4 pass. Of the 18
who do not complete, 10 do not complete the portfolio (incomplete after two
referrals, or not submitted) and 8 leave the programme: paid employment
elsewhere 2, further study 2, other volunteering 2, health issues 1,
personal factors 1.

Runs after recruitment's demo step, which creates the cohorts and accepts
the applications. Without them it does nothing. Every part is idempotent:
a cohort that already has a timetable, a register or outcomes is left alone.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from recruitment.models import Application, Cohort
from training import services
from training.models import (
    Attendance,
    CohortTraining,
    CourseSession,
    Enrolment,
    NonCompletionReason,
    PortfolioDraft,
    PortfolioSubmission,
)
from training.selectors import register_enrolments, rubric_criteria_for

PASSED = "passed"
PASSED_AFTER_REFERRAL = "passed_after_referral"
PASSED_MODERATED = "passed_moderated"
INCOMPLETE = "incomplete"
NOT_SUBMITTED = "not_submitted"
Category = NonCompletionReason.Category

# One plan per study cohort, in the order trainees are listed (by name).
PLANS: list[list[str]] = [
    [
        PASSED,
        NOT_SUBMITTED,
        PASSED,
        Category.LEFT_PAID_EMPLOYMENT,
        PASSED_AFTER_REFERRAL,
        PASSED,
        INCOMPLETE,
        Category.LEFT_FURTHER_STUDY,
        PASSED,
        NOT_SUBMITTED,
        PASSED,
        Category.LEFT_HEALTH,
    ],
    [
        NOT_SUBMITTED,
        PASSED,
        Category.LEFT_OTHER_VOLUNTEERING,
        INCOMPLETE,
        NOT_SUBMITTED,
        PASSED_MODERATED,
        Category.LEFT_PAID_EMPLOYMENT,
        INCOMPLETE,
        PASSED,
        NOT_SUBMITTED,
        Category.LEFT_FURTHER_STUDY,
        INCOMPLETE,
        Category.LEFT_OTHER_VOLUNTEERING,
        PASSED,
        NOT_SUBMITTED,
        Category.LEFT_PERSONAL,
    ],
]
PASSES = (PASSED, PASSED_AFTER_REFERRAL, PASSED_MODERATED)
DEMO_PLACE = "Northshire Recovery College, Room 2"


def _pdf(label: str) -> SimpleUploadedFile:
    body = f"%PDF-1.4\n% peerprog demo portfolio: {label}\n%%EOF\n".encode()
    return SimpleUploadedFile(f"{label}.pdf", body, content_type="application/pdf")


def seed_study_training(ctx: Any) -> None:
    """The demo step. ``ctx`` is the demo tools' DemoContext (programme,
    users, today, lines)."""
    cohorts = list(
        Cohort.objects.filter(programme=ctx.programme).order_by("training_start", "pk")[:2]
    )
    accepted = [
        list(
            Application.objects.filter(cohort=c, stage=Application.Stage.ACCEPTED).order_by(
                "person__last_name", "person__first_name", "pk"
            )
        )
        for c in cohorts
    ]
    if len(cohorts) < 2 or not all(accepted):
        ctx.lines.append("Training: no study cohorts with accepted applications yet; skipped.")
        return
    services.course_template_ensure_default(programme=ctx.programme)
    for cohort, applications, plan in zip(cohorts, accepted, PLANS, strict=False):
        enrolments = [services.enrolment_enrol(application=a) for a in applications]
        _settings(ctx, cohort)
        _timetable(ctx, cohort)
        outcomes = dict(zip((e.pk for e in enrolments), plan, strict=False))
        _registers(ctx, cohort, enrolments, outcomes)
        _portfolios(ctx, cohort, enrolments, outcomes)
    ctx.lines.append("Training: the study cohorts' courses and outcomes are in place.")


def seed_running_course(ctx: Any, cohort: Cohort) -> None:
    """A course running now (outside the study cohorts): its facilitator,
    assessors and timetable, once."""
    _settings(ctx, cohort)
    _timetable(ctx, cohort)


def _settings(ctx: Any, cohort: Cohort) -> None:
    training = services.cohort_training_ensure(cohort=cohort)
    if training.facilitator_id is None:
        services.cohort_training_update(
            training=training,
            by=ctx.users["lead"],
            facilitator=ctx.users["facilitator"],
            second_assessor=ctx.users["assessor"],
        )


def _timetable(ctx: Any, cohort: Cohort) -> None:
    if CourseSession.objects.filter(cohort=cohort).exists():
        return
    template = services.course_template_ensure_default(programme=ctx.programme)
    sessions = services.timetable_generate(
        cohort=cohort, template=template, by=ctx.users["lead"], place=DEMO_PLACE
    )
    peers = [("Jo Peer", "peer_worker"), ("Dr Amir Khan", "professional")]
    for index, session in enumerate(sessions):
        if index % 3 == 0:
            services.session_update(
                session=session,
                by=ctx.users["lead"],
                co_facilitators=[peers[index % 2], ("Lee Service-User", "service_user")],
            )


def _leaving_day(cohort: Cohort, index: int) -> date:
    return cohort.training_start + timedelta(weeks=3 + index % 5)


def _registers(
    ctx: Any, cohort: Cohort, enrolments: list[Enrolment], outcomes: dict[int, str]
) -> None:
    if Attendance.objects.filter(session__cohort=cohort).exists():
        return
    sessions = CourseSession.objects.filter(
        cohort=cohort, status=CourseSession.Status.SCHEDULED, date__lte=ctx.today
    ).order_by("date", "starts_at")
    for number, session in enumerate(sessions):
        on_register = {e.pk for e in register_enrolments(session=session)}
        marks: dict[int, str] = {}
        for index, enrolment in enumerate(enrolments):
            if enrolment.pk not in on_register:
                continue
            plan = outcomes.get(enrolment.pk, PASSED)
            leaves = plan not in PASSES and plan not in (INCOMPLETE, NOT_SUBMITTED)
            if leaves and session.date > _leaving_day(cohort, index):
                continue
            turn = number + index
            if plan in PASSES:
                status = "absent" if turn % 9 == 0 else ("late" if turn % 7 == 0 else "present")
            elif plan == NOT_SUBMITTED:
                status = "absent" if turn % 3 == 0 else "present"
            else:
                status = "authorised" if turn % 5 == 0 else "present"
            marks[enrolment.pk] = status
        services.attendance_record(
            session=session, marks=marks, by=ctx.users["facilitator"], today=ctx.today
        )


def _portfolios(
    ctx: Any, cohort: Cohort, enrolments: list[Enrolment], outcomes: dict[int, str]
) -> None:
    if PortfolioSubmission.objects.filter(enrolment__cohort=cohort).exists() or any(
        e.status != Enrolment.Status.ACTIVE for e in enrolments
    ):
        return
    training = CohortTraining.objects.get(cohort=cohort)
    facilitator, assessor, lead = ctx.users["facilitator"], ctx.users["assessor"], ctx.users["lead"]
    reasons = {
        r.category: r
        for r in services.non_completion_reasons_ensure_defaults(programme=ctx.programme)
    }
    for index, enrolment in enumerate(enrolments):
        plan = outcomes.get(enrolment.pk)
        if plan is None:
            continue
        name = f"portfolio-{enrolment.pk}"
        if plan in reasons and plan not in NonCompletionReason.PORTFOLIO_CATEGORIES:
            services.enrolment_close(
                enrolment=enrolment,
                reason=reasons[plan],
                ended_on=_leaving_day(cohort, index),
                by=lead,
            )
            continue
        draft_day = training.draft_due - timedelta(days=index % 6)
        draft = services.draft_record(
            enrolment=enrolment, upload=_pdf(f"{name}-draft"), received_on=draft_day, by=facilitator
        )
        services.draft_feedback(
            draft=draft,
            feedback="A strong start. Say more about what you learnt from the recovery session "
            "and link your reflections to the peer worker role.",
            by=facilitator,
            on=draft_day + timedelta(days=7),
        )
        services.tutorial_record(
            enrolment=enrolment,
            held_on=draft_day + timedelta(days=10),
            minutes=45,
            notes="Planned the structure of the final portfolio.",
            by=facilitator,
        )
        if plan == NOT_SUBMITTED:
            services.enrolment_close(
                enrolment=enrolment,
                reason=reasons[Category.PORTFOLIO_NOT_SUBMITTED],
                ended_on=training.final_due + timedelta(days=28),
                by=lead,
            )
            continue
        submitted = (
            training.final_due
            - timedelta(days=index % 4)
            + timedelta(days=3 if index % 5 == 4 else 0)
        )
        marked = training.final_due + timedelta(days=14)
        first = _assess(enrolment, _pdf(f"{name}-final"), submitted, facilitator)
        if plan == PASSED:
            _mark(first, facilitator, "pass", marked)
            _mark(first, assessor, "pass", marked)
        elif plan == PASSED_MODERATED:
            _mark(first, facilitator, "pass", marked)
            _mark(first, assessor, "referral", marked)
            services.submission_moderate(
                submission=first,
                outcome="pass",
                reason="The reflection on boundaries meets the criterion when read with "
                "the tutorial notes; both assessors agreed the rest was met.",
                by=lead,
                on=marked + timedelta(days=5),
            )
        else:
            _mark(first, facilitator, "referral", marked)
            _mark(first, assessor, "referral", marked)
            first.refresh_from_db()
            resubmitted = marked + timedelta(days=21)
            second = _assess(enrolment, _pdf(f"{name}-resubmitted"), resubmitted, facilitator)
            decision = "pass" if plan == PASSED_AFTER_REFERRAL else "referral"
            _mark(second, facilitator, decision, resubmitted + timedelta(days=10))
            _mark(second, assessor, decision, resubmitted + timedelta(days=10))


def _assess(
    enrolment: Enrolment, upload: SimpleUploadedFile, on: date, by: Any
) -> PortfolioSubmission:
    enrolment.refresh_from_db()
    return services.submission_record(enrolment=enrolment, upload=upload, submitted_on=on, by=by)


def _mark(submission: PortfolioSubmission, assessor: Any, decision: str, on: date) -> None:
    assessment = submission.assessments.get(assessor=assessor)
    criteria = rubric_criteria_for(enrolment=submission.enrolment)
    level = "met" if decision == "pass" else "partly"
    services.assessment_mark(
        assessment=assessment,
        decision=decision,
        levels={c.pk: (level, "") for c in criteria},
        comments="Marked against the programme's criteria.",
        by=assessor,
        on=on,
    )


# The course running now ------------------------------------------------
#
# Mid-course: the registers of the sessions held are filled in except the
# latest, which waits for the facilitator; most drafts are in, most with
# feedback (some released to the trainee); two trainees are at risk (no
# draft by mid-course, one of them also attending too little); one trainee
# handed in the final portfolio early and it waits for the second assessor.

DRAFT_RELEASED = "draft_released"
DRAFT_FEEDBACK = "draft_feedback"
DRAFT_ONLY = "draft_only"
NO_DRAFT = "no_draft"
LOW_ATTENDANCE = "low_attendance"
FINAL_FIRST_MARKED = "final_first_marked"

RUNNING_FEEDBACK = (
    "Good use of your own experience. Link each reflection to the peer worker role, "
    "and say what you would do differently next time."
)


def seed_running_progress(ctx: Any, cohort: Cohort, plans: dict[int, str]) -> None:
    """The running course's registers and portfolios, once. ``plans`` maps
    each enrolment id to what it shows (the constants above)."""
    enrolments = list(Enrolment.objects.filter(pk__in=plans).order_by("person__last_name", "pk"))
    if not Attendance.objects.filter(session__cohort=cohort).exists():
        _running_registers(ctx, cohort, enrolments, plans)
    if not PortfolioDraft.objects.filter(enrolment__cohort=cohort).exists():
        _running_portfolios(ctx, cohort, enrolments, plans)


def _running_registers(
    ctx: Any, cohort: Cohort, enrolments: list[Enrolment], plans: dict[int, str]
) -> None:
    held = list(
        CourseSession.objects.filter(
            cohort=cohort, status=CourseSession.Status.SCHEDULED, date__lt=ctx.today
        ).order_by("date", "starts_at")
    )
    # The latest session's register is still to be taken.
    for number, session in enumerate(held[:-1]):
        marks: dict[int, str] = {}
        for index, enrolment in enumerate(enrolments):
            turn = number + index
            if plans[enrolment.pk] == LOW_ATTENDANCE:
                status = "present" if turn % 3 == 0 else "absent"
            else:
                status = "late" if turn % 7 == 3 else "present"
            marks[enrolment.pk] = status
        services.attendance_record(
            session=session, marks=marks, by=ctx.users["facilitator"], today=ctx.today
        )


def _running_portfolios(
    ctx: Any, cohort: Cohort, enrolments: list[Enrolment], plans: dict[int, str]
) -> None:
    training = CohortTraining.objects.get(cohort=cohort)
    facilitator = ctx.users["facilitator"]
    for index, enrolment in enumerate(enrolments):
        plan = plans[enrolment.pk]
        if plan in (NO_DRAFT, LOW_ATTENDANCE):
            continue
        early = plan == FINAL_FIRST_MARKED
        received = min(training.draft_due, ctx.today) - timedelta(days=21 if early else index % 4)
        draft = services.draft_record(
            enrolment=enrolment,
            upload=_pdf(f"running-{enrolment.pk}-draft"),
            received_on=received,
            by=facilitator,
        )
        if plan == DRAFT_ONLY:
            continue
        services.draft_feedback(
            draft=draft,
            feedback=RUNNING_FEEDBACK,
            by=facilitator,
            on=min(received + timedelta(days=5), ctx.today),
        )
        if plan in (DRAFT_RELEASED, FINAL_FIRST_MARKED):
            services.draft_feedback_release(draft=draft, by=facilitator)
        if early:
            submitted = ctx.today - timedelta(days=16)
            submission = _assess(
                enrolment, _pdf(f"running-{enrolment.pk}-final"), submitted, facilitator
            )
            _mark(submission, facilitator, "pass", submitted + timedelta(days=6))
