"""The trainee's reminder of their next mentor meeting, to their own
account: a notification on their pages and an e-mail through the outbox,
once per planned day (the reminder's period is that day, so a rule that
runs daily, twice or at once with another raises it once). Raised with
supervision's reminders, whose schedule runs it daily.

The mentor plans the next meeting's day when logging a meeting
(``MentorMeeting.next_meeting_on``); supervision's selector decides whose
planned meeting is near. The e-mail names nobody."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from peerprog.core.reminders.formatting import reminder_day
from peerprog.core.reminders.registry import (
    ReminderKind,
    ReminderSpec,
    register_kind,
    register_scan,
)
from supervision.selectors.trainee_meetings import next_meetings_soon

GROUP = "supervision"
# Remind this many days ahead (and on each day up to the meeting, once).
NOTICE_DAYS = 2

NEXT_MENTOR_MEETING = register_kind(
    ReminderKind(
        "selfservice.next_mentor_meeting",
        "Your next mentor meeting",
        # No staff role receives it: it goes to the trainee's own account.
        (),
        GROUP,
    )
)


def scan(today: date) -> list[ReminderSpec]:
    """Every trainee whose next mentor meeting is planned within
    ``NOTICE_DAYS``: one query, whatever the number."""
    specs = []
    for row in next_meetings_soon(today=today, days=NOTICE_DAYS):
        day = reminder_day(row["next_meeting_on"])
        specs.append(
            ReminderSpec(
                kind=NEXT_MENTOR_MEETING.key,
                object_type="training.enrolment",
                object_id=row["pk"],
                period=row["next_meeting_on"].isoformat(),
                title=f"Your next mentor meeting is planned for {day}",
                email_line=f"Your next mentor meeting is planned for {day}.",
                link=reverse("selfservice:mentoring", kwargs={"pk": row["pk"]}),
                user_id=row["person__user_id"],
            )
        )
    return specs


register_scan(GROUP, scan)
