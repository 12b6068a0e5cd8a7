"""The hourly task that deletes background export files past their expiry,
as a row of django-celery-beat's database scheduler. An interval is not
affected by changes of the clock."""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone

EXPIRE = "Exports: delete expired files"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    every_hour, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.update_or_create(
        name=EXPIRE,
        defaults={
            "task": "peerprog.core.tasks.exports_expire",
            "interval": every_hour,
            "crontab": None,
            "kwargs": "{}",
            "description": "Deletes the files of background exports once they expire.",
        },
    )
    # Tell a running beat to reload its schedule.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=EXPIRE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_export_records"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
