"""A record entered with dates already past reminds nobody of those past
dates: the next scan creates nothing for them. The same record entered on
time does remind."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from deployment import services as deployment_services
from deployment.models import PostConversion
from deployment.models.posts import Band, PostRole
from peerprog.core.models import Programme, Reminder, User
from peerprog.core.reminders.services import reminders_run_group
from supervision.models import SupervisionAssignment
from tests.core.factories import ServiceFactory
from tests.deployment.factories import PostFactory
from tests.supervision.factories import employed, lead_of, supervise, supervisor

OVERDUE = "supervision.supervision_overdue"
MY_SUPERVISION_DUE = "supervision.my_supervision_due"
NOT_ADVERTISED = "deployment.converted_not_advertised"


def _days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def _entered_on(assignment: SupervisionAssignment, day) -> None:
    """As if the lead had entered the supervision on ``day``."""
    moment = timezone.make_aware(datetime.combine(day, time(12, 0)))
    SupervisionAssignment.objects.filter(pk=assignment.pk).update(assigned_at=moment)


def test_a_supervision_entered_long_after_it_started_reminds_nobody_of_its_past_due_date(
    programme: Programme,
) -> None:
    worker = employed(programme, since=_days_ago(200))
    assignment = supervise(
        worker, supervisor(programme), by=lead_of(programme), on=_days_ago(60), frequency_days=28
    )

    reminders_run_group(group="supervision")

    assert not Reminder.objects.filter(
        kind__in=[OVERDUE, MY_SUPERVISION_DUE], object_id=assignment.pk
    ).exists()


def test_a_supervision_entered_on_time_reminds_when_it_falls_overdue(
    programme: Programme,
) -> None:
    worker = employed(programme, since=_days_ago(200))
    assignment = supervise(
        worker, supervisor(programme), by=lead_of(programme), on=_days_ago(60), frequency_days=28
    )
    _entered_on(assignment, _days_ago(60))

    reminders_run_group(group="supervision")

    assert Reminder.objects.filter(kind=OVERDUE, object_id=assignment.pk).exists()


def _convert_on(programme: Programme, by: User, day) -> PostConversion:
    return deployment_services.post_convert(
        post=PostFactory(service=ServiceFactory(programme=programme)),
        to_role=PostRole.LXP,
        to_band=Band.BAND_3,
        to_wte=None,
        reason="Programme funding",
        by=by,
        on=day,
    )


def test_a_conversion_entered_long_after_it_was_made_reminds_nobody_it_is_not_advertised(
    programme: Programme, hr: User
) -> None:
    conversion = _convert_on(programme, hr, _days_ago(90))

    reminders_run_group(group="deployment")

    assert not Reminder.objects.filter(kind=NOT_ADVERTISED, object_id=conversion.pk).exists()


def test_a_conversion_entered_on_time_reminds_that_it_is_not_advertised(
    programme: Programme, hr: User
) -> None:
    conversion = _convert_on(programme, hr, _days_ago(90))
    PostConversion.objects.filter(pk=conversion.pk).update(recorded_at=conversion.converted_at)

    reminders_run_group(group="deployment")

    assert Reminder.objects.filter(kind=NOT_ADVERTISED, object_id=conversion.pk).exists()
