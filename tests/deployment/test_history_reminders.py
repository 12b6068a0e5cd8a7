"""A start entered late, from a history workbook say, reminds nobody of a
retention milestone already past, even one earlier in the same week; a
start recorded on time still reminds HR and leads in the milestone's week."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from deployment.reminders import milestones_this_week
from tests.core.factories import ServiceFactory
from tests.deployment.factories import AppointmentFactory, PeerPostFactory

pytestmark = pytest.mark.django_db

# Friday 13 March 2026; the 24-month milestone of a start on Tuesday
# 10 March 2024 falls on the Tuesday of that week.
FRIDAY = date(2026, 3, 13)
START = date(2024, 3, 10)


def _appointment(programme, *, recorded: date):
    appointment = AppointmentFactory(
        post=PeerPostFactory(service=ServiceFactory(programme=programme)),
        start_date=START,
    )
    appointment.start_confirmed_at = timezone.make_aware(datetime(*recorded.timetuple()[:3], 12))
    appointment.save()
    return appointment


def test_a_start_recorded_after_its_milestone_reminds_nobody(programme):
    late = _appointment(programme, recorded=date(2026, 3, 12))

    found = [(row["pk"], months) for row, months, _ in milestones_this_week(FRIDAY)]

    assert (late.pk, 24) not in found


def test_a_start_recorded_on_time_reminds_in_the_milestones_week(programme):
    on_time = _appointment(programme, recorded=date(2024, 3, 1))

    found = [(row["pk"], months) for row, months, _ in milestones_this_week(FRIDAY)]

    assert (on_time.pk, 24) in found
