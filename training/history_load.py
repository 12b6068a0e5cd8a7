"""Loading one row of the Trainees sheet (``training.history``): find the
trainee's enrolment by cohort name and person, check the row's dates
against each other, then record what is not recorded yet, in the order it
happened, through training's services, each on its own day.

A row whose events are all on record already changes nothing; one that
disagrees with what is on record is refused with the reason, since history
is corrected on the trainee's page, where the change is seen and audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from peerprog.core.models import User
from peerprog.core.workbook import NEW, UPDATE, Book, SheetRow
from training import services
from training.history_rows import Plan, check_plan, find_enrolment, long_date, read_plan
from training.models import (
    Attendance,
    CohortTraining,
    CourseSession,
    Decision,
    Enrolment,
    PortfolioDraft,
    PortfolioSubmission,
)
from training.selectors.records import rubric_criteria_for

HISTORY_NOTE = "Recorded from the programme's history."
MODERATION_NOTE = (
    "Recorded from the programme's history: the assessors disagreed and a lead decided."
)


def load_trainee(book: Book, row: SheetRow) -> None:
    enrolment = find_enrolment(book, row)
    plan = read_plan(book, row)
    if row.errors or enrolment is None or plan is None:
        return
    check_plan(row, enrolment, plan)
    if row.errors:
        return
    for day in (
        plan.draft_on,
        plan.final_on,
        plan.marked_on,
        plan.moderated_on,
        plan.first_decided_on,
        plan.resubmitted_on,
        plan.second_decided_on,
        plan.left_on,
    ):
        book.dated(day)
    row.match = str(enrolment.pk)
    untouched = _untouched(enrolment)
    steps = (_attendance, _draft, _final, _first_marks, _resubmission, _close)
    wrote = False
    for step in steps:
        enrolment = Enrolment.objects.select_related("cohort", "person").get(pk=enrolment.pk)
        wrote = bool(step(book, row, enrolment, plan)) or wrote
        if row.errors:
            return
    if wrote:
        row.action = NEW if untouched else UPDATE


# Recording what is not on record yet. Each step gives True when it wrote.


def _untouched(enrolment: Enrolment) -> bool:
    return (
        enrolment.status == Enrolment.Status.ACTIVE
        and not Attendance.objects.filter(enrolment=enrolment).exists()
        and not PortfolioDraft.objects.filter(enrolment=enrolment).exists()
        and not PortfolioSubmission.objects.filter(enrolment=enrolment).exists()
    )


def _differs(row: SheetRow, column: str, recorded: str) -> None:
    row.error(
        column,
        f"{recorded}. Correct it on the trainee's page, or give the same here.",
    )


def _attendance(book: Book, row: SheetRow, enrolment: Enrolment, plan: Plan) -> bool:
    if plan.attended is None:
        return False
    marks = Attendance.objects.filter(
        enrolment=enrolment, session__status=CourseSession.Status.SCHEDULED
    ).aggregate(all=Count("pk"), attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED)))
    if marks["all"]:
        if marks["attended"] != plan.attended:
            _differs(
                row,
                "Sessions attended",
                f"The registers already record {marks['attended']} sessions attended",
            )
        return False
    cohort = enrolment.cohort
    if not CourseSession.objects.filter(cohort=cohort).exists():
        template = services.course_template_ensure_default(programme=book.programme)
        services.timetable_generate(cohort=cohort, template=template, by=book.by)
    last = min(d for d in (plan.left_on, book.today, cohort.training_end) if d is not None)
    held = list(
        CourseSession.objects.filter(
            cohort=cohort,
            status=CourseSession.Status.SCHEDULED,
            date__gte=max(cohort.training_start, timezone.localdate(enrolment.enrolled_at)),
            date__lte=last,
        ).order_by("date", "starts_at", "pk")
    )
    if plan.attended > len(held):
        row.error(
            "Sessions attended",
            f"{len(held)} sessions of {cohort.name}'s course were held while "
            f"{enrolment.person.display_name} was on it, not {plan.attended}.",
        )
        return False
    for number, session in enumerate(held):
        status = Attendance.Status.PRESENT if number < plan.attended else Attendance.Status.ABSENT
        services.attendance_record(session=session, marks={enrolment.pk: status}, by=book.by)
    return bool(held)


def _draft(book: Book, row: SheetRow, enrolment: Enrolment, plan: Plan) -> bool:
    if plan.draft_on is None:
        return False
    first = PortfolioDraft.objects.filter(enrolment=enrolment).order_by("received_on").first()
    if first is not None:
        if first.received_on != plan.draft_on:
            _differs(
                row,
                "Draft submitted on",
                f"The first draft is on record as received on {long_date(first.received_on)}",
            )
        return False
    services.draft_record(enrolment=enrolment, upload=None, received_on=plan.draft_on, by=book.by)
    return True


def _assessors(row: SheetRow, enrolment: Enrolment, plan: Plan) -> tuple[User, User] | None:
    training = CohortTraining.objects.filter(cohort=enrolment.cohort).first()
    first = plan.first_assessor or (training.facilitator if training else None)
    second = plan.second_assessor or (training.second_assessor if training else None)
    if first is None or second is None:
        row.error(
            "First assessor" if first is None else "Second assessor",
            "Give the two assessors' e-mails, or set the cohort's course facilitator and "
            "second assessor in its training settings.",
        )
        return None
    return first, second


def _submit(
    book: Book, row: SheetRow, enrolment: Enrolment, plan: Plan, attempt: int, on: date
) -> bool:
    column = "Final portfolio submitted on" if attempt == 1 else "Resubmitted on"
    existing = PortfolioSubmission.objects.filter(enrolment=enrolment, attempt=attempt).first()
    if existing is not None:
        if existing.submitted_on != on:
            _differs(
                row, column, f"It is on record as received on {long_date(existing.submitted_on)}"
            )
        return False
    pair = _assessors(row, enrolment, plan)
    if pair is None:
        return False
    services.submission_record(
        enrolment=enrolment,
        upload=None,
        submitted_on=on,
        first_assessor=pair[0],
        second_assessor=pair[1],
        by=book.by,
    )
    return True


def _final(book: Book, row: SheetRow, enrolment: Enrolment, plan: Plan) -> bool:
    if plan.final_on is None:
        return False
    return _submit(book, row, enrolment, plan, 1, plan.final_on)


def _mark_both(
    book: Book,
    row: SheetRow,
    submission: PortfolioSubmission,
    outcome: str,
    marked_on: date,
    moderated_on: date | None,
) -> bool:
    """Both assessors' marks (disagreeing when a lead moderated), then the
    moderation, unless the outcome is already on record."""
    column = "Outcome"
    if submission.status == PortfolioSubmission.Status.DECIDED:
        if submission.outcome != outcome:
            _differs(
                row,
                column,
                f"The {submission.label.lower()} is on record as "
                f"{submission.get_outcome_display().lower()}",
            )
        elif submission.decided_on != (moderated_on or marked_on):
            _differs(
                row,
                column,
                f"The {submission.label.lower()}'s outcome is on record as decided on "
                f"{long_date(submission.decided_on)}",
            )
        return False
    assessments = list(submission.assessments.select_related("assessor").order_by("slot"))
    if any(a.is_marked for a in assessments) and submission.status != (
        PortfolioSubmission.Status.IN_MODERATION
    ):
        row.error(
            column, "One assessor has marked this portfolio: record the other mark on its page."
        )
        return False
    if submission.status == PortfolioSubmission.Status.IN_MODERATION and moderated_on is None:
        row.error(
            "Moderated on",
            "The assessors disagreed on this portfolio: give the day a lead decided it.",
        )
        return False
    wrote = False
    if submission.status == PortfolioSubmission.Status.AWAITING_MARKS:
        decisions = [outcome, outcome]
        if moderated_on is not None:
            decisions = [Decision.PASS, Decision.REFERRAL]
        criteria = rubric_criteria_for(enrolment=submission.enrolment)
        for assessment, decision in zip(assessments, decisions, strict=True):
            level = "met" if decision == Decision.PASS else "partly"
            services.assessment_mark(
                assessment=assessment,
                decision=decision,
                levels={c.pk: (level, "") for c in criteria},
                comments=HISTORY_NOTE,
                by=assessment.assessor,
                on=marked_on,
            )
        wrote = True
    if moderated_on is not None:
        services.submission_moderate(
            submission=submission,
            outcome=outcome,
            reason=MODERATION_NOTE,
            by=book.by,
            on=moderated_on,
        )
        wrote = True
    return wrote


def _first_marks(book: Book, row: SheetRow, enrolment: Enrolment, plan: Plan) -> bool:
    if plan.first_outcome is None or plan.final_on is None:
        return False
    submission = PortfolioSubmission.objects.get(enrolment=enrolment, attempt=1)
    marked_on = plan.marked_on or plan.first_decided_on
    if marked_on is None:
        row.error("Marked on", "Give the day of the assessors' marks.")
        return False
    return _mark_both(book, row, submission, plan.first_outcome, marked_on, plan.moderated_on)


def _resubmission(book: Book, row: SheetRow, enrolment: Enrolment, plan: Plan) -> bool:
    if plan.resubmitted_on is None:
        return False
    wrote = _submit(book, row, enrolment, plan, 2, plan.resubmitted_on)
    if row.errors or plan.second_outcome is None or plan.second_decided_on is None:
        return wrote
    submission = PortfolioSubmission.objects.get(enrolment=enrolment, attempt=2)
    day = plan.second_decided_on
    return _mark_both(book, row, submission, plan.second_outcome, day, None) or wrote


def _close(book: Book, row: SheetRow, enrolment: Enrolment, plan: Plan) -> bool:
    if plan.left_on is None:
        return False
    if enrolment.status == Enrolment.Status.NOT_COMPLETED:
        reason = enrolment.non_completion_reason
        if plan.reason is not None and reason is not None and reason.pk != plan.reason.pk:
            _differs(row, "Non-completion reason", f"The reason on record is “{reason.label}”")
        elif enrolment.ended_on != plan.left_on:
            _differs(
                row,
                "Left on",
                f"The course is on record as ended on {long_date(enrolment.ended_on)}",
            )
        return False
    if not enrolment.is_open:
        row.error("Left on", f"{enrolment.person.display_name} completed the course.")
        return False
    if plan.reason is None:
        row.error("Non-completion reason", "Give the reason the trainee did not complete.")
        return False
    services.enrolment_close(
        enrolment=enrolment, reason=plan.reason, ended_on=plan.left_on, by=book.by
    )
    return True


__all__: list[Any] = ["load_trainee"]
