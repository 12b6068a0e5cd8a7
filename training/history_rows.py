"""Reading one row of the Trainees sheet (``training.history``): the
trainee's enrolment found by cohort name and person, and the row's dates
read into a plan of what happened, checked against each other and against
the cohort's, each refusal naming the column to correct."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from peerprog.core.models import User
from peerprog.core.workbook import Book, SheetRow
from recruitment.models import Cohort
from recruitment.services.applications import person_match
from training.defaults import non_completion_reasons_ensure_defaults
from training.models import Decision, Enrolment, NonCompletionReason


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


@dataclass
class Plan:
    """What the row says happened, read and checked."""

    attended: int | None
    draft_on: date | None
    final_on: date | None
    first_assessor: User | None
    second_assessor: User | None
    # The final portfolio's (first attempt's) outcome and its days.
    first_outcome: str | None
    marked_on: date | None
    moderated_on: date | None
    first_decided_on: date | None
    resubmitted_on: date | None
    # The resubmission's outcome and its day.
    second_outcome: str | None
    second_decided_on: date | None
    reason: NonCompletionReason | None
    left_on: date | None


# Finding the trainee.


def find_enrolment(book: Book, row: SheetRow) -> Enrolment | None:
    name = row.text("cohort", required=True)
    email = row.email("email")
    first_name = row.text("first_name")
    last_name = row.text("last_name")
    born = row.date("date_of_birth")
    if not email and not (first_name and last_name and born):
        row.error(
            "E-mail",
            "Give the trainee's e-mail address, or their first name, last name and date of birth.",
        )
    if row.errors:
        return None
    cohort = book.lookup(
        "training.cohort",
        name.lower(),
        lambda: Cohort.objects.filter(programme=book.programme, name__iexact=name).first(),
    )
    if cohort is None:
        row.error("Cohort", f"The programme has no cohort called “{name}”.")
        return None
    person = person_match(
        programme=book.programme,
        email=email,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=born,
    )
    who = email or f"{first_name} {last_name}"
    if person is None:
        row.error(
            "E-mail" if email else "Last name",
            f"The programme has no applicant {who}. Add their application first "
            "(the Applications sheet).",
        )
        return None
    enrolment = (
        Enrolment.objects.select_related("cohort", "person")
        .filter(cohort=cohort, person=person)
        .first()
    )
    if enrolment is None:
        row.error(
            "Cohort",
            f"{person.display_name} has no place on {cohort.name}: their application to it "
            "must be accepted first (the Applications sheet).",
        )
    return enrolment


def _staff(book: Book, row: SheetRow, key: str) -> User | None:
    email = row.email(key)
    if not email:
        return None
    user = book.lookup(
        "training.staff",
        email,
        lambda: User.objects.filter(programme=book.programme, email__iexact=email).first(),
    )
    if user is None:
        row.error(row.header(key), f"No member of the programme's staff has the e-mail {email}.")
    return user


def _reasons(book: Book) -> list[NonCompletionReason]:
    """The programme's reasons (the study's own seeded once if missing)."""

    def find() -> list[NonCompletionReason]:
        non_completion_reasons_ensure_defaults(programme=book.programme)
        return list(NonCompletionReason.objects.filter(programme=book.programme))

    return book.lookup("training.reasons", book.programme.pk, find)


# Reading and checking the row.


def read_plan(book: Book, row: SheetRow) -> Plan | None:
    attended = row.whole("sessions_attended")
    dates = {
        key: row.date(key)
        for key in (
            "draft_on",
            "final_on",
            "marked_on",
            "moderated_on",
            "referred_on",
            "resubmitted_on",
            "passed_on",
            "left_on",
        )
    }
    outcome = row.choice("outcome", Decision.choices)
    first_assessor = _staff(book, row, "first_assessor")
    second_assessor = _staff(book, row, "second_assessor")
    reasons = _reasons(book)
    reason_pk = row.choice("reason", [(r.pk, r.label) for r in reasons])
    if row.errors:
        return None
    today = timezone.localdate()
    for key, day in dates.items():
        if day is not None and day > today:
            row.error(row.header(key), f"{long_date(day)} is in the future.")
    if row.errors:
        return None
    marked_on, moderated_on = dates["marked_on"], dates["moderated_on"]
    referred_on, passed_on = dates["referred_on"], dates["passed_on"]
    resubmitted_on, left_on = dates["resubmitted_on"], dates["left_on"]
    first_outcome = second_outcome = None
    first_day = second_day = None
    if resubmitted_on is not None:
        first_outcome = Decision.REFERRAL
        first_day = referred_on or moderated_on or marked_on
        second_outcome = outcome or (Decision.PASS if passed_on else None)
        if second_outcome == Decision.PASS:
            second_day = passed_on
        elif second_outcome == Decision.REFERRAL:
            second_day = left_on
    else:
        first_outcome = outcome or (
            Decision.PASS if passed_on else Decision.REFERRAL if referred_on else None
        )
        if first_outcome == Decision.PASS:
            first_day = passed_on or moderated_on or marked_on
        elif first_outcome == Decision.REFERRAL:
            first_day = referred_on or moderated_on or marked_on
    return Plan(
        attended=attended,
        draft_on=dates["draft_on"],
        final_on=dates["final_on"],
        first_assessor=first_assessor,
        second_assessor=second_assessor,
        first_outcome=first_outcome,
        marked_on=marked_on or (first_day if moderated_on is None else None),
        moderated_on=moderated_on,
        first_decided_on=first_day,
        resubmitted_on=resubmitted_on,
        second_outcome=second_outcome,
        second_decided_on=second_day,
        reason=next((r for r in reasons if r.pk == reason_pk), None),
        left_on=left_on,
    )


def check_plan(row: SheetRow, enrolment: Enrolment, plan: Plan) -> None:
    """The row's dates against each other and the cohort's, each refusal
    naming the column to correct."""
    cohort = enrolment.cohort
    enrolled_on = timezone.localdate(enrolment.enrolled_at)
    passed_on = row.date("passed_on")
    referred_on = row.date("referred_on")
    if plan.first_outcome and plan.final_on is None:
        row.error(
            "Final portfolio submitted on",
            "Give the day the final portfolio was received: it has an outcome.",
        )
    if plan.first_outcome and plan.first_decided_on is None:
        column = "Passed on" if plan.first_outcome == Decision.PASS else "Referred on"
        row.error(column, "Give the day of the final portfolio's outcome.")
    if plan.resubmitted_on and plan.second_outcome == Decision.PASS and passed_on is None:
        row.error("Passed on", "Give the day the resubmitted portfolio passed.")
    if plan.second_outcome == Decision.REFERRAL and plan.left_on is None:
        row.error(
            "Left on",
            "A referred resubmission ends the course: give the day of that referral here.",
        )
    if passed_on and Decision.PASS not in (plan.first_outcome, plan.second_outcome):
        row.error("Passed on", "Leave this empty: the outcome is not a pass.")
    if referred_on and plan.first_outcome != Decision.REFERRAL:
        row.error("Referred on", "Leave this empty: the final portfolio was not referred.")
    if passed_on and (plan.left_on or plan.reason):
        row.error(
            "Left on",
            "A trainee who passed completed the course: leave Left on and the reason empty.",
        )
    if plan.reason and plan.left_on is None:
        row.error("Left on", "Give the day the course ended for this trainee.")
    # The reason is needed to record the end of the course, not to match
    # one on record (an export for someone who may not read reasons has none).
    if (
        plan.left_on
        and plan.reason is None
        and plan.second_outcome != Decision.REFERRAL
        and enrolment.status != Enrolment.Status.NOT_COMPLETED
    ):
        row.error("Non-completion reason", "Give the reason the trainee did not complete.")
    if row.errors:
        return
    final = plan.final_on
    order = [
        ("Draft submitted on", plan.draft_on, "Cohort's training start", cohort.training_start),
        (
            "Final portfolio submitted on",
            final,
            "the cohort's training start",
            cohort.training_start,
        ),
        ("Marked on", plan.marked_on, "the final portfolio was received", final),
        ("Moderated on", plan.moderated_on, "the marks", plan.marked_on),
        ("Referred on", referred_on, "the final portfolio was received", final),
        ("Resubmitted on", plan.resubmitted_on, "the referral", plan.first_decided_on),
        ("Passed on", passed_on, "the final portfolio was received", final),
        ("Passed on", passed_on, "the resubmission was received", plan.resubmitted_on),
        ("Left on", plan.left_on, "the cohort's training started", cohort.training_start),
        ("Left on", plan.left_on, "the trainee was enrolled", enrolled_on),
        ("Left on", plan.left_on, "the resubmission was received", plan.resubmitted_on),
    ]
    for column, day, what, earliest in order:
        if day is not None and earliest is not None and day < earliest:
            what = what.replace("Cohort's", f"{cohort.name}'s")
            row.error(column, f"{long_date(day)} is before {what} ({long_date(earliest)}).")
    first_day = plan.first_decided_on
    if first_day and plan.moderated_on is None and plan.marked_on and plan.marked_on != first_day:
        row.error(
            "Marked on",
            f"The outcome follows the second mark, on {long_date(plan.marked_on)}: give the same "
            "day as the outcome, or the day a lead decided it (Moderated on).",
        )
    if plan.moderated_on and first_day and plan.moderated_on != first_day:
        row.error(
            "Moderated on",
            f"The moderated outcome was decided on {long_date(plan.moderated_on)}: give the same "
            "day as the outcome.",
        )
    if plan.moderated_on and plan.marked_on is None:
        row.error("Marked on", "Give the day of the assessors' marks before the moderation.")
