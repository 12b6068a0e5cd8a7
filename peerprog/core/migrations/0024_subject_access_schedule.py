"""The nightly deletion of subject access files past the days they are
kept, as a row of django-celery-beat's database scheduler."""

from __future__ import annotations

import json

from django.db import migrations
from django.utils import timezone

EXPIRE = "Subject access: delete old files"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    twenty_to_four, _ = CrontabSchedule.objects.get_or_create(
        minute="40",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=EXPIRE,
        defaults={
            "task": "peerprog.core.tasks.subject_access_expire",
            "crontab": twenty_to_four,
            "interval": None,
            "kwargs": json.dumps({}),
            "description": "Deletes subject access files kept longer than the days set.",
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=EXPIRE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0023_subject_access_request"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
