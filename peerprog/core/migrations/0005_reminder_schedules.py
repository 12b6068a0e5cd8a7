"""The periodic tasks of reminders, as rows of django-celery-beat's database
scheduler, so that admins change their timing in the admin.

Crontabs are in Europe/London: a daily run at 07:00 stays at 07:00 local
time through both changes of the clock, and 07:00 is never in the hour that
is skipped or repeated. The sweep that sends due e-mails runs on an interval,
which the clock change does not affect.
"""

from __future__ import annotations

import json

from django.db import migrations
from django.utils import timezone

DISPATCH = "Reminders: send due e-mails"
TRAINING = "Reminders: training"


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    seven_am, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=DISPATCH,
        defaults={
            "task": "peerprog.core.tasks.reminders_dispatch",
            "interval": every_five_minutes,
            "crontab": None,
            "kwargs": "{}",
            "description": "Sends reminder e-mails that are due, including retries.",
        },
    )
    PeriodicTask.objects.update_or_create(
        name=TRAINING,
        defaults={
            "task": "peerprog.core.tasks.reminders_scan",
            "crontab": seven_am,
            "interval": None,
            "kwargs": json.dumps({"group": "training"}),
            "description": "Portfolio drafts and finals due or overdue; marks waiting.",
        },
    )
    # Tell a running beat to reload its schedule.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[DISPATCH, TRAINING]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
