"""Supervision's reminders about the first months in post, to the
supervisor: induction items they own that are overdue (meeting the
supervisor, boundaries and confidentiality...), and a supervisee's
mandatory training expiring within 30 days. Which items are overdue and
which records expire are deployment's rules (its selectors); who
supervises whom is supervision's. Items with no supervisor assigned go to
HR. E-mails name nobody: a short line and a link."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from deployment.models import InductionOwner
from deployment.selectors.induction import overdue_items
from deployment.selectors.training_records import training_expiring
from peerprog.core.models import Role
from peerprog.core.reminders.formatting import reminder_day, reminder_name
from peerprog.core.reminders.registry import (
    ReminderKind,
    ReminderSpec,
    register_kind,
    register_scan,
)
from peerprog.core.reminders.selectors import role_holders
from supervision.models import SupervisionAssignment

GROUP = "supervision"

SUPERVISEE_INDUCTION_OVERDUE = register_kind(
    ReminderKind(
        "supervision.induction_overdue",
        "An induction item you own for someone you supervise is overdue",
        (Role.SUPERVISOR, Role.HR),
        GROUP,
    )
)
SUPERVISEE_TRAINING_EXPIRING = register_kind(
    ReminderKind(
        "supervision.training_expiring",
        "Training of someone you supervise expires soon",
        (Role.SUPERVISOR,),
        GROUP,
    )
)


def supervisors_of(person_ids: set[int]) -> dict[int, int]:
    """Person id to their supervisor now. One query."""
    if not person_ids:
        return {}
    return dict(
        SupervisionAssignment.objects.filter(
            person_id__in=person_ids, ended_on__isnull=True
        ).values_list("person_id", "supervisor_id")
    )


def scan(today: date) -> list[ReminderSpec]:
    items = overdue_items(today=today, owners=(InductionOwner.SUPERVISOR,))
    records = training_expiring(today=today)
    supervisors = supervisors_of(
        {r["appointment__person_id"] for r in items} | {r["person_id"] for r in records}
    )
    unsupervised = {
        r["appointment__programme_id"]
        for r in items
        if r["appointment__person_id"] not in supervisors
    }
    hr = role_holders(role=Role.HR, programme_ids=unsupervised) if unsupervised else {}
    specs: list[ReminderSpec] = []
    for row in items:
        due = row["appointment__start_date"] + timedelta(days=row["due_days"])
        person_id = row["appointment__person_id"]
        if person_id in supervisors:
            recipients = [supervisors[person_id]]
            link = reverse("supervision:supervisee", kwargs={"pk": person_id})
        else:
            recipients = hr.get(row["appointment__programme_id"], [])
            link = reverse("deployment:appointment-detail", kwargs={"pk": row["appointment_id"]})
        for user_id in recipients:
            specs.append(
                ReminderSpec(
                    kind=SUPERVISEE_INDUCTION_OVERDUE.key,
                    object_type="deployment.inductionitem",
                    object_id=row["pk"],
                    period=due.isoformat(),
                    title=f"{reminder_name(row, 'appointment__person__')}: induction item "
                    f"“{row['title']}” was due on {reminder_day(due)}",
                    email_line="An induction item that the supervisor sees through was due on "
                    f"{reminder_day(due)} and is not done yet.",
                    link=link,
                    user_id=user_id,
                )
            )
    for row in records:
        supervisor_id = supervisors.get(row["person_id"])
        if supervisor_id is None:
            continue
        expires = reminder_day(row["expires_on"])
        specs.append(
            ReminderSpec(
                kind=SUPERVISEE_TRAINING_EXPIRING.key,
                object_type="deployment.trainingrecord",
                object_id=row["pk"],
                period=row["expires_on"].isoformat(),
                title=f"{reminder_name(row)}: {row['course__name']} expires on {expires}",
                email_line=f"Mandatory training of someone you supervise expires on {expires}.",
                link=reverse("supervision:supervisee", kwargs={"pk": row["person_id"]}),
                user_id=supervisor_id,
            )
        )
    return specs


register_scan(GROUP, scan)
