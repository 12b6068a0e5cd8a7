"""Recording what peer workers do, week by week, and the programme's list
of activity topics.

``activity_week_save`` is the one door for a week: the peer worker on their
own pages, their supervisor or a lead call it alike. It refuses a note that
holds a patient identifier and asks for confirmation of a full date (see
``activity_text``), and replaces the week's lines as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from deployment.activity_text import check_note, date_question
from deployment.models import (
    ActivityKind,
    ActivityLine,
    ActivitySetting,
    ActivityTopic,
    ActivityWeek,
    Appointment,
)
from deployment.models.activity import DEFAULT_TOPICS, NOTE_MAX_LENGTH
from deployment.services.common import DeploymentError, clean_or_refuse
from peerprog.core.dates import monday_of
from peerprog.core.models import Programme, User


class DateNeedsConfirmation(DeploymentError):
    """A note holds a full date that the person recording has not confirmed."""


@dataclass(frozen=True)
class LineValues:
    kind: str
    setting: str
    contacts: int
    minutes: int


def activity_topics_ensure_defaults(*, programme: Programme) -> int:
    """Give a programme the suggested topics if it has no topics at all
    (archived ones count: a lead who archived them all meant it). Returns
    how many were created."""
    if ActivityTopic.objects.filter(programme=programme).exists():
        return 0
    with transaction.atomic():
        for position, name in enumerate(DEFAULT_TOPICS):
            ActivityTopic.objects.create(programme=programme, name=name, position=position)
    return len(DEFAULT_TOPICS)


@transaction.atomic
def activity_topic_create(*, programme: Programme, by: User, name: str) -> ActivityTopic:
    """Add a topic at the end of the programme's list."""
    last = ActivityTopic.objects.filter(programme=programme).order_by("-position").first()
    topic = ActivityTopic(
        programme=programme, name=name.strip(), position=(last.position + 1) if last else 0
    )
    clean_or_refuse(instance=topic)
    topic.save()
    return topic


@transaction.atomic
def activity_topic_update(
    *, topic: ActivityTopic, by: User, name: str, position: int, archived: bool
) -> ActivityTopic:
    """Rename, move or archive a topic. Weeks that used it keep it."""
    topic = ActivityTopic.objects.select_for_update().get(pk=topic.pk)
    topic.name = name.strip()
    topic.position = position
    topic.archived = archived
    clean_or_refuse(instance=topic)
    topic.save()
    return topic


def _check_week(appointment: Appointment, week_starting: date, today: date) -> None:
    if week_starting.weekday() != 0:
        raise DeploymentError("A week starts on a Monday.")
    if week_starting > monday_of(today):
        raise DeploymentError("A week that has not started yet cannot be recorded.")
    if appointment.status not in (
        Appointment.Status.IN_POST,
        Appointment.Status.LEFT,
        Appointment.Status.TRANSFERRED,
    ):
        raise DeploymentError("Activity is recorded once the peer worker is in post.")
    if appointment.start_date and week_starting < monday_of(appointment.start_date):
        raise DeploymentError(
            f"This week is before the start date ({appointment.start_date:%-d %B %Y})."
        )
    if appointment.ended_on and week_starting > appointment.ended_on:
        raise DeploymentError(
            f"This week is after the last day in post ({appointment.ended_on:%-d %B %Y})."
        )


def _check_lines(lines: Sequence[LineValues]) -> None:
    seen = set()
    for line in lines:
        if line.kind not in ActivityKind.values or line.setting not in ActivitySetting.values:
            raise DeploymentError("Choose a kind of contact and a setting from the lists.")
        key = (line.kind, line.setting)
        if key in seen:
            kind = ActivityKind(line.kind).label
            setting = ActivitySetting(line.setting).label.lower()
            raise DeploymentError(
                f"{kind} in the {setting} setting is on two lines: put it on one."
            )
        seen.add(key)


@transaction.atomic
def activity_week_save(
    *,
    appointment: Appointment,
    by: User,
    week_starting: date,
    lines: Sequence[LineValues],
    topics: Iterable[ActivityTopic],
    note: str,
    date_confirmed: bool = False,
    today: date | None = None,
) -> ActivityWeek:
    """Record (or change) one week of a peer worker's activity.

    Refuses a week before the start date, after the last day in post or
    not started yet; a note longer than allowed, or holding an NHS number
    or a postcode; and, unless ``date_confirmed``, a note with a full date
    (``DateNeedsConfirmation``). Lines with neither contacts nor minutes are
    dropped; the week's other lines are replaced by these.
    """
    today = today or timezone.localdate()
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _check_week(appointment, week_starting, today)
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DeploymentError(f"Keep the note to {NOTE_MAX_LENGTH} characters.")
    checked = check_note(note)
    if checked.refusal:
        raise DeploymentError(checked.refusal)
    if checked.dates and not date_confirmed:
        raise DateNeedsConfirmation(date_question(checked.dates))
    kept = [line for line in lines if line.contacts or line.minutes]
    _check_lines(kept)
    topics = list(topics)
    if any(topic.programme_id != appointment.programme_id for topic in topics):
        raise DeploymentError("Choose topics from this programme's list.")

    week = ActivityWeek.objects.filter(appointment=appointment, week_starting=week_starting).first()
    if week is None:
        week = ActivityWeek(
            programme_id=appointment.programme_id,
            appointment=appointment,
            week_starting=week_starting,
        )
    week.note = note
    week.recorded_by = by
    week.recorded_at = timezone.now()
    clean_or_refuse(instance=week)
    week.save()
    wanted = {(line.kind, line.setting): line for line in kept}
    for existing in list(week.lines.all()):
        line = wanted.pop((existing.kind, existing.setting), None)
        if line is None:
            existing.delete()
            continue
        existing.contacts, existing.minutes = line.contacts, line.minutes
        clean_or_refuse(instance=existing)
        existing.save()
    for line in wanted.values():
        new = ActivityLine(
            week=week,
            kind=line.kind,
            setting=line.setting,
            contacts=line.contacts,
            minutes=line.minutes,
        )
        clean_or_refuse(instance=new)
        new.save()
    week.topics.set(topics)
    return week
