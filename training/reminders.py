"""Training's reminders: portfolio drafts, finals and resubmissions, and
marks waiting.

Each rule reuses training's own selectors (the at-risk rules and the
assessor's queue), so who counts as "no draft by mid-course" or "no final
portfolio" is defined once, in ``training.selectors``. Every rule is one
query for all programmes; recipients cost one more. ``today`` is the date in
the programme's time zone (Europe/London), never the UTC date.

Recipients: the cohort's facilitator and the programme's leads, and the
trainee. A trainee with an account of their own gets the reminder on their
pages, linking to their portfolio page, and by e-mail when they agreed to
e-mail; one without an account gets it by e-mail only, when they have an
address and agreed to e-mail (the kernel decides which, once per reminder).
E-mails name nobody and quote nothing from the portfolio.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from peerprog.core.models import Role
from peerprog.core.reminders.formatting import reminder_day, reminder_name
from peerprog.core.reminders.registry import (
    ReminderKind,
    ReminderSpec,
    register_kind,
    register_scan,
)
from peerprog.core.reminders.selectors import iso_week, role_holders
from training.models import Assessment, Enrolment, PortfolioSubmission
from training.selectors import (
    at_risk_no_draft_by_mid_course,
    at_risk_no_final_by_deadline,
    at_risk_referral_pending,
    awaiting_mark,
)

GROUP = "training"
COURSE_STAFF = (Role.PROGRAMME_LEAD, Role.FACILITATOR, Role.ASSESSOR)

DRAFT_MISSING = register_kind(
    ReminderKind("training.draft_missing", "No portfolio draft by mid-course", COURSE_STAFF, GROUP)
)
FINAL_DUE_WEEK = register_kind(
    ReminderKind(
        "training.final_due_week", "Final portfolio due within a week", COURSE_STAFF, GROUP
    )
)
FINAL_DUE_TOMORROW = register_kind(
    ReminderKind("training.final_due_tomorrow", "Final portfolio due tomorrow", COURSE_STAFF, GROUP)
)
FINAL_OVERDUE = register_kind(
    ReminderKind("training.final_overdue", "Final portfolio overdue", COURSE_STAFF, GROUP)
)
RESUBMISSION_DUE_WEEK = register_kind(
    ReminderKind(
        "training.resubmission_due_week",
        "Resubmitted portfolio due within a week",
        COURSE_STAFF,
        GROUP,
    )
)
RESUBMISSION_DUE_TOMORROW = register_kind(
    ReminderKind(
        "training.resubmission_due_tomorrow",
        "Resubmitted portfolio due tomorrow",
        COURSE_STAFF,
        GROUP,
    )
)
RESUBMISSION_OVERDUE = register_kind(
    ReminderKind(
        "training.resubmission_overdue", "Resubmitted portfolio overdue", COURSE_STAFF, GROUP
    )
)
AWAITING_MARK = register_kind(
    ReminderKind(
        "training.awaiting_mark",
        "A portfolio waiting for your mark",
        (Role.PROGRAMME_LEAD, Role.ASSESSOR),
        GROUP,
    )
)

ENROLMENT = "training.enrolment"
ASSESSMENT = "training.assessment"


DRAFT_DUE = "cohort__training__draft_due"
FINAL_DUE = "cohort__training__final_due"
RESUBMISSION_DUE = "resubmission_due"


def _rows(enrolments: QuerySet[Enrolment], *extra: str) -> list[dict[str, Any]]:
    return list(
        enrolments.order_by("pk").values(
            "pk",
            "person_id",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
            "cohort__programme_id",
            "cohort__training__facilitator_id",
            DRAFT_DUE,
            FINAL_DUE,
            *extra,
        )
    )


def _about_trainee(
    rows: list[dict[str, Any]],
    leads: dict[int, list[int]],
    *,
    kind: ReminderKind,
    due_field: str,
    title: str,
    staff_line: str,
    trainee_line: str,
) -> Iterator[ReminderSpec]:
    """One reminder per trainee to the facilitator, each lead and the
    trainee; the period is the deadline, so moving it reminds again."""
    for row in rows:
        due = row[due_field]
        common = {
            "kind": kind.key,
            "object_type": ENROLMENT,
            "object_id": row["pk"],
            "period": due.isoformat(),
        }
        staff = [
            row["cohort__training__facilitator_id"],
            *leads.get(row["cohort__programme_id"], []),
        ]
        link = reverse("training:trainee", kwargs={"pk": row["pk"]})
        for user_id in dict.fromkeys(u for u in staff if u is not None):
            yield ReminderSpec(
                **common,
                title=title.format(name=reminder_name(row), due=reminder_day(due)),
                email_line=staff_line.format(due=reminder_day(due)),
                link=link,
                user_id=user_id,
            )
        # The trainee's own portfolio page (selfservice), for a trainee who
        # has an account; the kernel drops the link for one who has not.
        yield ReminderSpec(
            **common,
            title=trainee_line.format(due=reminder_day(due)),
            email_line=trainee_line.format(due=reminder_day(due)),
            link=reverse("selfservice:portfolio", kwargs={"pk": row["pk"]}),
            person_id=row["person_id"],
        )


def draft_missing(enrolments: QuerySet[Enrolment], today: date) -> list[dict[str, Any]]:
    """Active trainees with no draft once the mid-course date has passed."""
    return _rows(at_risk_no_draft_by_mid_course(enrolments=enrolments, today=today))


def final_due_within(
    enrolments: QuerySet[Enrolment], today: date, days: int
) -> list[dict[str, Any]]:
    """Active trainees with no final portfolio whose deadline is ``days``
    days away or sooner (but not today). The at-risk rule, asked as of the
    day after the deadline: those it would list if nothing came in."""
    soonest = today + timedelta(days=2 if days > 1 else 1)
    window = enrolments.filter(
        cohort__training__final_due__gte=soonest,
        cohort__training__final_due__lte=today + timedelta(days=days),
    )
    return _rows(
        at_risk_no_final_by_deadline(enrolments=window, today=today + timedelta(days=days + 1))
    )


def final_overdue(enrolments: QuerySet[Enrolment], today: date) -> list[dict[str, Any]]:
    return _rows(at_risk_no_final_by_deadline(enrolments=enrolments, today=today))


def _resubmissions_pending(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Referred trainees whose resubmission has not come in (the at-risk
    rule), with the resubmission deadline set when the referral was decided."""
    first = PortfolioSubmission.objects.filter(enrolment=OuterRef("pk"), attempt=1)
    return (
        at_risk_referral_pending(enrolments=enrolments)
        .annotate(resubmission_due=Subquery(first.values("resubmission_due")[:1]))
        .filter(resubmission_due__isnull=False)
    )


