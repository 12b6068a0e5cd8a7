"""The demo's peer worker activity: a few months of weeks for every peer
worker in post, made through the same service the pages use, so that the
activity report, the dashboard's totals and the export have something to
show. Last week is left for each peer worker to record (the week page then
starts from the week before's pattern).

Activity touches no cohort, application, appointment or retention figure,
so the study's figures stay as they are. Running it again fills only weeks
not yet recorded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from deployment.models import ActivityTopic, ActivityWeek, Appointment
from deployment.services.activity import (
    LineValues,
    activity_topics_ensure_defaults,
    activity_week_save,
)
from peerprog.core.dates import monday_of
from peerprog.core.models import Programme, Service

WEEKS = 16

# Ward-based peer workers meet people on the ward; community ones out and
# about; everyone goes to team meetings and now and then runs a group.
WARD_PATTERN = [
    ("one_to_one", "ward", 6, 240),
    ("group", "ward", 1, 60),
    ("team_meeting", "ward", 2, 90),
]
COMMUNITY_PATTERN = [
    ("one_to_one", "community", 4, 240),
    ("accompanying", "community", 2, 150),
    ("phone", "community", 3, 45),
    ("group", "recovery_college", 1, 120),
]
NOTES = [
    "",
    "",
    "Co-facilitated the hope and recovery group with the OT.",
    "",
    "Team away day; shared the peer role with new staff.",
    "",
]


def _pattern(appointment: Appointment) -> list[tuple[str, str, int, int]]:
    inpatient = appointment.post.service.setting in (
        Service.Setting.ACUTE_INPATIENT,
        Service.Setting.REHAB_INPATIENT,
    )
    return WARD_PATTERN if inpatient else COMMUNITY_PATTERN


def seed_activity(ctx: Any) -> None:
    """Weeks of activity for the programme's peer workers in post."""
    if "lead" not in ctx.users:
        return
    for programme in Programme.objects.all():
        activity_topics_ensure_defaults(programme=programme)
    topics = list(ActivityTopic.objects.filter(programme=ctx.programme, archived=False))
    last_week = monday_of(ctx.today) - timedelta(days=7)
    appointments = (
        Appointment.objects.filter(programme=ctx.programme, status=Appointment.Status.IN_POST)
        .select_related("post__service", "person")
        .order_by("pk")
    )
    for index, appointment in enumerate(appointments):
        recorded = set(
            ActivityWeek.objects.filter(appointment=appointment).values_list(
                "week_starting", flat=True
            )
        )
        first = monday_of(appointment.start_date) if appointment.start_date else last_week
        pattern = _pattern(appointment)
        for back in range(WEEKS, 0, -1):
            week = last_week - timedelta(days=7 * back)
            if week < first or week in recorded:
                continue
            # A week in every five away (leave, training), and some variety.
            if (back + index) % 5 == 0:
                continue
            lines = [
                LineValues(kind, setting, max(1, contacts + (back + index) % 3 - 1), minutes)
                for kind, setting, contacts, minutes in pattern
            ]
            activity_week_save(
                appointment=appointment,
                by=appointment.person.user or ctx.users["lead"],
                week_starting=week,
                lines=lines,
                topics=topics[(back + index) % len(topics) :][:2] if topics else [],
                note=NOTES[(back + index) % len(NOTES)],
                today=ctx.today,
            )
