"""Deployment's reminders about the first months in post: induction items
overdue, to their owner (HR, the line manager, or the peer worker; items
the supervisor owns are supervision's), and a mandatory or role-specific
course expiring within 30 days, to the peer worker (their supervisor hears
from supervision).

An item reminds once, when it falls overdue after it was put on the
checklist; a course reminds once per expiry date, only while it is the
latest record of that course and the person is in post. Each rule is one
query, plus one for HR and two for the people's own accounts. E-mails name
nobody: a short line and a link.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse

from deployment.models import InductionOwner
from deployment.selectors.induction import overdue_items
from deployment.selectors.training_records import training_expiring
from peerprog.core.models import Person, Reminder, Role
from peerprog.core.reminders.formatting import reminder_day, reminder_name
from peerprog.core.reminders.registry import (
    ReminderKind,
    ReminderSpec,
    register_kind,
    register_scan,
)
from peerprog.core.reminders.selectors import role_holders

GROUP = "deployment"

INDUCTION_OVERDUE = register_kind(
    ReminderKind(
        "deployment.induction_overdue",
        "An induction item you see through is overdue",
        (Role.HR, Role.PROGRAMME_LEAD, Role.SUPERVISOR, Role.MENTOR),
        GROUP,
    )
)
# To the peer worker themself: no staff role, so not on the settings page.
MY_INDUCTION_OVERDUE = register_kind(
    ReminderKind("deployment.my_induction_overdue", "Your induction item is overdue", (), GROUP)
)
MY_TRAINING_EXPIRING = register_kind(
    ReminderKind("deployment.my_training_expiring", "Your training expires soon", (), GROUP)
)


def due_day(row: dict[str, Any]) -> date:
    return row["appointment__start_date"] + timedelta(days=row["due_days"])


def to_people(
    *, rows: list[tuple[int, int, str, str, str, str]], kind: str, object_type: str
) -> list[ReminderSpec]:
    """Specs for (object id, person id, period, title, e-mail line, link):
    to the person's active account, otherwise to the person (e-mail only,
    when they agreed to it). A reminder already stored for the same object
    and period, to either, is not sent again. Two queries."""
    if not rows:
        return []
    accounts = dict(
        Person.objects.filter(pk__in={r[1] for r in rows}, user__is_active=True).values_list(
            "pk", "user_id"
        )
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


def induction_scan(today: date) -> list[ReminderSpec]:
    """Overdue items owned by HR, the line manager (HR when there is none)
    or the peer worker."""
    rows = overdue_items(
        today=today,
        owners=(InductionOwner.HR, InductionOwner.LINE_MANAGER, InductionOwner.PEER_WORKER),
    )
    staff_rows = [r for r in rows if r["owner"] != InductionOwner.PEER_WORKER]
    needs_hr = {
        r["appointment__programme_id"]
        for r in staff_rows
        if r["owner"] == InductionOwner.HR or not r["appointment__line_manager_id"]
    }
    hr = role_holders(role=Role.HR, programme_ids=needs_hr) if needs_hr else {}
    specs: list[ReminderSpec] = []
    for row in staff_rows:
        due = due_day(row)
        if row["owner"] == InductionOwner.LINE_MANAGER and row["appointment__line_manager_id"]:
            recipients = [row["appointment__line_manager_id"]]
        else:
            recipients = hr.get(row["appointment__programme_id"], [])
        for user_id in recipients:
            specs.append(
                ReminderSpec(
                    kind=INDUCTION_OVERDUE.key,
                    object_type="deployment.inductionitem",
                    object_id=row["pk"],
                    period=due.isoformat(),
                    title=f"{reminder_name(row, 'appointment__person__')}: "
                    f"induction item “{row['title']}” was due on {reminder_day(due)}",
                    email_line=f"An induction item you see through was due on "
                    f"{reminder_day(due)} and is not done yet.",
                    link=reverse(
                        "deployment:appointment-detail", kwargs={"pk": row["appointment_id"]}
                    ),
                    user_id=user_id,
                )
            )
    own = [
        (
            row["pk"],
            row["appointment__person_id"],
            due_day(row).isoformat(),
            f"Your induction item “{row['title']}” was due on {reminder_day(due_day(row))}",
            f"An item of your induction was due on {reminder_day(due_day(row))}. "
            "Talk to your line manager if you need help with it.",
            reverse("selfservice:my-job", kwargs={"pk": row["appointment_id"]}),
        )
        for row in rows
        if row["owner"] == InductionOwner.PEER_WORKER
    ]
    specs += to_people(
        rows=own, kind=MY_INDUCTION_OVERDUE.key, object_type="deployment.inductionitem"
    )
    return specs


def training_scan(today: date) -> list[ReminderSpec]:
    """To each peer worker in post whose course expires within 30 days."""
    rows = [
        (
            row["pk"],
            row["person_id"],
            row["expires_on"].isoformat(),
            f"Your {row['course__name']} training expires on {reminder_day(row['expires_on'])}",
            f"A course of your mandatory training expires on "
            f"{reminder_day(row['expires_on'])}. Ask HR or your line manager to book it again.",
            "",
        )
        for row in training_expiring(today=today)
    ]
    return to_people(
        rows=rows, kind=MY_TRAINING_EXPIRING.key, object_type="deployment.trainingrecord"
    )


register_scan(GROUP, induction_scan)
register_scan(GROUP, training_scan)