def resubmission_due_within(
    enrolments: QuerySet[Enrolment], today: date, days: int
) -> list[dict[str, Any]]:
    """Referred trainees whose resubmission is due ``days`` days away or
    sooner (but not today), as for the final portfolio."""
    soonest = today + timedelta(days=2 if days > 1 else 1)
    return _rows(
        _resubmissions_pending(enrolments).filter(
            resubmission_due__gte=soonest, resubmission_due__lte=today + timedelta(days=days)
        ),
        RESUBMISSION_DUE,
    )


def resubmission_overdue(enrolments: QuerySet[Enrolment], today: date) -> list[dict[str, Any]]:
    return _rows(
        _resubmissions_pending(enrolments).filter(resubmission_due__lt=today), RESUBMISSION_DUE
    )


def marks_waiting(today: date) -> list[dict[str, Any]]:
    """Assessments unmarked more than REMINDER_MARKING_DAYS after the
    portfolio came in."""
    waited_since = today - timedelta(days=settings.REMINDER_MARKING_DAYS)
    return list(
        awaiting_mark(assessments=Assessment.objects.all())
        .filter(submission__submitted_on__lt=waited_since, assessor__is_active=True)
        .order_by("pk")
        .values(
            "pk",
            "assessor_id",
            "submission__submitted_on",
            "submission__enrolment__person__first_name",
            "submission__enrolment__person__preferred_name",
            "submission__enrolment__person__last_name",
        )
    )


