"""One-time form tokens, and the daily task that deletes old ones, as a row
of django-celery-beat's database scheduler."""

import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone

PURGE = "Forms: delete old one-time tokens"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    every_day, _ = IntervalSchedule.objects.get_or_create(every=1, period="days")
    PeriodicTask.objects.update_or_create(
        name=PURGE,
        defaults={
            "task": "peerprog.core.once.tasks.form_tokens_purge",
            "interval": every_day,
            "crontab": None,
            "kwargs": "{}",
            "description": "Deletes the tokens of forms posted more than 30 days ago.",
        },
    )
    # Tell a running beat to reload its schedule.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=PURGE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0012_outbox_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="FormToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=64, unique=True)),
                ("path", models.CharField(max_length=255)),
                ("result_url", models.CharField(blank=True, max_length=2000)),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
            ],
            options={"verbose_name": "posted form"},
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
