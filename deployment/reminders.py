"""Deployment's reminders: pre-employment checks before a start date,
retention milestones reached this week, and converted posts not advertised.

Each rule is one query for all programmes, plus one for the recipients (HR,
and leads for milestones). Milestones use deployment's own retention rules
(``deployment.retention``: the first day in post, calendar months, the
first continuous spell). ``today`` is the date in Europe/London.
E-mails name nobody: a short line and a link.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from deployment.models import Appointment, PostConversion, PreEmploymentCheck, Vacancy
from deployment.models.posts import Post
from deployment.retention import MILESTONES, first_spell
from peerprog.core.dates import add_months
from peerprog.core.models import Role
from peerprog.core.reminders.formatting import reminder_day, reminder_name
from peerprog.core.reminders.registry import (
    ReminderKind,
    ReminderSpec,
    register_kind,
    register_scan,
)
from peerprog.core.reminders.selectors import role_holders

GROUP = "deployment"

CHECKS_OUTSTANDING = register_kind(
    ReminderKind(
        "deployment.checks_outstanding",
        "Pre-employment checks outstanding before a start date",
        (Role.HR,),
        GROUP,
    )
)
MILESTONE_THIS_WEEK = register_kind(
    ReminderKind(
        "deployment.retention_milestone",
        "A peer worker reaches 6, 12 or 24 months in post this week",
        (Role.HR, Role.PROGRAMME_LEAD),
        GROUP,
    )
)
NOT_ADVERTISED = register_kind(
    ReminderKind(
        "deployment.converted_not_advertised",
        "A converted post not yet advertised",
        (Role.HR,),
        GROUP,
    )
)

# Appointments that count for retention (offers that never started do not).
COUNTED = (Appointment.Status.IN_POST, Appointment.Status.LEFT, Appointment.Status.TRANSFERRED)


def checks_outstanding(today: date) -> list[dict[str, Any]]:
    """Offers starting within REMINDER_CHECKS_DAYS (today included) with any
    pre-employment check not cleared (``PreEmploymentCheck.is_outstanding``)."""
    outstanding = PreEmploymentCheck.objects.filter(appointment=OuterRef("pk")).exclude(
        status=PreEmploymentCheck.Status.CLEARED
    )
    return list(
        Appointment.objects.filter(
            status=Appointment.Status.OFFERED,
            start_date__gte=today,
            start_date__lte=today + timedelta(days=settings.REMINDER_CHECKS_DAYS),
        )
        .filter(Exists(outstanding))
        .order_by("pk")
        .values(
            "pk",
            "programme_id",
            "start_date",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
        )
    )


def milestones_this_week(today: date) -> list[tuple[dict[str, Any], int, date]]:
    """(person, months, milestone day) for people in post whose 6, 12 or 24
    month milestone falls in this week (Monday to Sunday) and who are still
    in their first continuous spell. Two queries: people whose first day
    could give a milestone this week, then their appointments."""
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    # A first day whose milestone of N months is this week lies between
    # these dates (a day either side, for months of different lengths).
    windows = Q()
    for months in MILESTONES:
        windows |= Q(
            first_day__gte=add_months(monday, -months) - timedelta(days=3),
            first_day__lte=add_months(sunday, -months) + timedelta(days=3),
        )
    candidates = (
        Appointment.objects.filter(status__in=COUNTED, start_date__isnull=False)
        .values("person_id")
        .annotate(first_day=Min("start_date"))
        .filter(windows)
        .values("person_id")
    )
    rows = (
        Appointment.objects.filter(
            person_id__in=candidates, status__in=COUNTED, start_date__isnull=False
        )
        .order_by("person_id", "start_date", "pk")
        .values(
            "pk",
            "person_id",
            "programme_id",
            "status",
            "start_date",
            "ended_on",
            "start_confirmed_at",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
        )
    )
    periods: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    latest: dict[int, dict[str, Any]] = {}
    # The day the first start was recorded: a start entered late (from a
    # history workbook, say) reminds nobody of a milestone already past.
    recorded: dict[int, date] = {}
    for row in rows:
        periods[row["person_id"]].append((row["start_date"], row["ended_on"]))
        latest[row["person_id"]] = row
        if row["person_id"] not in recorded and row["start_confirmed_at"] is not None:
            recorded[row["person_id"]] = timezone.localdate(row["start_confirmed_at"])
    found = []
    for person_id, person_periods in periods.items():
        spell = first_spell(person_periods)
        if spell is None or spell.last_day is not None:
            continue
        for months in MILESTONES:
            due = add_months(spell.first_day, months)
            if person_id in recorded and due < recorded[person_id]:
                continue
            if monday <= due <= sunday:
                found.append((latest[person_id], months, due))
    return found


def converted_not_advertised(today: date) -> list[dict[str, Any]]:
    """Conversions in force, more than REMINDER_ADVERT_DAYS old, whose new
    peer post is still vacant and has never been advertised. A conversion
    entered after that reminder's day had passed reminds nobody."""
    cutoff = today - timedelta(days=settings.REMINDER_ADVERT_DAYS)
    # Converted on or before the cutoff day, in local time.
    start_of_day = timezone.make_aware(datetime.combine(cutoff + timedelta(days=1), time.min))
    rows = (
        PostConversion.objects.filter(
            undone_at__isnull=True,
            new_post__isnull=False,
            new_post__status=Post.Status.VACANT,
            converted_at__lt=start_of_day,
        )
        .exclude(Exists(Vacancy.objects.filter(post=OuterRef("new_post"))))
        .order_by("pk")
        .values(
            "pk",
            "programme_id",
            "new_post_id",
            "new_post__position_number",
            "converted_at",
            "recorded_at",
        )
    )
    days = timedelta(days=settings.REMINDER_ADVERT_DAYS)
    return [
        row
        for row in rows
        if timezone.localdate(row["converted_at"]) + days >= timezone.localdate(row["recorded_at"])
    ]


