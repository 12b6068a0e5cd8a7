"""The periodic task of deployment's reminders, daily at 07:15 UK time (after
training's, so that the two do not compete for the worker)."""

from __future__ import annotations

import json

from django.db import migrations
from django.utils import timezone

NAME = "Reminders: deployment"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    quarter_past_seven, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "peerprog.core.tasks.reminders_scan",
            "crontab": quarter_past_seven,
            "interval": None,
            "kwargs": json.dumps({"group": "deployment"}),
            "description": "Pre-employment checks before start dates; retention milestones "
            "this week; converted posts not advertised.",
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0005_reminder_schedules")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
