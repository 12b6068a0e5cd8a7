"""The dashboard's figures are counted again every 15 minutes, as a row of
django-celery-beat's database scheduler."""

from __future__ import annotations

import json

from django.db import migrations
from django.utils import timezone

REFRESH = "Dashboard: count the figures again"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every_15_minutes, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=REFRESH,
        defaults={
            "task": "peerprog.dashboard.tasks.dashboard_figures_refresh_all",
            "interval": every_15_minutes,
            "crontab": None,
            "kwargs": json.dumps({}),
            "description": (
                "Counts each programme's dashboard figures from the records, so they are "
                "never more than 15 minutes old."
            ),
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=REFRESH).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_cohort_figures"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
