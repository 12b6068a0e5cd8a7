"""Supervision's reminders: mentor meetings behind for this point in the
course (to the mentor, and a summary per cohort to the programme's leads),
and supervision overdue against the agreed frequency (to the supervisor).

Who is behind and who is overdue is decided by supervision's own selectors
(``mentoring_behind`` and ``supervision_overdue``), never here. Each rule
costs a fixed number of queries whatever the number of people. ``today`` is
the date in Europe/London. E-mails name nobody: a short line and a link.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

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
from supervision.models import MentorAssignment, SupervisionAssignment
from supervision.selectors import (
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


register_scan(GROUP, scan)
