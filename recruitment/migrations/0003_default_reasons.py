"""Give every existing programme the study's reasons.

New programmes get them from ``reasons_ensure_defaults`` when their first
cohort is created. A programme that already has reasons of a kind keeps its
own list.
"""

from __future__ import annotations

from django.db import migrations

UNSUCCESSFUL = [
    ("Not yet able to complete a training programme", "not_ready"),
    ("Needs more volunteering experience", "needs_volunteering"),
    ("Does not meet the criteria for the course", "not_eligible"),
    ("No places left in this cohort", "cohort_full"),
]
WITHDRAWAL = [
    ("Found paid employment", "paid_employment", False),
    ("Going into further study", "study", False),
    ("Health reasons", "health", True),
    ("Personal reasons", "personal", False),
    ("Other reason", "other", False),
]


def add_defaults(apps, schema_editor):
    Programme = apps.get_model("core", "Programme")
    UnsuccessfulReason = apps.get_model("recruitment", "UnsuccessfulReason")
    WithdrawalReason = apps.get_model("recruitment", "WithdrawalReason")
    for programme in Programme.objects.all():
        if not UnsuccessfulReason.objects.filter(programme=programme).exists():
            for order, (label, category) in enumerate(UNSUCCESSFUL, start=1):
                UnsuccessfulReason.objects.create(
                    programme=programme, label=label, category=category, order=order
                )
        if not WithdrawalReason.objects.filter(programme=programme).exists():
            for order, (label, category, health) in enumerate(WITHDRAWAL, start=1):
                WithdrawalReason.objects.create(
                    programme=programme,
                    label=label,
                    category=category,
                    reveals_health=health,
                    order=order,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0002_information_events"),
    ]

    operations = [
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
    ]
