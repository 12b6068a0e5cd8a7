"""Calendar arithmetic that several apps share."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.utils import timezone


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, or the last day of the
    target month when it is shorter."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def moment_of(day: date | None) -> datetime | None:
    """The moment to record for an event that happened on ``day``: now when
    it is today (or no day is given: ``None``, the service's own default),
    otherwise midday of that day, local time."""
    if day is None or day == timezone.localdate():
        return None
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def recorded_later(*, happened: datetime | date, recorded: datetime | None) -> bool:
    """Was the record entered on a later day than the event it records?"""
    if recorded is None:
        return False
    day = timezone.localdate(happened) if isinstance(happened, datetime) else happened
    return timezone.localdate(recorded) > day


def monday_of(day: date) -> date:
    """The Monday of the week the day falls in."""
    return day - timedelta(days=day.weekday())
