"""The retention schedule's defaults (the README explains each), and the
monthly task that lists the records whose time has come, as a row of
django-celery-beat's database scheduler."""

from __future__ import annotations

import json

from django.db import migrations
from django.utils import timezone

LIST_DUE = "Retention: list records whose time has come"

DEFAULTS = {
    "recruitment.unsuccessful_application": (
        12,
        "Unsuccessful applications are kept 12 months after the cohort's application "
        "window closes, so that questions about the decision can be answered.",
    ),
    "training.not_completed": (
        24,
        "Trainees who did not complete are kept 2 years after the course ends, in case "
        "they reapply or ask about their training.",
    ),
    "deployment.employment": (
        72,
        "Peer workers' employment records are kept 6 years after leaving, as the NHS "
        "records management code of practice advises for staff records.",
    ),
    "training.portfolio_file": (
        12,
        "Uploaded portfolio files are kept 1 year after the decision on the portfolio; "
        "the decision itself stays.",
    ),
    "core.sign_in": (
        12,
        "Sign-in records are kept 1 year, long enough to look into a suspicious sign-in.",
    ),
}


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("core", "RetentionRule")
    for kind, (months, basis) in DEFAULTS.items():
        RetentionRule.objects.get_or_create(kind=kind, defaults={"months": months, "basis": basis})

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    first_of_month, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="4",
        day_of_week="*",
        day_of_month="1",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=LIST_DUE,
        defaults={
            "task": "peerprog.core.privacy.retention_tasks.retention_list_due",
            "crontab": first_of_month,
            "interval": None,
            "kwargs": json.dumps({}),
            "description": (
                "Lists the records the retention schedule says are due, for the data "
                "protection officer to review. Changes no record."
            ),
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=LIST_DUE).delete()
    apps.get_model("core", "RetentionRule").objects.filter(kind__in=list(DEFAULTS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0023_privacy_read_log_retention"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
