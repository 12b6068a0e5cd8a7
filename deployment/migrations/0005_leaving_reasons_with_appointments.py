"""Give every programme that has appointments its leaving reasons.

The leaver form used to create them the first time it was opened; opening a
page now writes nothing, and a programme gets them with its first
appointment. Programmes that already have appointments and no reasons get
them here. A programme with reasons of its own keeps its list.
"""

from __future__ import annotations

from django.db import migrations

LEAVING = [
    ("Paid employment elsewhere", "paid_employment"),
    ("Further study", "further_study"),
    ("Ill health", "ill_health"),
    ("Personal factors", "personal"),
    ("End of fixed-term contract", "end_of_contract"),
    ("Dismissal", "dismissal"),
    ("Retirement", "retirement"),
    ("Other", "other"),
]


def add_reasons(apps, schema_editor):
    Appointment = apps.get_model("deployment", "Appointment")
    LeavingReason = apps.get_model("deployment", "LeavingReason")
    programmes = set(Appointment.objects.values_list("programme_id", flat=True).distinct())
    have = set(LeavingReason.objects.values_list("programme_id", flat=True).distinct())
    for programme_id in sorted(programmes - have):
        for order, (label, category) in enumerate(LEAVING):
            LeavingReason.objects.create(
                programme_id=programme_id,
                label=label,
                category=category,
                order=order,
                # Ill health reveals health, whatever its wording.
                reveals_health=category == "ill_health",
            )


class Migration(migrations.Migration):
    dependencies = [("deployment", "0004_readiness_moved_out")]

    operations = [migrations.RunPython(add_reasons, migrations.RunPython.noop)]
