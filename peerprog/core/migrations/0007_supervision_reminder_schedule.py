"""The periodic task of supervision's reminders, daily at 07:30 UK time
(after training's and deployment's, so that they do not compete)."""

from __future__ import annotations

import json

from django.db import migrations
from django.utils import timezone

NAME = "Reminders: supervision"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    half_past_seven, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
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
            "crontab": half_past_seven,
            "interval": None,
            "kwargs": json.dumps({"group": "supervision"}),
            "description": "Mentor meetings behind for this point in the course (mentors, "
            "and a weekly summary to leads); supervision overdue (supervisors).",
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0006_deployment_reminder_schedule")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
