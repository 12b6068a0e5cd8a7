"""Training at scale: each cohort's settings and twelve weekly sessions, an
enrolment for every accepted application, a register for every session held,
drafts, final portfolios with both assessors' marks, referrals and
resubmissions. About a third of trainees complete, as in the study."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from peerprog.core.models import Role
from peerprog.devtools.scale.base import BATCH, ScaleContext, staff_users
from training.models import (
    Assessment,
    Attendance,
    CohortTraining,
    CourseSession,
    CriterionMark,
    Enrolment,
    NonCompletionReason,
    PortfolioDraft,
    PortfolioSubmission,
)
from training.services import (
    course_template_ensure_default,
    non_completion_reasons_ensure_defaults,
    rubric_ensure_default,
)

Category = NonCompletionReason.Category
# The outcomes of a finished course and how often each happens: completion
# about a third (10 of 28 in the study), a quarter of passes after a referral;
# portfolios not completed and leavers make up the rest.
OUTCOMES = [
    ("pass", 27),
    ("pass_after_referral", 9),
    (Category.PORTFOLIO_INCOMPLETE, 16),
    (Category.PORTFOLIO_NOT_SUBMITTED, 20),
    (Category.LEFT_PAID_EMPLOYMENT, 9),
    (Category.LEFT_FURTHER_STUDY, 5),
    (Category.LEFT_OTHER_VOLUNTEERING, 6),
    (Category.LEFT_HEALTH, 4),
    (Category.LEFT_PERSONAL, 4),
]
LEAVING = {c for c, _ in OUTCOMES if c.startswith("left_")}
SESSIONS = 12
REGISTER = [
    (Attendance.Status.PRESENT, 82),
    (Attendance.Status.LATE, 6),
    (Attendance.Status.AUTHORISED, 6),
    (Attendance.Status.ABSENT, 6),
]


def _file(kind: str, n: int) -> dict:
    return {
        "file": f"scale/{kind}-{n:06d}.pdf",
        "file_name": f"{kind}-{n:06d}.pdf",
        "file_kind": "pdf",
        "file_size": 120_000 + n % 50_000,
    }


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(11)))


def seed_training_scale(ctx: ScaleContext) -> None:
    rng = ctx.rng
    today = ctx.today
    programme = ctx.programme
    template = course_template_ensure_default(programme=programme)
    topics = list(template.topics.order_by("order"))
    rubric = rubric_ensure_default(programme=programme)
    criteria = list(rubric.criteria.order_by("order"))
    reasons = {r.category: r for r in non_completion_reasons_ensure_defaults(programme=programme)}
    facilitator = ctx.staff[Role.FACILITATOR]
    assessor = ctx.staff[Role.ASSESSOR]
    second = staff_users(ctx, Role.ASSESSOR, 1, "second-assessor")[0]
    ctx.staff["second_assessor"] = second

    settings_rows = []
    sessions = []
    for cohort in ctx.cohorts:
        draft_due, final_due = CohortTraining.default_dates(cohort)
        settings_rows.append(
            CohortTraining(
                cohort=cohort,
                facilitator=facilitator,
                second_assessor=second,
                rubric=rubric,
                draft_due=draft_due,
                final_due=final_due,
            )
        )
        for week in range(SESSIONS):
            topic = topics[week % len(topics)] if topics else None
            sessions.append(
                CourseSession(
                    cohort=cohort,
                    topic=topic,
                    title=topic.title if topic else f"Session {week + 1}",
                    date=cohort.training_start + timedelta(weeks=week),
                    starts_at=time(10),
                    minutes=150,
                    place="Education centre, room 2",
                    is_online=week % 6 == 5,
                    facilitator=facilitator,
                )
            )
    settings_rows = CohortTraining.objects.bulk_create(settings_rows)
    sessions = CourseSession.objects.bulk_create(sessions, batch_size=BATCH)
    training_of = {t.cohort_id: t for t in settings_rows}
    sessions_of: dict[int, list[CourseSession]] = {}
    for session in sessions:
        sessions_of.setdefault(session.cohort_id, []).append(session)

    started = [a for a in ctx.data["accepted"] if a.cohort.training_start <= today]
    # The latest cohort whose portfolios are in: some still wait for marks.
    finished = [c for c in ctx.cohorts if training_of[c.pk].final_due < today]
    marking = finished[-1].pk if finished else None

    outcome_names = [name for name, _ in OUTCOMES]
    outcome_weights = [weight for _, weight in OUTCOMES]
    enrolments = []
    plans = []  # (outcome, leaving session index or None, still being marked)
    seen: dict[int, int] = {}
    for application in started:
        cohort = application.cohort
        training = training_of[cohort.pk]
        done = training.final_due + timedelta(days=21) < today
        resubmitted = training.final_due + timedelta(days=training.resubmission_days + 21) < today
        outcome = rng.choices(outcome_names, outcome_weights)[0]
        # The third trainee of every cohort passes, so that even the smallest
        # data set has graduates in post.
        seen[cohort.pk] = seen.get(cohort.pk, 0) + 1
        if seen[cohort.pk] == 3:
            outcome = "pass"
        leaves_at = rng.randrange(2, SESSIONS) if outcome in LEAVING else None
        left_on = cohort.training_start + timedelta(weeks=leaves_at) if leaves_at else None
        in_marking = cohort.pk == marking and outcome.startswith("pass") and rng.random() < 0.3
        if left_on is not None and left_on < today:
            status, passed_on, ended_on, reason = (
                Enrolment.Status.NOT_COMPLETED,
                None,
                left_on,
                reasons[outcome],
            )
        elif not done or in_marking:
            status, passed_on, ended_on, reason = Enrolment.Status.ACTIVE, None, None, None
            outcome = outcome if training.final_due < today else "active"
        elif outcome == "pass":
            status, passed_on, ended_on, reason = (
                Enrolment.Status.COMPLETED,
                training.final_due + timedelta(days=21),
                None,
                None,
            )
        elif outcome in ("pass_after_referral", Category.PORTFOLIO_INCOMPLETE) and not resubmitted:
            status, passed_on, ended_on, reason = Enrolment.Status.REFERRED, None, None, None
        elif outcome == "pass_after_referral":
            status, passed_on, ended_on, reason = (
                Enrolment.Status.COMPLETED,
                training.final_due + timedelta(days=training.resubmission_days + 21),
                None,
                None,
            )
        else:
            status, passed_on, ended_on, reason = (
                Enrolment.Status.NOT_COMPLETED,
                None,
                training.final_due + timedelta(days=training.resubmission_days),
                reasons[outcome],
            )
        enrolments.append(
            Enrolment(
                application=application,
                cohort=cohort,
                person=application.person,
                status=status,
                enrolled_at=_at(cohort.training_start - timedelta(days=7)),
                passed_on=passed_on,
                ended_on=ended_on,
                non_completion_reason=reason,
            )
        )
        plans.append((outcome, leaves_at, in_marking))
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    ctx.data["enrolments"] = enrolments

    statuses = [s for s, _ in REGISTER]
    status_weights = [w for _, w in REGISTER]
    # The first two of every eight trainees of each cohort miss every other
    # session, which puts them at risk.
    place_in_cohort: dict[int, int] = {}
    register = []
    for enrolment, (_, leaves_at, _) in zip(enrolments, plans, strict=True):
        place = place_in_cohort[enrolment.cohort_id] = (
            place_in_cohort.get(enrolment.cohort_id, -1) + 1
        )
        poor = place % 8 < 2
        for index, session in enumerate(sessions_of[enrolment.cohort_id]):
            if session.date >= today or (leaves_at is not None and index >= leaves_at):
                break
            register.append(
                Attendance(
                    session=session,
                    enrolment=enrolment,
                    status=(
                        Attendance.Status.ABSENT
                        if poor and index % 2 == 0
                        else rng.choices(statuses, status_weights)[0]
                    ),
                    recorded_by=facilitator,
                    recorded_at=_at(session.date),
                )
            )
    Attendance.objects.bulk_create(register, batch_size=BATCH * 5)

    drafts = []
    submissions = []
    for n, (enrolment, (outcome, leaves_at, in_marking)) in enumerate(
        zip(enrolments, plans, strict=True)
    ):
        training = training_of[enrolment.cohort_id]
        if training.draft_due >= today or (leaves_at is not None and leaves_at < 6):
            continue
        if outcome != Category.PORTFOLIO_NOT_SUBMITTED or n % 3 == 0:
            drafts.append(
                PortfolioDraft(
                    enrolment=enrolment,
                    received_on=training.draft_due - timedelta(days=n % 5),
                    recorded_by=facilitator,
                    feedback="Synthetic feedback for scale testing.",
                    feedback_by=facilitator,
                    feedback_on=training.draft_due + timedelta(days=7),
                    **_file("draft", n),
                )
            )
        if training.final_due >= today or outcome in LEAVING or outcome == "active":
            continue
        if outcome == Category.PORTFOLIO_NOT_SUBMITTED:
            continue
        first_outcome = "pass" if outcome == "pass" else "referral"
        decided = not in_marking
        submissions.append(
            PortfolioSubmission(
                enrolment=enrolment,
                attempt=1,
                submitted_on=training.final_due - timedelta(days=n % 4),
                due_on=training.final_due,
                recorded_by=facilitator,
                status=(
                    PortfolioSubmission.Status.DECIDED
                    if decided
                    else PortfolioSubmission.Status.AWAITING_MARKS
                ),
                outcome=first_outcome if decided else "",
                decided_on=training.final_due + timedelta(days=21) if decided else None,
                resubmission_due=(
                    training.final_due + timedelta(days=21 + training.resubmission_days)
                    if decided and first_outcome == "referral"
                    else None
                ),
                **_file("portfolio", n),
            )
        )
        if decided and first_outcome == "referral":
            resubmitted_on = training.final_due + timedelta(days=14 + training.resubmission_days)
            if enrolment.status != Enrolment.Status.REFERRED:
                passed = outcome == "pass_after_referral"
                submissions.append(
                    PortfolioSubmission(
                        enrolment=enrolment,
                        attempt=2,
                        submitted_on=resubmitted_on,
                        due_on=training.final_due + timedelta(days=21 + training.resubmission_days),
                        recorded_by=facilitator,
                        status=PortfolioSubmission.Status.DECIDED,
                        outcome="pass" if passed else "referral",
                        decided_on=resubmitted_on + timedelta(days=7),
                        **_file("resubmission", n),
                    )
                )
    PortfolioDraft.objects.bulk_create(drafts, batch_size=BATCH)
    submissions = PortfolioSubmission.objects.bulk_create(submissions, batch_size=BATCH)

    assessments = []
    for submission in submissions:
        decided = submission.status == PortfolioSubmission.Status.DECIDED
        for slot, user in ((1, assessor), (2, second)):
            assessments.append(
                Assessment(
                    submission=submission,
                    slot=slot,
                    assessor=user,
                    decision=submission.outcome if decided else "",
                    comments="Synthetic comments." if decided else "",
                    marked_at=_at(submission.decided_on) if decided else None,
                )
            )
    assessments = Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    marks = []
    for assessment in assessments:
        if assessment.marked_at is None:
            continue
        passed = assessment.decision == "pass"
        for index, criterion in enumerate(criteria):
            met = passed or index % 2 == 0
            marks.append(
                CriterionMark(
                    assessment=assessment,
                    criterion=criterion,
                    level=CriterionMark.Level.MET if met else CriterionMark.Level.NOT_MET,
                )
            )
    CriterionMark.objects.bulk_create(marks, batch_size=BATCH * 5)
    completed = sum(e.status == Enrolment.Status.COMPLETED for e in enrolments)
    ctx.lines.append(
        f"Training: {len(sessions):,} sessions, {len(enrolments):,} trainees "
        f"({completed:,} completed), {len(register):,} register marks, {len(drafts):,} drafts, "
        f"{len(submissions):,} portfolios, {len(marks):,} criterion marks."
    )
