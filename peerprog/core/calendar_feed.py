"""Calendar feeds (iCalendar, RFC 5545) that people add to their own
calendar app: the feed's events, its file, and its secret address.

* Apps say what goes in a person's feed: each has a ``calendar_events.py``
  that registers a source with ``register_source``; a source takes a person
  record and returns ``CalendarEvent`` items (training's course sessions,
  supervision's planned mentor meetings). The kernel finds those modules the
  way it finds ``reminders.py``, so it never imports an app by name.
* ``calendar_file`` writes any list of events as an ``.ics`` file, so a
  staff member's feed can be built from the same pieces.
* ``CalendarFeed`` (in ``peerprog.core.models``) is the person's secret
  address; ``calendar_feed_renew`` makes it or makes a new one, and
  ``feed_for_token`` finds it for the public address.

An event carries a title, a time and a place only: never another person's
name, never notes. Times are written in UTC, which every calendar app reads
without a time-zone table of ours.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import icalendar
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from peerprog.core.models import CalendarFeed, Person, StaffCalendarFeed, User
from peerprog.core.services import DomainError

PRODUCT_ID = "-//peerprog//Calendar feed//EN"
UID_DOMAIN = "peerprog"


@dataclass(frozen=True)
class CalendarEvent:
    """One event of a feed. ``uid`` is stable for the same thing (a session
    moved to another day keeps it), so calendar apps update the event rather
    than add another. ``starts`` is an aware datetime, or a date for an
    all-day event (then ``ends`` is None)."""

    uid: str
    title: str
    starts: datetime | date
    ends: datetime | None = None
    place: str = ""
    cancelled: bool = False


Source = Callable[[Person], Iterable[CalendarEvent]]
StaffSource = Callable[[User], Iterable[CalendarEvent]]

_sources: list[Source] = []
_staff_sources: list[StaffSource] = []
_discovered = False


def register_source(source: Source) -> Source:
    """Register a function giving a person's events. It must cost a fixed
    number of queries, whatever the number of events."""
    if source not in _sources:
        _sources.append(source)
    return source


def sources() -> list[Source]:
    global _discovered
    if not _discovered:
        autodiscover_modules("calendar_events")
        _discovered = True
    return list(_sources)


def events_for(person: Person) -> list[CalendarEvent]:
    """Every event of the person's feed, in time order."""
    events = [event for source in sources() for event in source(person)]
    return sorted(events, key=lambda e: (_as_datetime(e.starts), e.uid))


def register_staff_source(source: StaffSource) -> StaffSource:
    """Register a function giving a staff member's events (a facilitator's
    sessions, say). It checks the user's role itself, returns nothing for a
    user without it, and costs a fixed number of queries."""
    if source not in _staff_sources:
        _staff_sources.append(source)
    return source


def staff_events_for(user: User) -> list[CalendarEvent]:
    """Every event of the staff member's feed, in time order."""
    sources()  # the apps' calendar_events modules register staff sources too
    events = [event for source in _staff_sources for event in source(user)]
    return sorted(events, key=lambda e: (_as_datetime(e.starts), e.uid))


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _utc(value: datetime) -> datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(UTC)


def calendar_file(
    *, name: str, events: Iterable[CalendarEvent], now: datetime | None = None
) -> bytes:
    """The events as an iCalendar file named ``name`` in calendar apps.
    Cancelled events stay in the file, marked cancelled, so that calendar
    apps that already hold them show them as cancelled."""
    stamp = _utc(now or timezone.now())
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in events:
        event = icalendar.Event()
        event.add("uid", f"{item.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        if isinstance(item.starts, datetime):
            event.add("dtstart", _utc(item.starts))
            if item.ends is not None:
                event.add("dtend", _utc(item.ends))
        else:
            event.add("dtstart", item.starts)
        event.add("summary", f"Cancelled: {item.title}" if item.cancelled else item.title)
        if item.place:
            event.add("location", item.place)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


# The secret address


def new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_of(*, person: Person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def feed_for_token(*, token: str) -> CalendarFeed | None:
    """The feed at this address, while its person's account can sign in;
    None for any other token (a reset one, a guess)."""
    if not token or len(token) > 64:
        return None
    return (
        CalendarFeed.objects.select_related("person")
        .filter(token=token, person__user__isnull=False, person__user__is_active=True)
        .first()
    )


def staff_feed_of(*, user: User) -> StaffCalendarFeed | None:
    return StaffCalendarFeed.objects.filter(user=user).first()


def staff_feed_for_token(*, token: str) -> StaffCalendarFeed | None:
    """The staff feed at this address, while its account can sign in and
    belongs to a programme; None for any other token."""
    if not token or len(token) > 64:
        return None
    return (
        StaffCalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True, user__programme__isnull=False)
        .first()
    )


@transaction.atomic
def staff_calendar_feed_renew(*, user: User, by: User) -> StaffCalendarFeed:
    """Give the staff member's feed a new address (making it the first
    time); the old address finds nothing from now on. Only the staff member
    themself makes it."""
    if user.pk != by.pk:
        raise DomainError("Only the staff member themself can make their calendar address.")
    if user.programme_id is None:
        raise DomainError("Your account belongs to no programme, so it has no calendar.")
    feed = StaffCalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = StaffCalendarFeed(user=user)
    feed.token = new_token()
    feed.made_at = timezone.now()
    feed.full_clean()
    feed.save()
    return feed


@transaction.atomic
def calendar_feed_renew(*, person: Person, by: User) -> CalendarFeed:
    """Give the person's feed a new address (making the feed the first
    time). The old address finds nothing from now on. Only the person's own
    account makes it; the history records ``by`` as the author."""
    if person.user_id is None or person.user_id != by.pk:
        raise DomainError("Only the person themselves can make their calendar address.")
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is None:
        feed = CalendarFeed(person=person)
    feed.token = new_token()
    feed.made_at = timezone.now()
    feed.full_clean()
    feed.save()
    return feed
