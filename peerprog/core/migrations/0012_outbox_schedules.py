"""The outbox's periodic tasks, as rows of django-celery-beat's database
scheduler: the sweep that sends what is due every minute (it replaces the
reminders' own sweep), and the nightly purge of old messages."""

from __future__ import annotations

import json

from django.db import migrations
from django.utils import timezone

OLD_DISPATCH = "Reminders: send due e-mails"
DELIVER = "E-mail: send what is due"
PURGE = "E-mail: forget old messages"


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    PeriodicTask.objects.filter(name=OLD_DISPATCH).delete()
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    half_past_three, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=DELIVER,
        defaults={
            "task": "peerprog.core.outbox.tasks.outbox_deliver",
            "interval": every_minute,
            "crontab": None,
            "kwargs": json.dumps({}),
            "description": (
                "Sends e-mails that are due: new ones, retries, and any whose sender "
                "stopped half-way."
            ),
        },
    )
    PeriodicTask.objects.update_or_create(
        name=PURGE,
        defaults={
            "task": "peerprog.core.outbox.tasks.outbox_purge",
            "crontab": half_past_three,
            "interval": None,
            "kwargs": json.dumps({}),
            "description": "Clears the text of old e-mails, then deletes them.",
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[DELIVER, PURGE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0011_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