def scan(today: date) -> list[ReminderSpec]:
    """Every deployment reminder due on ``today``."""
    checks = checks_outstanding(today)
    milestones = milestones_this_week(today)
    adverts = converted_not_advertised(today)
    programmes = (
        {r["programme_id"] for r in checks}
        | {r["programme_id"] for r, _, _ in milestones}
        | {r["programme_id"] for r in adverts}
    )
    hr = role_holders(role=Role.HR, programme_ids=programmes) if programmes else {}
    leads = role_holders(role=Role.PROGRAMME_LEAD, programme_ids=programmes) if milestones else {}

    specs: list[ReminderSpec] = []
    for row in checks:
        start = reminder_day(row["start_date"])
        for user_id in hr.get(row["programme_id"], []):
            specs.append(
                ReminderSpec(
                    kind=CHECKS_OUTSTANDING.key,
                    object_type="deployment.appointment",
                    object_id=row["pk"],
                    period=row["start_date"].isoformat(),
                    title=f"{reminder_name(row)}: pre-employment checks outstanding, "
                    f"start date {start}",
                    email_line=f"Pre-employment checks are still outstanding for a peer worker "
                    f"due to start on {start}.",
                    link=reverse("deployment:appointment-detail", kwargs={"pk": row["pk"]}),
                    user_id=user_id,
                )
            )
    for row, months, due in milestones:
        staff = [*hr.get(row["programme_id"], []), *leads.get(row["programme_id"], [])]
        for user_id in dict.fromkeys(staff):
            specs.append(
                ReminderSpec(
                    kind=MILESTONE_THIS_WEEK.key,
                    object_type="core.person",
                    object_id=row["person_id"],
                    period=f"{months}-months",
                    title=f"{reminder_name(row)} reaches {months} months in post on "
                    f"{reminder_day(due)}: a good moment to check in",
                    email_line=f"A peer worker reaches {months} months in post this week: "
                    "a good moment to check in.",
                    link=reverse("deployment:appointment-detail", kwargs={"pk": row["pk"]}),
                    user_id=user_id,
                )
            )
    for row in adverts:
        converted = reminder_day(timezone.localdate(row["converted_at"]))
        for user_id in hr.get(row["programme_id"], []):
            specs.append(
                ReminderSpec(
                    kind=NOT_ADVERTISED.key,
                    object_type="deployment.postconversion",
                    object_id=row["pk"],
                    period="once",
                    title=f"Post {row['new_post__position_number']}, converted on {converted}, "
                    "is not advertised yet",
                    email_line=f"A post converted on {converted} has not been advertised yet.",
                    link=reverse("deployment:post-detail", kwargs={"pk": row["new_post_id"]}),
                    user_id=user_id,
                )
            )
    return specs


register_scan(GROUP, scan)

# Induction items overdue and training expiring: their own module.
from deployment import reminders_in_post  # noqa: E402, F401
