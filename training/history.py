"""Training's sheet of the programme's history workbook: one row per
trainee (an enrolment), with their attendance, portfolio dates, outcome and,
for those who did not complete, why and when they left.

The enrolment itself is made when the application is accepted (the
Applications sheet, before this one); this sheet records what happened on
the course, through training's own services, on the days it happened. A pass
dated years ago makes the trainee eligible for paid posts from that day.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from peerprog.core.workbook import Book, Field, Sheet, register_sheet
from training.history_load import load_trainee
from training.models import Assessment, Attendance, CourseSession, Enrolment, PortfolioDraft
from training.models import PortfolioSubmission as Submission

DATE = "A date, such as 3 March 2024."
FIELDS = (
    Field("cohort", "Cohort", "The cohort's name, as on the Cohorts sheet.", True, "Cohort 1"),
    Field("email", "E-mail", "The trainee's e-mail address.", example="sam.jones@example.org"),
    Field("first_name", "First name", "For a trainee without an e-mail address.", example="Sam"),
    Field("last_name", "Last name", "For a trainee without an e-mail address.", example="Jones"),
    Field("date_of_birth", "Date of birth", "For a trainee without an e-mail address. " + DATE),
    Field(
        "sessions_attended",
        "Sessions attended",
        "How many course sessions they attended. The cohort's timetable is laid out from "
        "the course template when it has none; the first sessions are marked attended and "
        "the others held while they were on the course absent.",
        example="12",
    ),
    Field("draft_on", "Draft submitted on", "When the first draft was received. " + DATE),
    Field("final_on", "Final portfolio submitted on", "When it was received. " + DATE),
    Field(
        "first_assessor",
        "First assessor",
        "A staff e-mail. Empty: the cohort's course facilitator.",
    ),
    Field(
        "second_assessor",
        "Second assessor",
        "A staff e-mail. Empty: the cohort's second assessor.",
    ),
    Field(
        "outcome",
        "Outcome",
        "Pass or Referral: the outcome of the latest portfolio (empty while it is marked).",
        example="Pass",
    ),
    Field("marked_on", "Marked on", "The day of the assessors' marks of the final portfolio."),
    Field(
        "moderated_on",
        "Moderated on",
        "When the assessors disagreed: the day a lead decided the final portfolio's outcome.",
    ),
    Field("referred_on", "Referred on", "The day the final portfolio was referred. " + DATE),
    Field("resubmitted_on", "Resubmitted on", "When the resubmission was received. " + DATE),
    Field(
        "passed_on",
        "Passed on",
        "The day the portfolio passed: eligible to apply for paid posts from then.",
    ),
    Field(
        "reason",
        "Non-completion reason",
        "For a trainee who did not complete: one of the programme's reasons, by its name.",
        sensitive=True,
    ),
    Field(
        "left_on",
        "Left on",
        "The day the course ended for a trainee who did not complete (for a second "
        "referral, the day of that referral).",
    ),
)


def _day(moment: Any) -> Any:
    return timezone.localdate(moment) if moment is not None else None


def dump_trainees(book: Book) -> Iterator[dict[str, Any]]:
    """One row per enrolment of the programme (of the chosen cohorts)."""
    enrolments = Enrolment.objects.filter(cohort__programme=book.programme).select_related(
        "cohort", "person", "non_completion_reason"
    )
    if book.cohort_ids is not None:
        enrolments = enrolments.filter(cohort_id__in=book.cohort_ids)
    enrolments = list(enrolments.order_by("cohort__training_start", "cohort__name", "pk"))
    ids = [e.pk for e in enrolments]
    attendance = {
        row["enrolment_id"]: row["attended"]
        for row in Attendance.objects.filter(
            enrolment_id__in=ids, session__status=CourseSession.Status.SCHEDULED
        )
        .order_by()
        .values("enrolment_id")
        .annotate(attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED)))
    }
    drafts: dict[int, Any] = {}
    for draft in PortfolioDraft.objects.filter(enrolment_id__in=ids).order_by("received_on"):
        drafts.setdefault(draft.enrolment_id, draft.received_on)
    submissions: dict[int, dict[int, Submission]] = {}
    for submission in Submission.objects.filter(enrolment_id__in=ids):
        submissions.setdefault(submission.enrolment_id, {})[submission.attempt] = submission
    marks: dict[int, list[Assessment]] = {}
    for assessment in Assessment.objects.filter(
        submission__enrolment_id__in=ids, submission__attempt=1
    ).select_related("assessor"):
        marks.setdefault(assessment.submission.enrolment_id, []).append(assessment)
    for enrolment in enrolments:
        person = enrolment.person
        first = submissions.get(enrolment.pk, {}).get(1)
        second = submissions.get(enrolment.pk, {}).get(2)
        latest = second or first
        assessments = sorted(marks.get(enrolment.pk, []), key=lambda a: a.slot)
        marked = [a for a in assessments if a.is_marked]
        row: dict[str, Any] = {
            "cohort": enrolment.cohort.name,
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": None if person.email else person.date_of_birth,
            "sessions_attended": attendance.get(enrolment.pk),
            "draft_on": drafts.get(enrolment.pk),
            "final_on": first.submitted_on if first else None,
            "first_assessor": assessments[0].assessor.email if assessments else "",
            "second_assessor": assessments[1].assessor.email if len(assessments) > 1 else "",
            "outcome": latest.get_outcome_display() if latest and latest.outcome else "",
            # The marks' day, once both are in.
            "marked_on": (
                max(_day(a.marked_at) for a in marked) if first and len(marked) == 2 else None
            ),
            "moderated_on": first.decided_on if first and first.moderated_by_id else None,
            "referred_on": (first.decided_on if first and first.outcome == "referral" else None),
            "resubmitted_on": second.submitted_on if second else None,
            "passed_on": enrolment.passed_on,
            "reason": enrolment.non_completion_reason.label
            if enrolment.non_completion_reason
            else "",
            "left_on": enrolment.ended_on,
        }
        yield row


def register() -> None:
    register_sheet(
        Sheet(
            key="enrolments",
            title="Trainees",
            order=30,
            fields=FIELDS,
            load=load_trainee,
            dump=dump_trainees,
            help="One row per trainee: a person whose place on a cohort was accepted.",
            shown=("email", "first_name", "last_name", "cohort"),
        )
    )
