"""The secret address of a person's, or a staff member's, calendar feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from peerprog.core.history import History
from peerprog.core.models.people import Person


class CalendarFeed(models.Model):
    """The address a person's calendar app reads their timetable from:
    ``/calendar/<token>.ics``, open without signing in, so the token is the
    only key. It is random (256 bits), unique, and made anew when the person
    asks for a new address: the old address then finds nothing.

    The token is kept as it is (not hashed) because the person's course page
    shows the address again. It is left out of the history, which records
    only who made a new address and when.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    made_at = models.DateTimeField("address made at", default=timezone.now)
    history = History(excluded_fields=["token"])

    class Meta:
        verbose_name = "calendar feed address"

    def __str__(self) -> str:
        return f"Calendar feed of person #{self.person_id}"


class StaffCalendarFeed(models.Model):
    """The address a staff member's calendar app reads their work from (a
    facilitator's sessions, a mentor's planned meetings, a supervisor's
    sessions): the same ``/calendar/<token>.ics`` address and the same
    rules as a person's feed, for a staff account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    made_at = models.DateTimeField("address made at", default=timezone.now)
    history = History(excluded_fields=["token"])

    class Meta:
        verbose_name = "staff calendar feed address"

    def __str__(self) -> str:
        return f"Calendar feed of staff user #{self.user_id}"