def scan(today: date) -> list[ReminderSpec]:
    """Every training reminder due on ``today``."""
    base = Enrolment.objects.all()
    found = {
        DRAFT_MISSING: (DRAFT_DUE, draft_missing(base, today)),
        FINAL_DUE_WEEK: (FINAL_DUE, final_due_within(base, today, 7)),
        FINAL_DUE_TOMORROW: (FINAL_DUE, final_due_within(base, today, 1)),
        FINAL_OVERDUE: (FINAL_DUE, final_overdue(base, today)),
        RESUBMISSION_DUE_WEEK: (RESUBMISSION_DUE, resubmission_due_within(base, today, 7)),
        RESUBMISSION_DUE_TOMORROW: (RESUBMISSION_DUE, resubmission_due_within(base, today, 1)),
        RESUBMISSION_OVERDUE: (RESUBMISSION_DUE, resubmission_overdue(base, today)),
    }
    programmes = {row["cohort__programme_id"] for _, rows in found.values() for row in rows}
    leads = role_holders(role=Role.PROGRAMME_LEAD, programme_ids=programmes) if programmes else {}
    wording = {
        DRAFT_MISSING: (
            "{name}: no portfolio draft yet (expected by {due})",
            "A trainee's portfolio draft, expected by {due}, has not come in yet.",
            "We have not yet received a draft of your portfolio, which was expected by {due}.",
        ),
        FINAL_DUE_WEEK: (
            "{name}: final portfolio due on {due}",
            "A trainee's final portfolio is due on {due} and has not come in yet.",
            "A reminder that your final portfolio is due on {due}.",
        ),
        FINAL_DUE_TOMORROW: (
            "{name}: final portfolio due tomorrow, {due}",
            "A trainee's final portfolio is due tomorrow, {due}, and has not come in yet.",
            "A reminder that your final portfolio is due tomorrow, {due}.",
        ),
        FINAL_OVERDUE: (
            "{name}: final portfolio overdue (due {due})",
            "A trainee's final portfolio was due on {due} and has not come in.",
            "Your final portfolio was due on {due} and we have not received it yet.",
        ),
        RESUBMISSION_DUE_WEEK: (
            "{name}: resubmitted portfolio due on {due}",
            "A trainee's resubmitted portfolio is due on {due} and has not come in yet.",
            "A reminder that your resubmitted portfolio is due on {due}.",
        ),
        RESUBMISSION_DUE_TOMORROW: (
            "{name}: resubmitted portfolio due tomorrow, {due}",
            "A trainee's resubmitted portfolio is due tomorrow, {due}, and has not come in yet.",
            "A reminder that your resubmitted portfolio is due tomorrow, {due}.",
        ),
        RESUBMISSION_OVERDUE: (
            "{name}: resubmitted portfolio overdue (due {due})",
            "A trainee's resubmitted portfolio was due on {due} and has not come in.",
            "Your resubmitted portfolio was due on {due} and we have not received it yet.",
        ),
    }
    specs: list[ReminderSpec] = []
    for kind, (due_field, rows) in found.items():
        title, staff_line, trainee_line = wording[kind]
        specs.extend(
            _about_trainee(
                rows,
                leads,
                kind=kind,
                due_field=due_field,
                title=title,
                staff_line=staff_line,
                trainee_line=trainee_line,
            )
        )
    week = iso_week(day=today)
    for row in marks_waiting(today):
        since = reminder_day(row["submission__submitted_on"])
        specs.append(
            ReminderSpec(
                kind=AWAITING_MARK.key,
                object_type=ASSESSMENT,
                object_id=row["pk"],
                period=week,
                title=f"{reminder_name(row, 'submission__enrolment__person__')}: portfolio "
                f"waiting for your mark since {since}",
                email_line=f"A portfolio has been waiting for your mark since {since}.",
                link=reverse("training:assessment-mark", kwargs={"pk": row["pk"]}),
                user_id=row["assessor_id"],
            )
        )
    return specs


register_scan(GROUP, scan)
