"""Supervision's reminders: mentor meetings behind for this point in the
course (to the mentor, and a summary per cohort to the programme's leads),
supervision overdue against the agreed frequency (to the supervisor), and
to the peer worker themself: their supervision coming due, and their
wellbeing plan's review coming due.

Who is behind and who is overdue is decided by supervision's own selectors
(``mentoring_behind`` and ``supervision_overdue``), never here. Each rule
costs a fixed number of queries whatever the number of people. ``today`` is
the date in Europe/London. E-mails name nobody: a short line and a link.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse

from deployment.models import Appointment
from peerprog.core.models import Person, Reminder, Role
from peerprog.core.reminders.formatting import reminder_day, reminder_name
from peerprog.core.reminders.registry import (
    ReminderKind,
    ReminderSpec,
    register_kind,
    register_scan,
)
from peerprog.core.reminders.selectors import iso_week, role_holders
from supervision.models import MentorAssignment, SupervisionAssignment, WellbeingPlan
from supervision.selectors import (
    due_before_entered,
    meetings_expected_by,
    mentoring_behind,
    next_due_on,
    supervision_overdue,
    with_last_session,
    with_mentoring,
)
from training.models import Enrolment

GROUP = "supervision"

MEETINGS_BEHIND = register_kind(
    ReminderKind(
        "supervision.meetings_behind",
        "A mentee behind with mentor meetings",
        (Role.MENTOR,),
        GROUP,
    )
)
MEETINGS_SUMMARY = register_kind(
    ReminderKind(
        "supervision.meetings_behind_summary",
        "Weekly summary of trainees behind with mentor meetings",
        (Role.PROGRAMME_LEAD,),
        GROUP,
    )
)
SUPERVISION_OVERDUE = register_kind(
    ReminderKind(
        "supervision.supervision_overdue",
        "Supervision overdue for someone you supervise",
        (Role.SUPERVISOR,),
        GROUP,
    )
)

# To the peer worker themself: no staff role, so not offered on the e-mail
# settings page (a person's e-mail choices are their contact preferences).
MY_SUPERVISION_DUE = register_kind(
    ReminderKind("supervision.my_supervision_due", "Your supervision is due", (), GROUP)
)
MY_PLAN_REVIEW_DUE = register_kind(
    ReminderKind("supervision.my_plan_review_due", "Your wellbeing plan review is due", (), GROUP)
)
# How many days ahead the peer worker hears that something is due.
SUPERVISION_NOTICE_DAYS = 7
PLAN_REVIEW_NOTICE_DAYS = 14


def meetings_behind(today: date) -> list[dict[str, Any]]:
    """Open enrolments behind the mentoring minimum, with their mentor now,
    the cohort and how many meetings the course so far calls for."""
    behind = mentoring_behind(
        enrolments=Enrolment.objects.filter(status__in=Enrolment.OPEN), today=today
    )
    rows = list(
        with_mentoring(enrolments=behind)
        .order_by("pk")
        .values(
            "pk",
            "cohort_id",
            "cohort__name",
            "cohort__programme_id",
            "cohort__training_start",
            "cohort__training_end",
            "meetings_held",
            "meetings_minimum",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
        )
    )
    mentors = dict(
        MentorAssignment.objects.filter(
            enrolment_id__in=[r["pk"] for r in rows], ended_on__isnull=True
        ).values_list("enrolment_id", "mentor_id")
    )
    for row in rows:
        row["mentor_id"] = mentors.get(row["pk"])
        row["expected"] = meetings_expected_by(
            start=row["cohort__training_start"],
            end=row["cohort__training_end"],
            minimum=row["meetings_minimum"],
            today=today,
        )
    return rows


def supervision_late(today: date) -> list[dict[str, Any]]:
    """Active supervision assignments overdue on ``today``, with the date the
    session was due."""
    overdue = supervision_overdue(assignments=SupervisionAssignment.objects.all(), today=today)
    found = []
    for assignment in with_last_session(assignments=overdue.select_related("person")).order_by(
        "pk"
    ):
        if due_before_entered(assignment=assignment):
            continue
        person = assignment.person
        found.append(
            {
                "pk": assignment.pk,
                "person_id": assignment.person_id,
                "supervisor_id": assignment.supervisor_id,
                "due": next_due_on(assignment=assignment),
                "person__first_name": person.first_name,
                "person__preferred_name": person.preferred_name,
                "person__last_name": person.last_name,
            }
        )
    return found


def scan(today: date) -> list[ReminderSpec]:
    """Every supervision reminder due on ``today``."""
    specs: list[ReminderSpec] = []
    behind = meetings_behind(today)
    by_cohort: dict[tuple[int, int, str], int] = defaultdict(int)
    for row in behind:
        by_cohort[(row["cohort__programme_id"], row["cohort_id"], row["cohort__name"])] += 1
        if row["mentor_id"] is None:
            continue
        specs.append(
            ReminderSpec(
                kind=MEETINGS_BEHIND.key,
                object_type="training.enrolment",
                object_id=row["pk"],
                # A new reminder each time the course calls for one more meeting.
                period=f"expected-{row['expected']}",
                title=f"{reminder_name(row)}: {row['meetings_held']} mentor meeting(s) so far, "
                f"{row['expected']} expected by now",
                email_line="One of your mentees is behind with mentor meetings for this point "
                "in the course.",
                link=reverse("supervision:mentee", kwargs={"pk": row["pk"]}),
                user_id=row["mentor_id"],
            )
        )
    leads = (
        role_holders(role=Role.PROGRAMME_LEAD, programme_ids={p for p, _, _ in by_cohort})
        if by_cohort
        else {}
    )
    week = iso_week(day=today)
    for (programme_id, cohort_id, cohort_name), count in sorted(by_cohort.items()):
        trainees = "trainee is" if count == 1 else "trainees are"
        for user_id in leads.get(programme_id, []):
            specs.append(
                ReminderSpec(
                    kind=MEETINGS_SUMMARY.key,
                    object_type="recruitment.cohort",
                    object_id=cohort_id,
                    period=week,
                    title=f"{cohort_name}: {count} {trainees} behind with mentor meetings",
                    email_line=f"{count} {trainees} behind with mentor meetings in one of "
                    "your cohorts.",
                    link=reverse("supervision:cohort", kwargs={"pk": cohort_id}),
                    user_id=user_id,
                )
            )
    for row in supervision_late(today):
        due = reminder_day(row["due"])
        specs.append(
            ReminderSpec(
                kind=SUPERVISION_OVERDUE.key,
                object_type="supervision.supervisionassignment",
                object_id=row["pk"],
                # After a session the due date moves on: a later lapse reminds again.
                period=row["due"].isoformat(),
                title=f"{reminder_name(row)}: supervision overdue (due {due})",
                email_line=f"Supervision with someone you supervise was due on {due}.",
                link=reverse("supervision:supervisee", kwargs={"pk": row["person_id"]}),
                user_id=row["supervisor_id"],
            )
        )
    return specs


def _in_post() -> Exists:
    return Exists(
        Appointment.objects.filter(person=OuterRef("person_id"), status=Appointment.Status.IN_POST)
    )


def _to_the_person(
    *,
    rows: list[tuple[int, int, str, str, str, str]],
    kind: str,
    object_type: str,
) -> list[ReminderSpec]:
    """Specs for (object id, person id, period, title, e-mail line, link)
    rows: to the person's account when they have an active one (a
    notification and one e-mail), otherwise to the person (e-mail only, if
    they agreed to it). A reminder already sent for the same object and
    period, to either, is not sent again: a person who gets an account
    later is not told twice. Two queries."""
    if not rows:
        return []
    accounts = dict(
        Person.objects.filter(pk__in={r[1] for r in rows})
        .values_list("pk", "user_id")
        .filter(user__is_active=True)
    )
    sent = set(
        Reminder.objects.filter(
            kind=kind, object_type=object_type, object_id__in={r[0] for r in rows}
        ).values_list("object_id", "period")
    )
    specs = []
    for object_id, person_id, period, title, line, link in rows:
        if (object_id, period) in sent:
            continue
        user_id = accounts.get(person_id)
        specs.append(
            ReminderSpec(
                kind=kind,
                object_type=object_type,
                object_id=object_id,
                period=period,
                title=title,
                email_line=line,
                link=link,
                user_id=user_id,
                person_id=None if user_id else person_id,
            )
        )
    return specs


def my_supervision_due(today: date) -> list[ReminderSpec]:
    """To each peer worker in post whose next supervision (the agreed
    frequency from their last session, or from the start of the supervision)
    is due within a week or has passed: once per due date."""
    assignments = with_last_session(
        assignments=SupervisionAssignment.objects.filter(ended_on__isnull=True).filter(_in_post())
    ).only("pk", "person_id", "started_on", "frequency_days", "ended_on", "assigned_at")
    rows = []
    for assignment in assignments.order_by("pk"):
        if due_before_entered(assignment=assignment):
            continue
        due = next_due_on(assignment=assignment)
        if due - timedelta(days=SUPERVISION_NOTICE_DAYS) > today:
            continue
        day = reminder_day(due)
        rows.append(
            (
                assignment.pk,
                assignment.person_id,
                due.isoformat(),
                f"Your supervision is due by {day}",
                f"Your next supervision is due by {day}. Your supervisor will arrange it with you.",
                reverse("selfservice:my-supervision", kwargs={"pk": assignment.person_id}),
            )
        )
    return _to_the_person(
        rows=rows, kind=MY_SUPERVISION_DUE.key, object_type="supervision.supervisionassignment"
    )


def my_plan_review_due(today: date) -> list[ReminderSpec]:
    """To each peer worker in post whose wellbeing plan is due for review
    within two weeks or overdue: once per review date (a new date agreed at
    the review reminds again when it comes)."""
    plans = (
        WellbeingPlan.objects.filter(
            review_due__lte=today + timedelta(days=PLAN_REVIEW_NOTICE_DAYS)
        )
        .filter(_in_post())
        .order_by("pk")
        .values_list("pk", "person_id", "review_due")
    )
    rows = [
        (
            pk,
            person_id,
            due.isoformat(),
            f"Your wellbeing plan review is due by {reminder_day(due)}",
            f"Your plan review with your supervisor is due by {reminder_day(due)}.",
            reverse("selfservice:my-wellbeing-plan", kwargs={"pk": pk}),
        )
        for pk, person_id, due in plans
    ]
    return _to_the_person(
        rows=rows, kind=MY_PLAN_REVIEW_DUE.key, object_type="supervision.wellbeingplan"
    )


def scan_own(today: date) -> list[ReminderSpec]:
    """Every reminder to peer workers themselves due on ``today``."""
    return [*my_supervision_due(today), *my_plan_review_due(today)]


register_scan(GROUP, scan)
register_scan(GROUP, scan_own)

# Supervisor-owned induction items and supervisees' training: their own module.
from supervision import reminders_in_post  # noqa: E402, F401
